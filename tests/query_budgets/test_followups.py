"""The follow-up list (page and API): one finished course per row, each with its own
patient and plan, proposed by the follow-up service (outcome visits and a recall)."""

from __future__ import annotations

from typing import Any

from . import builders
from .builders import counts, pinned


def _courses(aesthetician: Any, physician: Any) -> Any:
    def add(i: int) -> None:
        staff = (aesthetician, physician)[i % 2].user
        builders.follow_ups(builders.plan(builders.patient(i), staff, done=3), staff)

    return add


def test_follow_up_page_runs_the_same_queries_for_1_and_20_courses(
    clinic: Any, front_desk: Any, aesthetician: Any, physician: Any, staff_client: Any
) -> None:
    client = staff_client(front_desk)
    add = _courses(aesthetician, physician)
    result = counts(add, lambda: client.get("/staff/follow-ups/", {"tab": "proposed"}))
    # page 7, list 2, audit 4, slots 10 for all rows, 5 tab counts of 2, today, and the
    # follow-up service's terms at the location (decision 0710), the user's locations and
    # where each course's last session was (decision 0700: times only where they may act),
    # and the names of the staff the times are with
    assert result == pinned(38)


def test_follow_up_endpoint_runs_the_same_queries_for_1_and_20_courses(
    clinic: Any, front_desk: Any, aesthetician: Any, physician: Any, api: Any
) -> None:
    client = api(front_desk)
    add = _courses(aesthetician, physician)
    result = counts(add, lambda: client.get("/follow-ups", state="proposed", limit=100))
    assert result == pinned(7)  # token + clinic zone (today) + follow-ups (joined) + audit 4
