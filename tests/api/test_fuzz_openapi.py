"""Schemathesis fuzzes every operation in /api/v1/openapi.json with every check on: no
request gets a 5xx, and every answer is one the document promises (status code, content
type, body schema). ``NEEDLEPOINT_FUZZ_EXAMPLES`` sets the examples per operation (``make
fuzz`` runs many more than ``make test``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

pytestmark = pytest.mark.django_db


from needlepoint.wsgi import application  # noqa: E402  (Django is set up by pytest-django)

EXAMPLES = int(os.environ.get("NEEDLEPOINT_FUZZ_EXAMPLES", "10"))
CONFIG = SchemathesisConfig.from_path(Path(__file__).parents[2] / "schemathesis.toml")

# The OpenAPI document is public and needs no database, so it is loaded at collection.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG)


@pytest.fixture
def keep_connection():
    """Call the WSGI app in-process without its request signals closing the test's
    database connection (Django's own test client does the same)."""
    from django.core import signals
    from django.db import close_old_connections

    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def seeded(clinic_admin, patient, keep_connection, settings):
    from needlepoint.demo.clinic import ensure_location, ensure_services

    # Schemathesis also sends requests without or with a wrong token (its auth checks); the
    # limit on failed tokens per address (tests/accounts/test_api_token_failures.py) would
    # otherwise answer 429 part-way through an operation's examples.
    settings.NEEDLEPOINT_API_TOKEN_FAILURES = 1_000_000

    ensure_location()
    ensure_services()
    return clinic_admin


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_answer_is_documented_and_none_is_a_server_error(case, seeded):
    response = case.call_and_validate(headers={"Authorization": f"Bearer {seeded.token}"})
    assert response.status_code < 500, (case.method, case.path, response.text[:500])
