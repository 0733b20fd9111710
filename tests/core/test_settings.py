"""Settings come from the environment; production refuses to start unsafely."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

GOOD_PRODUCTION = {
    "NEEDLEPOINT_ENV": "production",
    "SECRET_KEY": "k" * 30 + "-a-real-random-secret-from-the-operator-0123456789",
    "ALLOWED_HOSTS": "clinic.example.com",
    "NEEDLEPOINT_AUDIT_KEYS": "k1:" + "an-audit-key-kept-outside-the-database-0123456789",
}


def start(env: dict[str, str], tmp_path) -> subprocess.CompletedProcess[str]:
    """Import the settings in a fresh interpreter, as `needlepoint serve` would."""
    full = {"PATH": os.environ.get("PATH", ""), "NEEDLEPOINT_DATA_DIR": str(tmp_path), **env}
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='needlepoint.settings'; django.setup()"
    return subprocess.run([sys.executable, "-c", code], env=full, capture_output=True, text=True)


def test_production_starts_with_a_real_secret_hosts_and_https(tmp_path):
    assert start(GOOD_PRODUCTION, tmp_path).returncode == 0


@pytest.mark.parametrize(
    ("override", "complaint"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set"),
        (
            {"SECRET_KEY": "dev-only-insecure-key-do-not-use-in-production"},
            "SECRET_KEY must be set",
        ),
        ({"SECRET_KEY": "short"}, "SECRET_KEY must be set"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must list"),
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS must list"),
        ({"SECURE_SSL_REDIRECT": "false"}, "HTTPS must be on"),
        ({"SESSION_COOKIE_SECURE": "0"}, "HTTPS must be on"),
        ({"SECURE_HSTS_SECONDS": "0"}, "SECURE_HSTS_SECONDS"),
        ({"DEBUG": "true"}, "DEBUG must be off"),
        ({"NEEDLEPOINT_AUDIT_KEYS": ""}, "an audit key is required"),
        (
            {"NEEDLEPOINT_AUDIT_KEYS": "dev:dev-only-insecure-audit-key-do-not-use-in-production"},
            "development audit key",
        ),
        ({"NEEDLEPOINT_AUDIT_KEYS": "k1:short"}, "at least 32 characters"),
    ],
)
def test_production_refuses_to_start_without_safe_settings(override, complaint, tmp_path):
    result = start({**GOOD_PRODUCTION, **override}, tmp_path)
    assert result.returncode != 0
    assert "Needlepoint refuses to start in production" in result.stderr
    assert complaint in result.stderr


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        ({"NEEDLEPOINT_ENV": "staging"}, "NEEDLEPOINT_ENV must be"),
        ({"DEBUG": "maybe"}, "DEBUG must be true or false"),
        ({"STAFF_IDLE_MINUTES": "soon"}, "STAFF_IDLE_MINUTES must be a whole number"),
        ({"DATABASE_URL": "nosuchdb://x"}, "DATABASE_URL is not a database URL"),
        ({"CACHE_URL": "memcached://x"}, "CACHE_URL must start with"),
    ],
)
def test_a_bad_value_is_refused_with_its_name(env, complaint, tmp_path):
    result = start(env, tmp_path)
    assert result.returncode != 0
    assert complaint in result.stderr


def test_check_deploy_passes_for_a_safe_production_configuration(tmp_path):
    full = {
        "PATH": os.environ.get("PATH", ""),
        "NEEDLEPOINT_DATA_DIR": str(tmp_path),
        **GOOD_PRODUCTION,
    }
    result = subprocess.run(
        [sys.executable, "-m", "needlepoint", "check", "--deploy", "--fail-level", "WARNING"],
        env=full,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_passwords_are_hashed_with_argon2_outside_the_test_suite(tmp_path):
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='needlepoint.settings'; "
        "django.setup(); from django.conf import settings; print(settings.PASSWORD_HASHERS[0])"
    )
    env = {"PATH": os.environ.get("PATH", ""), "NEEDLEPOINT_DATA_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.strip() == "django.contrib.auth.hashers.Argon2PasswordHasher"
