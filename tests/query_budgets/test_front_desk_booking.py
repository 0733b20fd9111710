"""Booking for a caller: the patients found by a search (one audit event per patient shown,
written in one go) and the free times of a day cost the same for one match as for twenty."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from . import builders
from .builders import counts, pinned


def test_booking_search_runs_the_same_queries_for_1_and_20_patients(
    clinic: Any, front_desk: Any, staff_client: Any
) -> None:
    client = staff_client(front_desk)
    fetch = lambda: client.get("/staff/calendar/book/", {"q": "Family"})  # noqa: E731
    result = counts(builders.patient, fetch)
    # page (session, user, TOTP) + location (the one the staff member works at), staff, rooms,
    # pens + count, one page of matches + audit (one batch) + the service and location lists
    # +1: the user's location grants, read once per request (decision 0700)
    assert result == pinned(22)


def test_booking_page_offers_1_or_20_plans_of_the_caller_in_the_same_queries(
    clinic: Any, front_desk: Any, aesthetician: Any, staff_client: Any
) -> None:
    owner = builders.patient(99)
    client = staff_client(front_desk)
    fetch = lambda: client.get("/staff/calendar/book/", {"patient": owner.pk})  # noqa: E731
    result = counts(lambda i: builders.plan(owner, aesthetician.user), fetch)
    # the page as above, the patient (and its read), the plans with sessions to book
    # (counted in one query) and one audit batch for them
    # +1: the user's location grants, read once per request (decision 0700)
    assert result == pinned(25)


def test_course_page_lists_1_or_20_booked_sessions_in_the_same_queries(
    clinic: Any, front_desk: Any, aesthetician: Any, physician: Any, staff_client: Any
) -> None:
    owner = builders.patient(99)
    course = builders.plan(owner, physician.user)
    client = staff_client(front_desk)

    def add(i: int) -> None:
        builders.appointment(
            i,
            patient=owner,
            staff=(aesthetician, physician)[i % 2].user,
            start=builders.DAY_START + timedelta(days=7 * (i + 1)),
            service="microneedling-face",
            plan=course,
            session=i + 1,
        )

    fetch = lambda: client.get(f"/staff/calendar/plans/{course.pk}/course/")  # noqa: E731
    result = counts(add, fetch)
    # the page, the plan (sessions prefetched, its read audited), the form's lists, and
    # the booked sessions with their staff, room and pen joined
    # +1: the user's location grants, read once per request (decision 0700)
    assert result == pinned(23)
