"""Bad bearer tokens are limited per address and recorded as a few counted events, so
anonymous garbage cannot grow the audit trail without limit."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from needlepoint.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def bad_token_request(client: Client, n: int, address: str = "203.0.113.7"):
    return client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer garbage-{n}"}, REMOTE_ADDR=address
    )


def failures() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="api_token.use", outcome="denied"))


def test_300_bad_tokens_write_a_few_counted_events_and_later_ones_get_429(settings):
    settings.NEEDLEPOINT_API_TOKEN_FAILURES = 20
    client = Client()
    statuses = [bad_token_request(client, n).status_code for n in range(300)]
    assert statuses[:20] == [401] * 20
    assert set(statuses[20:]) == {429}
    recorded = failures()
    assert len(recorded) == 2
    assert [e.detail["count"] for e in recorded] == [1, 20]
    assert recorded[1].detail["reason"] == "too_many_failures"
    assert all(e.ip == "203.0.113.7" for e in recorded)


def test_a_limited_address_is_told_when_to_come_back(settings):
    settings.NEEDLEPOINT_API_TOKEN_FAILURES = 3
    settings.NEEDLEPOINT_API_TOKEN_FAILURE_WINDOW_SECONDS = 600
    client = Client()
    for n in range(3):
        bad_token_request(client, n)
    refused = bad_token_request(client, 4)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 600
    assert "try again" in refused.json()["detail"]


def test_the_limit_is_per_address_and_ends_with_its_window(settings, patient):
    settings.NEEDLEPOINT_API_TOKEN_FAILURES = 3
    client = Client()
    for n in range(4):
        bad_token_request(client, n)
    assert bad_token_request(client, 9, address="198.51.100.2").status_code == 401
    good = {"Authorization": f"Bearer {patient.token}"}
    # Once limited, the address may not try tokens at all, good ones included.
    assert client.get("/api/v1/me", headers=good, REMOTE_ADDR="203.0.113.7").status_code == 429
    later = timezone.now() + timedelta(
        seconds=settings.NEEDLEPOINT_API_TOKEN_FAILURE_WINDOW_SECONDS
    )
    with time_machine.travel(later):
        assert bad_token_request(client, 10).status_code == 401
        assert client.get("/api/v1/me", headers=good, REMOTE_ADDR="203.0.113.7").status_code == 200
