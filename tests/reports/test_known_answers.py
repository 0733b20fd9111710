"""Every report figure against its answer worked out by hand (tests/reports/known_clinic.py).

Utilisation (North):
  Aria  week 1: 60 (P1) + 60 (P2's no-show holds its time) + 30 (P4) = 150 / 960 = 15.6%
        week 2: 60 + 60 (still booked) = 120 / 480 (Tuesday closed) = 25%
  Phil  week 1: 60 / 240 = 25%;  week 2: 60 / 240 = 25%
  Room  week 1: 150 + 60 = 210 / 1200 = 17.5%;  week 2: 180 / 720 = 25%
  Pen   week 1: 60 + 60 + 60 = 180 / 1200 = 15%;  week 2: 180 / 720 = 25%
Attendance (North): kept 5, no-shows 1, late 1 → due 7: 14.3% and 14.3%; the group adds
  South's kept consultation: due 8, 12.5% and 12.5%.
Rebooking (North): visits P1, P4, P7 and P2 (P6's was the course's last session): P1 booked
  as they left, P7 had the course booked; P2's next booking came two hours later → 2 of 4.
  The group adds P8 (no next booking): 2 of 5.
Courses (North): P1's (3 planned, 2 done) and P7's (3 planned, 2 done) began in the range;
  P6's began in December. 4 of 6 = 66.7%. Gaps 28 days (plan 28) and 40 (plan 28): mean 34,
  planned 28, 1 of 2 within a week.
Funnel (group): 3 online screenings → 2 consultations → 1 first session (P1).
  North: s2 only (booked there) → 1 → 0. South: s1 → 1 → 1.
Outcomes (North): after 1 session, +1 (P1) and +2 (P7): mean 1.5; after 2 sessions, +2 (P6).
  Adverse events: 1 with onset in the range, over 4 completed treatments → 25 per 100.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from needlepoint.reports import figures
from needlepoint.reports.database import reading_for_reports
from needlepoint.reports.utilisation import totals_by_kind, utilisation
from tests.replica import WITH_REPLICA

from .known_clinic import END, START, build

pytestmark = WITH_REPLICA


@pytest.fixture
def clinic(db: None) -> Iterator[Any]:
    built = build()
    # Read as a report page does: through the replica's alias (tests/reports/conftest.py).
    with reading_for_reports():
        yield built


def test_utilisation_by_week(clinic: Any) -> None:
    rows = utilisation(start=START, end=END, locations=[clinic.north])
    found = {(r.kind, r.name): [w.share.percent for w in r.weeks] for r in rows}
    assert found == {
        ("staff", "Aria"): [15.6, 25.0],
        ("staff", "Phil"): [25.0, 25.0],
        ("room", "Room A"): [17.5, 25.0],
        ("device", "Pen (pen-1)"): [15.0, 25.0],
    }
    minutes = {
        (r.kind, r.name): [(w.booked_minutes, w.working_minutes) for w in r.weeks] for r in rows
    }
    assert minutes[("staff", "Aria")] == [(150, 960), (120, 480)]
    assert minutes[("room", "Room A")] == [(210, 1200), (180, 720)]


def test_utilisation_for_the_group_adds_the_locations(clinic: Any) -> None:
    rows = utilisation(start=START, end=END, locations=[clinic.north, clinic.south])
    staff = totals_by_kind(rows, [START, date(2026, 1, 12)])["staff"]
    # Aria + Phil + Sam: (150 + 60 + 30) / (960 + 240 + 240), then (120 + 60) / (480 + 240 + 240).
    assert [(w.booked_minutes, w.working_minutes) for w in staff] == [(240, 1440), (180, 960)]


def test_no_shows_and_late_cancellations(clinic: Any) -> None:
    weeks = figures.attendance(start=START, end=END, locations=[clinic.north])
    assert [
        (w.completed, w.no_shows, w.late_cancellations, w.early_cancellations) for w in weeks
    ] == [
        (3, 1, 1, 1),
        (2, 0, 0, 0),
    ]
    due = sum(w.due for w in weeks)
    assert due == 7
    group = figures.attendance(start=START, end=END, locations=[clinic.north, clinic.south])
    assert sum(w.due for w in group) == 8
    assert sum(w.no_shows for w in group) == 1


def test_rebooking(clinic: Any) -> None:
    weeks = figures.rebooking(start=START, end=END, locations=[clinic.north])
    assert [(w.visits, w.rebooked) for w in weeks] == [(3, 2), (1, 0)]
    group = figures.rebooking(start=START, end=END, locations=[clinic.north, clinic.south])
    assert (sum(w.visits for w in group), sum(w.rebooked for w in group)) == (5, 2)


def test_course_completion_and_spacing(clinic: Any) -> None:
    found = figures.courses(start=START, end=END, locations=[clinic.north])
    assert (found.courses, found.planned, found.done) == (2, 6, 4)
    assert found.completion.percent == 66.7
    assert found.spacing.gaps == 2
    assert found.spacing.mean_days == 34.0
    assert found.spacing.mean_planned_days == 28.0
    assert (found.spacing.on_time.part, found.spacing.on_time.whole) == (1, 2)
    assert figures.courses(start=START, end=END, locations=[clinic.south]).courses == 0


def test_funnel(clinic: Any) -> None:
    both = [clinic.north, clinic.south]
    group = figures.funnel(start=START, end=END, locations=both, group=True)
    assert [s.count for s in group] == [3, 2, 1]
    assert [s.of_first.percent for s in group] == [100.0, 66.7, 33.3]
    assert [s.of_previous.percent for s in group] == [100.0, 66.7, 50.0]
    north = figures.funnel(start=START, end=END, locations=[clinic.north], group=False)
    assert [s.count for s in north] == [1, 1, 0]
    south = figures.funnel(start=START, end=END, locations=[clinic.south], group=False)
    assert [s.count for s in south] == [1, 1, 1]


def test_outcomes(clinic: Any) -> None:
    found = figures.outcomes(start=START, end=END, locations=[clinic.north])
    assert [(g.sessions, g.assessments, g.mean_steps) for g in found.grade_change] == [
        (1, 2, 1.5),
        (2, 1, 2.0),
    ]
    assert (found.adverse_events, found.sessions) == (1, 4)
    assert found.adverse_per_hundred == 25.0
    assert figures.outcomes(start=START, end=END, locations=[clinic.south]).grade_change == []


def test_the_page_shows_the_hand_computed_figures(
    clinic: Any, clinic_admin: Any, staff_client: Any
) -> None:
    client = staff_client(clinic_admin)
    query = {"start": "2026-01-05", "end": "2026-01-18", "location": "north"}
    page = client.get("/staff/reports/attendance/", query).content.decode()
    assert "14.3% (1 of 7)" in page
    csv = client.get("/staff/reports/utilisation/download/", query).content.decode()
    assert "Clinician,Aria,North,15.6%,25%" in csv
    assert "15.6%" in csv and "17.5%" in csv
