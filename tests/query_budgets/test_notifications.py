"""A clinician's calendar: the iCalendar feed (one booked appointment per row, each with its
own patient) and the page listing their feeds (one feed per row)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client

from needlepoint.notifications.services import calendar_feed_create

from . import builders
from .builders import counts, pinned


def test_calendar_feed_runs_the_same_queries_for_1_and_20_appointments(
    clinic: Any, aesthetician: Any
) -> None:
    feed = calendar_feed_create(actor=aesthetician.user, label="phone")

    def add(i: int) -> None:
        builders.appointment(
            i,
            patient=builders.patient(i),
            staff=aesthetician.user,
            start=builders.NOW + timedelta(days=1, minutes=45 * i),
        )

    client = Client()
    result = counts(add, lambda: client.get(f"/calendar/{feed.raw}.ics"))
    # the feed + clinic zone + appointments (joined) + 2 audits of 4 + last used
    assert result == pinned(12)


def test_calendar_feeds_page_runs_the_same_queries_for_1_and_20_feeds(
    clinic: Any, aesthetician: Any, staff_client: Any
) -> None:
    client = staff_client(aesthetician)
    add = lambda i: calendar_feed_create(actor=aesthetician.user, label=f"feed {i}")  # noqa: E731
    result = counts(add, lambda: client.get("/staff/calendar-feeds/"))
    assert result == pinned(8)  # page 7 + the feeds
