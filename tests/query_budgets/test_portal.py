"""The patient portal's lists: home, appointments, forms, progress and photos. Row ``i`` is
an upcoming treatment session and a past one (the clinicians, rooms and pens in turn), a
consent signed at the past one, a shared photo, a grade, a rating and a waitlist request."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from . import builders
from .builders import counts, pinned


@pytest.fixture
def portal(clinic: Any, patient: Any, aesthetician: Any, physician: Any) -> Any:
    owner = patient.patient
    plan = builders.plan(owner, aesthetician.user, done=1)
    # A year-old baseline photo: with one row the photo page already shows a before/after pair.
    builders.photo(52, patient=owner)

    def add(i: int) -> None:
        staff = (aesthetician, physician)[i % 2].user
        builders.appointment(
            i,
            patient=owner,
            staff=staff,
            start=builders.NOW + timedelta(days=i + 1),
            service="microneedling-face",
            plan=plan,
            session=2,
        )
        past = builders.appointment(
            i,
            patient=owner,
            staff=staff,
            start=builders.NOW - timedelta(days=i + 1),
            status="completed",
            service="microneedling-face",
            plan=plan,
            session=1,
        )
        builders.consent(past, staff)
        builders.photo(i, patient=owner)
        builders.assessment(
            owner,
            staff,
            days_ago=7 * i,
            grade=str(1 + i % 4),
            kind="outcome_1m" if i else "baseline",
        )
        builders.rating(owner, i)
        builders.waitlist_entry(i, patient=owner, staff=staff)

    client = Client()
    client.force_login(patient.user)
    return add, client


# A portal page costs 7 (session, user, clinic zone, own record; saving the session 3)
# and audits once (4); the rest is the page's own reads.
@pytest.mark.parametrize(
    ("path", "budget"),
    [
        # today, upcoming and past, follow-ups + their audit, consents 2, aftercare 2, plan 2
        ("/portal/", 25),
        # upcoming and past, today, follow-ups + their audit, the plan and its sessions (for
        # "book my next session"), the waiting list (service, location, staff joined)
        ("/portal/appointments/", 22),
        # consents signed, upcoming visits needing one, the last ten signed
        ("/portal/forms/", 14),
        # plan and its sessions, grades, session days, ratings, protocol data
        # + the default location (the clinic clock), the concerns' labels
        ("/portal/progress/", 28),  # 19, + "What your photos show": the measured views' series
        # shared photos, sessions between the pair
        ("/portal/photos/", 13),
    ],
)
def test_portal_page_runs_the_same_queries_for_1_and_20_rows(
    portal: Any, path: str, budget: int
) -> None:
    add, client = portal
    result = counts(add, lambda: client.get(path))
    assert result == pinned(budget)
