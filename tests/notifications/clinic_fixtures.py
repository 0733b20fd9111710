"""A small clinic shared by the notification, public booking and waitlist tests: location main
(America/New_York), the demo services, rooms and pens, and two clinicians (aria, phil) working
Mon-Fri 09:00-17:00 local. Time is frozen on Monday 2027-03-01 08:00 local."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine

NOW = datetime(2027, 3, 1, 13, 0, tzinfo=UTC)  # Monday 08:00 EST
TUESDAY_9 = "2027-03-02T09:00:00-05:00"
TUESDAY_10 = "2027-03-02T10:00:00-05:00"
WEDNESDAY_9 = "2027-03-03T09:00:00-05:00"
THURSDAY_9 = "2027-03-04T09:00:00-05:00"


@pytest.fixture
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def clinic(db: None, aesthetician: Any, physician: Any, frozen: Any) -> Any:
    from needlepoint.demo.clinic import ensure_location, ensure_services, ensure_working_hours

    location = ensure_location()
    ensure_services()
    ensure_working_hours(location, [aesthetician.user, physician.user])
    return location


@pytest.fixture(autouse=True)
def _clean_caches_and_sms() -> Any:
    # The database cache (rate limits) rolls back with each test's transaction.
    from needlepoint.notifications.backends.sms import LocmemSmsBackend

    LocmemSmsBackend.outbox.clear()
    yield
    LocmemSmsBackend.outbox.clear()


@pytest.fixture
def booked(clinic: Any, patient: Any, aesthetician: Any) -> Any:
    """Book through the booking core as the front desk; returns the appointment."""
    from needlepoint.clinic.models import Service
    from needlepoint.scheduling.services import appointment_book

    def do(
        start: str,
        service: str = "consultation",
        who: Any = None,
        created_at: Any = None,
        **extra: Any,
    ) -> Any:
        appointment = appointment_book(
            actor=None,
            patient=(who or patient).patient,
            service=Service.objects.get(slug=service),
            start=datetime.fromisoformat(start),
            location=clinic,
            **extra,
        )
        if created_at is not None:
            type(appointment).objects.filter(pk=appointment.pk).update(created_at=created_at)
            appointment.refresh_from_db()
        return appointment

    return do


def days(n: float) -> timedelta:
    return timedelta(days=n)
