"""The waitlist (page and API): one waiting entry per row, each with its own patient, the
clinicians and services in turn."""

from __future__ import annotations

from typing import Any

from . import builders
from .builders import counts, pinned


def _entries(aesthetician: Any, physician: Any) -> Any:
    def add(i: int) -> None:
        staff = (aesthetician, physician)[i % 2].user
        builders.waitlist_entry(i, patient=builders.patient(i), staff=staff)

    return add


def test_waitlist_page_runs_the_same_queries_for_1_and_20_entries(
    clinic: Any, front_desk: Any, aesthetician: Any, physician: Any, staff_client: Any
) -> None:
    client = staff_client(front_desk)
    add = _entries(aesthetician, physician)
    result = counts(add, lambda: client.get("/staff/waitlist/"))
    # +1: the user's location grants, read once per request (decision 0700)
    assert result == pinned(14)  # page 7 + entries (joined) + audit 4 + services for the form


def test_waitlist_endpoint_runs_the_same_queries_for_1_and_20_entries(
    clinic: Any, front_desk: Any, aesthetician: Any, physician: Any, api: Any
) -> None:
    client = api(front_desk)
    add = _entries(aesthetician, physician)
    result = counts(add, lambda: client.get("/waitlist", limit=50))
    # +1: the user's location grants, read once per request (decision 0700)
    assert result == pinned(4)  # token + one page of entries (joined) + count
