"""The staff calendar (day and week), the today page and free slots: one appointment per
row, each with its own patient, the two clinicians and the rooms in turn."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from . import builders
from .builders import counts, pinned


def _todays(aesthetician: Any, physician: Any, *, days: int = 1) -> Any:
    def add(i: int) -> None:
        builders.appointment(
            i,
            patient=builders.patient(i),
            staff=(aesthetician, physician)[i % 2].user,
            # 45 minutes apart (a consultation is 30): no clinician or room is double booked.
            start=builders.DAY_START + timedelta(days=i % days, hours=2, minutes=45 * i),
            status="booked" if i % 3 else "completed",
        )

    return add


def test_calendar_day_page_runs_the_same_queries_for_1_and_20_appointments(
    clinic: Any, front_desk: Any, aesthetician: Any, physician: Any, staff_client: Any
) -> None:
    client = staff_client(front_desk)
    result = counts(_todays(aesthetician, physician), lambda: client.get("/staff/calendar/"))
    # page 7 + location + appointments + audit 4 + staff, rooms, locations
    # +1: the user's location grants, read once per request (decision 0700)
    assert result == pinned(17)


def test_calendar_week_page_runs_the_same_queries_for_1_and_20_appointments(
    clinic: Any, front_desk: Any, aesthetician: Any, physician: Any, staff_client: Any
) -> None:
    client = staff_client(front_desk)
    add = _todays(aesthetician, physician, days=5)
    result = counts(add, lambda: client.get("/staff/calendar/week/"))
    # page 7 + location + locations: the grid's appointments come from the feed
    # +1: the user's location grants, read once per request (decision 0700)
    assert result == pinned(10)


def test_calendar_week_list_runs_the_same_queries_for_1_and_20_appointments(
    clinic: Any, front_desk: Any, aesthetician: Any, physician: Any, staff_client: Any
) -> None:
    client = staff_client(front_desk)
    add = _todays(aesthetician, physician, days=5)
    result = counts(add, lambda: client.get("/staff/calendar/week/", {"layout": "list"}))
    # page 7 + location + appointments + audit 4 + staff, rooms, locations
    # +1: the user's location grants, read once per request (decision 0700)
    assert result == pinned(17)


def test_today_page_runs_the_same_queries_for_1_and_20_appointments(
    clinic: Any, front_desk: Any, aesthetician: Any, physician: Any, staff_client: Any
) -> None:
    client = staff_client(front_desk)
    result = counts(_todays(aesthetician, physician), lambda: client.get("/staff/"))
    # +1: the user's location grants, read once per request (decision 0700)
    assert result == pinned(14)  # page 7 + location + appointments (joined) + audit 4


def test_availability_endpoint_runs_the_same_queries_for_1_and_20_booked_appointments(
    clinic: Any, front_desk: Any, aesthetician: Any, physician: Any, api: Any
) -> None:
    client = api(front_desk)
    add = _todays(aesthetician, physician, days=5)
    fetch = lambda: client.get(  # noqa: E731
        "/availability", service="consultation", start="2027-03-01", end="2027-03-05"
    )
    result = counts(add, fetch)
    # token + the user's location grants (0700) + service + location + its terms for the
    # service (0710) + seven calendar reads + staff names
    assert result == pinned(13)


def test_calendar_feed_runs_the_same_queries_for_1_and_20_appointments(
    clinic: Any, front_desk: Any, aesthetician: Any, physician: Any, staff_client: Any
) -> None:
    client = staff_client(front_desk)
    add = _todays(aesthetician, physician, days=5)
    fetch = lambda: client.get(  # noqa: E731
        "/staff/calendar/feed/", {"start": "2027-03-01", "end": "2027-03-07"}
    )
    result = counts(add, fetch)
    # page 7 + location + seven calendar reads + appointments + audit 4 + services
    # (colours) + closures + services (legend); "started treatment" is read only when
    # someone is checked in (one more query, whatever their number)
    # +1: the user's location grants, read once per request (decision 0700)
    assert result == pinned(24)
