"""Bookings and availability read the primary even when the reports read a replica: a copy
that lags could offer a slot already taken (docs/decisions/0670-reports-read-a-replica.md)."""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.test.utils import CaptureQueriesContext

from tests.replica import WITH_REPLICA

pytestmark = WITH_REPLICA

TUESDAY_9 = "2027-03-02T09:00:00-05:00"


def test_availability_and_a_booking_never_read_the_replica(
    clinic: Any, book: Any, api: Any, reports_replica: Any
) -> None:
    with (
        CaptureQueriesContext(reports_replica) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        slots = api().get(
            "/availability", service="consultation", start="2027-03-02", end="2027-03-02"
        )
        assert slots.status_code == 200
        assert book(TUESDAY_9).status_code == 201
        assert book(TUESDAY_9, staff="aria").status_code == 409
    assert on_replica.captured_queries == []
    assert any("scheduling_appointment" in q["sql"] for q in on_primary.captured_queries)
