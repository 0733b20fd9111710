"""A small clinic for booking tests: location main (America/New_York), the demo services and
rooms and pens, and two clinicians (aria, an aesthetician; phil, a physician) working
Mon-Fri 09:00-17:00 local. Time is frozen on Monday 2027-03-01 08:00 local unless a test
moves it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine

NOW = datetime(2027, 3, 1, 13, 0, tzinfo=UTC)  # Monday 08:00 EST


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


@pytest.fixture
def book(api: Any, front_desk: Any, patient: Any) -> Any:
    """POST /appointments as the front desk for ``patient`` (override with keywords)."""

    def do(start: str, service: str = "consultation", who: Any = None, **extra: Any) -> Any:
        headers = extra.pop("headers", None)
        body = {"service": service, "start": start, "patient": patient.patient.pk, **extra}
        return api(who or front_desk).post("/appointments", body, headers=headers)

    return do
