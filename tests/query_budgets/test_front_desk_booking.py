"""Booking for a caller: the patients found by a search (one audit event per patient shown,
written in one go) and the free times of a day cost the same for one match as for twenty."""

from __future__ import annotations

from typing import Any

from . import builders
from .builders import counts, pinned


def test_booking_search_runs_the_same_queries_for_1_and_20_patients(
    clinic: Any, front_desk: Any, staff_client: Any
) -> None:
    client = staff_client(front_desk)
    fetch = lambda: client.get("/staff/calendar/book/", {"q": "Family"})  # noqa: E731
    result = counts(builders.patient, fetch)
    # page (session, user, TOTP) + location, staff, rooms, pens + count, one page of matches
    # + audit (one batch) + the service and location lists
    assert result == pinned(20)
