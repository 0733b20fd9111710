"""Shared fixtures: named personas, API clients, PostgreSQL and browser gating.

PostgreSQL: `make test-postgres` runs the suite with DATABASE_URL pointing at
TEST_DATABASE_URL. When it is unreachable the tests are skipped with one line, unless
NEEDLEPOINT_REQUIRE_POSTGRES=1 (CI), which turns that into a failure. The browser works the
same way with NEEDLEPOINT_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls
# from a thread with a running loop unless told this is deliberate.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REQUIRE_POSTGRES = os.environ.get("NEEDLEPOINT_REQUIRE_POSTGRES") == "1"
REQUIRE_BROWSER = os.environ.get("NEEDLEPOINT_REQUIRE_BROWSER") == "1"
CHROMIUM = os.environ.get("NEEDLEPOINT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _database_vendor() -> str:
    from django.db import connection

    return connection.vendor


def _postgres_problem() -> str | None:
    from django.db import connection

    try:
        import psycopg

        params = connection.settings_dict
        with psycopg.connect(
            host=params["HOST"] or None,
            port=params["PORT"] or None,
            user=params["USER"],
            password=params["PASSWORD"] or None,
            dbname=params["NAME"],
            connect_timeout=3,
        ):
            return None
    except Exception as exc:  # any failure to connect means: not available here
        return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    _gate_browser_tests(items)
    _gate_database_tests(config, items)


def _gate_browser_tests(items: list[pytest.Item]) -> None:
    """Browser tests need the system Chromium: a one-line skip without it, a failure when
    NEEDLEPOINT_REQUIRE_BROWSER=1 (CI)."""
    missing = not os.path.exists(CHROMIUM)
    if missing and REQUIRE_BROWSER:
        pytest.exit(
            f"browser required (NEEDLEPOINT_REQUIRE_BROWSER=1) but {CHROMIUM} is missing", 1
        )
    no_chromium = pytest.mark.skipif(
        missing, reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(no_chromium)


def _gate_database_tests(config: pytest.Config, items: list[pytest.Item]) -> None:
    vendor = _database_vendor()
    # Each database's own tests run in that database's pass; the other pass deselects them
    # (deselected, not skipped: every test runs in one of the two passes of `make test`).
    other_only = "postgres_only" if vendor != "postgresql" else "sqlite_only"
    dropped = [i for i in items if other_only in i.keywords]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [i for i in items if other_only not in i.keywords]
    if vendor != "postgresql":
        if REQUIRE_POSTGRES and os.environ.get("NEEDLEPOINT_TEST_PASS") == "postgres":
            pytest.exit("NEEDLEPOINT_REQUIRE_POSTGRES=1 but DATABASE_URL is not PostgreSQL", 1)
        return
    problem = _postgres_problem()
    if problem is not None and REQUIRE_POSTGRES:
        pytest.exit(
            f"PostgreSQL required (NEEDLEPOINT_REQUIRE_POSTGRES=1) but unreachable: {problem}", 1
        )
    unreachable = pytest.mark.skipif(
        problem is not None, reason=f"PostgreSQL not reachable at TEST_DATABASE_URL ({problem})"
    )
    for item in items:
        item.add_marker(unreachable)


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    """Rate-limit counters and cached clinic data never leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def private_files_in_tmp(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Uploads (photos) go to a temporary private directory, never the developer's var/."""
    location = tmp_path_factory.mktemp("private")
    folder = {"location": str(location)}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": folder},
        # Photos in the same folder, as when NEEDLEPOINT_PHOTO_STORAGE is unset.
        "photos": {
            "BACKEND": "needlepoint.core.photo_storage.PrivateFolderStorage",
            "OPTIONS": folder,
        },
    }
    settings.MEDIA_ROOT = location


@pytest.fixture(autouse=True)
def audit_checkpoints_in_tmp(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test's audit checkpoints in its own directory: a checkpoint of one test's rows
    would otherwise make the next test's `audit verify` report them deleted."""
    settings.NEEDLEPOINT_AUDIT_CHECKPOINT_DIR = tmp_path_factory.mktemp("audit-checkpoints")


# ---------------------------------------------------------------- personas


@dataclass
class Persona:
    user: Any
    token: str
    patient: Any = None


def _grant_locations(user: Any, locations: Any) -> None:
    from needlepoint.clinic.models import LocationAccess

    if locations == "group":
        LocationAccess.objects.create(user=user, location=None)
        return
    LocationAccess.objects.bulk_create(
        [LocationAccess(user=user, location=location) for location in locations]
    )


@pytest.fixture
def make_persona(db: None) -> Callable[..., Persona]:
    from allauth.account.models import EmailAddress

    from needlepoint.accounts.models import User
    from needlepoint.accounts.services import api_token_create
    from needlepoint.patients.models import Patient

    def make(
        username: str, role: str, *, with_patient: bool = False, locations: Any = "group"
    ) -> Persona:
        """``locations``: "group" (the default: every location, as a single-location clinic
        has it), or the locations granted (decision 0700)."""
        user = User.objects.create_user(
            username=username,
            password="correct horse battery staple 9",
            role=role,
            email=f"{username}@example.com",
            first_name=username.title(),
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        if user.is_clinic_staff:
            _grant_locations(user, locations)
        patient = None
        if with_patient:
            patient = Patient.objects.create(
                given_name=username.title(),
                family_name="Persona",
                date_of_birth=date(1990, 5, 1),
                email=f"{username}@example.com",
                phone="+1 555 0111",
                user=user,
            )
        return Persona(user=user, token=api_token_create(user=user).raw, patient=patient)

    return make


@pytest.fixture
def patient(make_persona: Callable[..., Persona]) -> Persona:
    return make_persona("pat", "patient", with_patient=True)


@pytest.fixture
def other_patient(make_persona: Callable[..., Persona]) -> Persona:
    return make_persona("otto", "patient", with_patient=True)


@pytest.fixture
def front_desk(make_persona: Callable[..., Persona]) -> Persona:
    return make_persona("fran", "front_desk")


@pytest.fixture
def aesthetician(make_persona: Callable[..., Persona]) -> Persona:
    return make_persona("aria", "aesthetician")


@pytest.fixture
def physician(make_persona: Callable[..., Persona]) -> Persona:
    return make_persona("phil", "physician")


@pytest.fixture
def clinic_admin(make_persona: Callable[..., Persona]) -> Persona:
    return make_persona("adah", "clinic_admin")


@pytest.fixture
def personas(
    patient: Persona,
    front_desk: Persona,
    aesthetician: Persona,
    physician: Persona,
    clinic_admin: Persona,
) -> dict[str, Persona]:
    return {
        "patient": patient,
        "front_desk": front_desk,
        "aesthetician": aesthetician,
        "physician": physician,
        "clinic_admin": clinic_admin,
    }


class ApiClient:
    """A Django test client that speaks JSON with a bearer token."""

    def __init__(self, token: str | None) -> None:
        from django.test import Client

        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def post(self, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
        import json

        return self.client.post(
            f"/api/v1{path}",
            data=json.dumps(body if body is not None else {}),
            content_type="application/json",
            headers={**self.headers, **(headers or {})},
        )


@pytest.fixture
def api() -> Callable[[Persona | None], ApiClient]:
    return lambda persona=None: ApiClient(persona.token if persona else None)


def enrol_totp(user: Any) -> str:
    """Give a staff user a TOTP authenticator; returns the secret."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str) -> str:
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def staff_client(db: None) -> Callable[[Persona], Any]:
    """A page client signed in as a staff persona who has enrolled TOTP."""
    from django.test import Client

    def sign_in(persona: Persona, *, with_totp: bool = True) -> Client:
        if with_totp:
            enrol_totp(persona.user)
        client = Client()
        client.force_login(persona.user)
        return client

    return sign_in


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Close the replica's own connection before the test database is dropped (PostgreSQL
    refuses to drop a database someone is connected to)."""
    yield
    from django.db import connections

    with django_db_blocker.unblock():
        connections["replica"].close()


@pytest.fixture
def reports_replica(db: None, settings: Any) -> Iterator[Any]:
    """Reports read through the ``replica`` alias (a mirror of the test database), which
    shares the primary's open connection so it sees the rows the test wrote inside its
    transaction, as a replica would once caught up. Yields the replica's connection: its
    queries are counted apart from the primary's. The test must name both aliases
    (``tests.replica.WITH_REPLICA``)."""
    from django.db import connections

    settings.NEEDLEPOINT_REPORTS_DATABASE = "replica"
    primary, replica = connections["default"], connections["replica"]
    primary.ensure_connection()
    own = replica.connection, replica.autocommit
    replica.connection, replica.autocommit = primary.connection, primary.autocommit
    try:
        yield replica
    finally:
        # Give the alias its own connection back (Django ends its test transaction there),
        # leaving the shared one open: the primary owns it.
        replica.connection, replica.autocommit = own


# ---------------------------------------------------------------- browser


BROWSER_TIMEOUT_MS = 30_000


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    # Only browser tests ask for this, and they are skipped at collection (or the run stops,
    # under NEEDLEPOINT_REQUIRE_BROWSER=1) when Chromium is missing.
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=BROWSER_TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[_CALL_FAILED] = report.failed
    return report


_CALL_FAILED = pytest.StashKey[bool]()


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    # Generous: on a 2-core CI machine the other test worker may be running the
    # 50-request concurrency test at the same moment.
    page.set_default_timeout(BROWSER_TIMEOUT_MS)
    yield page
    if request.node.stash.get(_CALL_FAILED, False):
        # What the browser showed when the test failed: a screenshot and the page's text.
        out = Path(os.environ.get("NEEDLEPOINT_TEST_RESULTS", "var/test-results"))
        out.mkdir(parents=True, exist_ok=True)
        name = request.node.name.replace("/", "_")
        page.screenshot(path=str(out / f"{name}.png"), full_page=True)
        print(
            f"\nbrowser at {page.url}; screenshot {out / name}.png\n{page.inner_text('body')[:3000]}"
        )
    context.close()
