"""Absolute links (e-mails, the demo's printout, calendar feeds) point where the clinic is
served: NEEDLEPOINT_BASE_URL when set, else the first allowed host over HTTPS in production,
else where `needlepoint serve` listens (docs/decisions/0221-base-url.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from datetime import date, timedelta

import pytest

from tests.core.test_commands import free_port, needlepoint
from tests.core.test_settings import GOOD_PRODUCTION


def base_url(env: dict[str, str], tmp_path) -> str:
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='needlepoint.settings'; "
        "django.setup(); from django.conf import settings; print(settings.NEEDLEPOINT_BASE_URL)"
    )
    full = {"PATH": os.environ.get("PATH", ""), "NEEDLEPOINT_DATA_DIR": str(tmp_path), **env}
    result = subprocess.run([sys.executable, "-c", code], env=full, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"PORT": "9123"}, "http://127.0.0.1:9123"),
        ({"NEEDLEPOINT_HOST": "0.0.0.0", "PORT": "9123"}, "http://127.0.0.1:9123"),  # noqa: S104
        ({"NEEDLEPOINT_HOST": "clinic.lan", "PORT": "80"}, "http://clinic.lan:80"),
        (
            {"NEEDLEPOINT_BASE_URL": "https://book.example.com/", "PORT": "9"},
            "https://book.example.com",
        ),
        (GOOD_PRODUCTION, "https://clinic.example.com"),
    ],
)
def test_the_base_url_follows_the_configuration(env, expected, tmp_path):
    assert base_url(env, tmp_path) == expected


def test_a_base_url_that_is_not_http_is_refused_by_name(tmp_path):
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='needlepoint.settings'; django.setup()"
    full = {
        "PATH": os.environ.get("PATH", ""),
        "NEEDLEPOINT_DATA_DIR": str(tmp_path),
        "NEEDLEPOINT_BASE_URL": "clinic.example.com",
    }
    result = subprocess.run([sys.executable, "-c", code], env=full, capture_output=True, text=True)
    assert result.returncode != 0 and "NEEDLEPOINT_BASE_URL" in result.stderr


@pytest.fixture
def demo_env(tmp_path) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "NEEDLEPOINT_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'np.sqlite3'}",
        "NEEDLEPOINT_DEMO_PASSWORD": "demo-password-for-tests-42",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    assert needlepoint("migrate", "-v0", env=env).returncode == 0
    return env


def test_the_demo_prints_links_on_the_configured_port(demo_env):
    result = needlepoint("demo", env={**demo_env, "PORT": "9123"})
    assert result.returncode == 0, result.stderr
    assert "http://127.0.0.1:9123/accounts/login/" in result.stdout
    assert "Demo calendar feed for 'aesthetician': http://127.0.0.1:9123/calendar/" in result.stdout
    assert ":8000" not in result.stdout


def test_serve_on_another_port_puts_that_port_in_the_links_it_sends(demo_env):
    assert needlepoint("demo", env=demo_env).returncode == 0
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "needlepoint", "serve", "--port", str(port), "--workers", "1"],
        env=demo_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/api/v1/services", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        start, end = date.today() + timedelta(days=3), date.today() + timedelta(days=20)
        with urllib.request.urlopen(
            f"{base}/api/v1/availability?service=consultation&location=main&start={start}&end={end}"
        ) as response:
            slot = json.load(response)["slots"][0]["start"]
        body = {
            "given_name": "Grace",
            "family_name": "Hopper",
            "email": "grace@example.com",
            "phone": "+1 555 0142",
            "date_of_birth": "1986-12-09",
            "start": slot,
            "location": "main",  # the demo is a group of two locations
        }
        request = urllib.request.Request(
            base + "/api/v1/bookings/consultation",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request) as response:
            booked = json.load(response)
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert booked["manage_url"].startswith(f"{base}/book/manage/")
