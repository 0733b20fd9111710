"""The portal's 'book my next session' page: its free times (with the aesthetician's name)
cost the same with one other booking in the fortnight as with twenty. Row ``i`` is another
patient's treatment on day ``i`` of the window, the clinicians in turn."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from . import builders
from .builders import counts, pinned


@pytest.fixture
def next_session(clinic: Any, patient: Any, aesthetician: Any, physician: Any) -> Any:
    plan = builders.plan(patient.patient, aesthetician.user, done=1)
    plan.recommendation = {"interval_weeks_range": [3, 40]}
    plan.save(update_fields=["recommendation"])
    others = [builders.patient(i) for i in range(2)]

    def add(i: int) -> None:
        builders.appointment(
            i,
            patient=others[i % 2],
            staff=(aesthetician, physician)[i % 2].user,
            # Rows i and i + 10 share a day and a clinician: two hours apart, so a
            # treatment and its buffer never overlap (PostgreSQL's exclusion constraint).
            start=builders.NOW + timedelta(days=2 + i % 10, hours=2 * (i // 10)),
            service="microneedling-face",
        )

    client = Client()
    client.force_login(patient.user)
    return add, client, f"/portal/plans/{plan.pk}/next-session/"


# A portal page costs 7 and audits once (4). The page's own: the plan, its location, its
# sessions, the treatment service, the spacing data, the calendars (staff, hours, rooms,
# pens, busy time), the free times' staff in one query. The location choice (decisions 0712,
# 0713): the course's treatment again, the locations offering it, their working hours (for
# the opening hours in words), the treatment's terms at the chosen location.
BUDGET = 30


def test_next_session_page_runs_the_same_queries_for_1_and_20_bookings(next_session):
    add, client, url = next_session
    html = client.get(url).content.decode()
    assert 'name="start"' in html  # the window has free times to count
    assert counts(add, lambda: client.get(url)) == pinned(BUDGET)
