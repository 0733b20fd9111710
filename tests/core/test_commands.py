"""The `needlepoint` command: tokens, createadmin, serve."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.core.management import call_command

from needlepoint.accounts.models import ApiToken, User


def needlepoint(*args: str, env: dict[str, str], **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "needlepoint", *args],
        env=env,
        capture_output=True,
        text=True,
        **kwargs,
    )


@pytest.fixture
def fresh_env(tmp_path) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "NEEDLEPOINT_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'np.sqlite3'}",
        "NEEDLEPOINT_DEMO_PASSWORD": "demo-password-for-tests-42",
    }
    assert needlepoint("migrate", "-v0", env=env).returncode == 0
    return env


def test_token_create_prints_the_token_as_the_last_line_and_stores_only_its_hash(fresh_env):
    assert needlepoint("demo", env=fresh_env).returncode == 0
    result = needlepoint("token", "create", "frontdesk", env=fresh_env)
    token = (result.stdout + result.stderr).strip().splitlines()[-1]
    assert token.startswith("np_") and len(token) > 40
    db = fresh_env["DATABASE_URL"].removeprefix("sqlite:///")
    import sqlite3

    rows = (
        sqlite3.connect(db).execute("SELECT token_hash, prefix FROM accounts_apitoken").fetchall()
    )
    assert rows and all(token not in "".join(r) for r in rows)


def test_token_revoke_makes_the_token_useless(db, front_desk, api):
    assert api(front_desk).get("/me").status_code == 200
    call_command("token", "revoke", front_desk.user.username)
    assert api(front_desk).get("/me").status_code == 401
    assert ApiToken.objects.filter(user=front_desk.user, revoked_at=None).count() == 0


def test_createadmin_makes_a_clinic_admin_and_refuses_weak_passwords(fresh_env):
    weak = needlepoint(
        "createadmin",
        "--username",
        "boss",
        env={**fresh_env, "NEEDLEPOINT_ADMIN_PASSWORD": "password123"},
    )
    assert weak.returncode != 0 and "password refused" in weak.stderr
    ok = needlepoint(
        "createadmin",
        "--username",
        "boss",
        env={**fresh_env, "NEEDLEPOINT_ADMIN_PASSWORD": "a-long-and-unusual-passphrase"},
    )
    assert ok.returncode == 0, ok.stderr


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_runs_a_real_server_with_static_files(fresh_env):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "needlepoint", "serve", "--port", str(port), "--workers", "1"],
        env=fresh_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/api/v1/services", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        with urllib.request.urlopen(base + "/static/site/needlepoint.css") as css:
            assert css.status == 200 and b"--accent" in css.read()
        with urllib.request.urlopen(base + "/api/v1/locations") as response:
            assert response.headers["Content-Type"].startswith("application/json")
        assert "gunicorn" in (
            urllib.request.urlopen(base + "/").headers.get("Server") or "gunicorn"
        )
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0].decode()
    assert "runserver" not in output and "Booting worker" in output


@pytest.mark.django_db
def test_commands_are_audited_as_commands(front_desk):
    from needlepoint.audit.models import AuditEvent

    call_command("token", "create", front_desk.user.username)
    assert AuditEvent.objects.filter(action="api_token.create").exists()
    assert User.objects.filter(username=front_desk.user.username).exists()
