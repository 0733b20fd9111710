"""Schemathesis fuzzes every operation in /api/v1/openapi.json: no request gets a 5xx."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

pytestmark = pytest.mark.django_db


from needlepoint.wsgi import application  # noqa: E402  (Django is set up by pytest-django)

# The OpenAPI document is public and needs no database, so it is loaded at collection.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


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
def seeded(clinic_admin, patient, keep_connection):
    from needlepoint.demo.clinic import ensure_location, ensure_services

    ensure_location()
    ensure_services()
    return clinic_admin


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_malformed_request_gets_a_server_error(case, seeded):
    response = case.call(headers={"Authorization": f"Bearer {seeded.token}"})
    assert response.status_code < 500, (case.method, case.path, response.text[:500])
    if response.status_code >= 400 and response.status_code != 405:
        body = response.json()
        assert "detail" in body and isinstance(body.get("errors"), list), body
