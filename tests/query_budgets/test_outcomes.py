"""Outcome lists: a patient's photos and grades over the API, the staff progress, capture
and compare pages, and the clinic's outcome report (page and API)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from . import builders
from .builders import counts, pinned


def _visits(owner: Any, staff: Any) -> Any:
    """Row ``i``: a visit's photo, a grade and a rating, ``i`` weeks ago. A year-old baseline
    photo comes first, so one row already makes a before/after pair."""
    builders.photo(52, patient=owner)

    def add(i: int) -> None:
        builders.photo(i, patient=owner, shared=i % 2 == 0)
        builders.assessment(
            owner,
            staff,
            days_ago=7 * i,
            grade=str(1 + i % 4),
            kind="outcome_1m" if i else "baseline",
        )
        builders.rating(owner, i)

    return add


def test_photo_list_endpoint_runs_the_same_queries_for_1_and_20_photos(
    clinic: Any, aesthetician: Any, api: Any
) -> None:
    owner = builders.patient(99)
    client = api(aesthetician)
    url = f"/patients/{owner.pk}/photos"
    result = counts(_visits(owner, aesthetician.user), lambda: client.get(url, limit=50))
    assert result == pinned(8)  # token + patient + count + one page of photos + audit 4


def test_assessment_list_endpoint_runs_the_same_queries_for_1_and_20_grades(
    clinic: Any, aesthetician: Any, api: Any
) -> None:
    owner = builders.patient(99)
    client = api(aesthetician)
    url = f"/patients/{owner.pk}/assessments"
    result = counts(_visits(owner, aesthetician.user), lambda: client.get(url, limit=50))
    assert result == pinned(8)  # token + patient + audit 4 + one page of grades + count


def test_progress_page_runs_the_same_queries_for_1_and_20_grades_and_ratings(
    clinic: Any, aesthetician: Any, staff_client: Any
) -> None:
    owner = builders.patient(99)
    client = staff_client(aesthetician)
    url = f"/staff/patients/{owner.pk}/outcomes/"
    result = counts(_visits(owner, aesthetician.user), lambda: client.get(url))
    # page 7 + patient + grades + sessions + ratings + audit 4 + the default location (clock)
    # + the protocol table in force (the grades' labels)
    assert result == pinned(17)


def test_capture_page_runs_the_same_queries_for_1_and_20_visits(
    clinic: Any, aesthetician: Any, staff_client: Any
) -> None:
    owner = builders.patient(99)
    client = staff_client(aesthetician)
    url = f"/staff/patients/{owner.pk}/photos/"
    result = counts(_visits(owner, aesthetician.user), lambda: client.get(url))
    # page 7 + patient + audit 4 + 12 reads of views (one per view, not per visit)
    # as above, + the default location (the clinic clock), + the photos still being measured
    assert result == pinned(26)


def test_compare_page_runs_the_same_queries_for_1_and_20_visits(
    clinic: Any, aesthetician: Any, staff_client: Any
) -> None:
    owner = builders.patient(99)
    client = staff_client(aesthetician)
    url = f"/staff/patients/{owner.pk}/photos/compare/"
    result = counts(_visits(owner, aesthetician.user), lambda: client.get(url))
    # page 7, patient, views, dates, the pair 2, sessions, release, audit 4
    assert result == pinned(18)


def _courses(aesthetician: Any, physician: Any) -> Any:
    """Row ``i``: a patient graded at baseline and since, with a session between."""

    def add(i: int) -> None:
        staff = (aesthetician, physician)[i % 2].user
        owner = builders.patient(i)
        builders.assessment(owner, staff, days_ago=120, grade="3", kind="baseline")
        builders.assessment(owner, staff, days_ago=10, grade=str(1 + i % 3), kind="outcome_3m")
        builders.appointment(
            i,
            patient=owner,
            staff=staff,
            start=builders.NOW - timedelta(days=60, hours=i),
            status="completed",
            service="microneedling-face",
        )

    return add


def test_outcome_report_page_runs_the_same_queries_for_1_and_20_patients(
    clinic: Any, aesthetician: Any, physician: Any, staff_client: Any
) -> None:
    client = staff_client(physician)
    add = _courses(aesthetician, physician)
    result = counts(add, lambda: client.get("/staff/reports/outcomes/"))
    assert result == pinned(14)  # page 7 + grades + treatment sessions + audit 4 + reach


def test_outcome_report_endpoint_runs_the_same_queries_for_1_and_20_patients(
    clinic: Any, aesthetician: Any, physician: Any, api: Any
) -> None:
    client = api(physician)
    add = _courses(aesthetician, physician)
    result = counts(add, lambda: client.get("/reports/outcomes"))
    assert result == pinned(8)  # token + grades + treatment sessions + audit 4 + reach
