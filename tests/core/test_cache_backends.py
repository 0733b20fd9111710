"""Every cache backend the docs offer (CACHE_URL in .env.example and docs/operations.md)
runs sign-in and public booking, whose rate limits live in the cache; switching backends
needs no manual step."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.test import Client

from needlepoint.core.env import caches_from_url
from tests.notifications.clinic_fixtures import (  # noqa: F401
    TUESDAY_9,
    _clean_caches_and_sms,
    clinic,
    frozen,
)

REDIS_URL = os.environ.get("NEEDLEPOINT_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
REQUIRE_REDIS = os.environ.get("NEEDLEPOINT_REQUIRE_REDIS") == "1"
PROJECT = Path(__file__).resolve().parents[2]


def _redis_problem() -> str | None:
    where = urlparse(REDIS_URL)
    try:
        with socket.create_connection((where.hostname, where.port or 6379), timeout=2):
            return None
    except OSError as exc:
        return str(exc)


@pytest.fixture
def redis_url() -> str:
    problem = _redis_problem()
    if problem and REQUIRE_REDIS:
        pytest.fail(f"Redis required (NEEDLEPOINT_REQUIRE_REDIS=1) but unreachable: {problem}")
    if problem:
        pytest.skip(f"Redis not reachable at {REDIS_URL} ({problem})")
    return REDIS_URL


@pytest.fixture(params=["redis", "db", "locmem"])
def cache_url(request: pytest.FixtureRequest, settings) -> str:
    url = (
        request.getfixturevalue("redis_url") if request.param == "redis" else request.param + "://"
    )
    caches = caches_from_url(url)
    # A prefix of our own: the Redis database may be shared with another test run.
    caches["default"] = {**caches["default"], "KEY_PREFIX": uuid.uuid4().hex}
    settings.CACHES = caches
    return url


@pytest.mark.django_db
def test_sign_in_and_public_booking_work_on_every_documented_cache(cache_url, patient, clinic):  # noqa: F811
    from django.core.cache import caches
    from django.utils import timezone

    backend = type(caches["default"]).__name__
    assert backend == {"redis": "RedisCache", "db": "DatabaseCache"}.get(
        cache_url.split(":")[0], "LocMemCache"
    )
    signed_in = Client().post(
        "/accounts/login/", {"login": "pat", "password": "correct horse battery staple 9"}
    )
    assert signed_in.status_code == 302, signed_in.content
    wrong = Client().post("/accounts/login/", {"login": "pat", "password": "nope"})
    assert wrong.status_code == 200
    body = {
        "given_name": "Grace",
        "family_name": "Hopper",
        "email": "grace@example.com",
        "phone": "+1 555 0142",
        "date_of_birth": "1986-12-09",
        "start": TUESDAY_9,
    }
    booked = Client().post("/api/v1/bookings/consultation", body, content_type="application/json")
    assert booked.status_code == 201, booked.content
    # The booking was counted in this backend (the per-address limit's window).
    bucket = int(timezone.now().timestamp() // 3600)
    assert caches["default"].get(f"np:booking:ip:127.0.0.1:{bucket}") == 1


def needlepoint(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "needlepoint", *args],
        env=env,
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


ROUND_TRIP = (
    "from django.core.cache import caches; cache = caches['default']; "
    "cache.set('np:probe', 41); print('probe', type(cache).__name__, cache.incr('np:probe'))"
)


def test_switching_cache_url_needs_nothing_but_the_setting(tmp_path, redis_url):
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"CACHE_URL", "DATABASE_URL", "PYTEST_XDIST_WORKER"}
    }
    base |= {"NEEDLEPOINT_ENV": "development", "NEEDLEPOINT_DATA_DIR": str(tmp_path)}
    # Installed with Redis from the start: migrate still prepares the database cache.
    migrated = needlepoint({**base, "CACHE_URL": redis_url}, "migrate", "--noinput")
    assert migrated.returncode == 0, migrated.stderr
    for url, backend in [
        (redis_url, "RedisCache"),
        ("", "DatabaseCache"),
        ("db://", "DatabaseCache"),
        ("locmem://", "LocMemCache"),
    ]:
        ran = needlepoint({**base, "CACHE_URL": url}, "shell", "--no-imports", "-c", ROUND_TRIP)
        assert ran.returncode == 0, (url, ran.stderr)
        assert f"probe {backend} 42" in ran.stdout, (url, ran.stdout)
