"""The staff patient list: the page and GET /patients."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from . import builders
from .builders import counts, pinned

HUB_CLINICAL = 25
HUB_ADMIN = 26
SEARCH_BY_BIRTHDAY = 15


def test_staff_patient_list_page_runs_the_same_queries_for_1_and_20_patients(
    clinic: Any, front_desk: Any, staff_client: Any
) -> None:
    client = staff_client(front_desk)
    result = counts(builders.patient, lambda: client.get("/staff/patients/"))
    # page 7 + count + one page of patients + their next appointments + audit 4
    assert result == pinned(14)


def test_patient_list_endpoint_runs_the_same_queries_for_1_and_20_patients(
    clinic: Any, front_desk: Any, api: Any
) -> None:
    client = api(front_desk)
    result = counts(builders.patient, lambda: client.get("/patients", limit=50))
    assert result == pinned(7)  # token + count + one page of patients + audit 4


def hub_rows(owner: Any, staff: Any) -> Any:
    """Row ``i``: an upcoming appointment, a photo, a grade and an adverse event."""
    treatment_plan = builders.plan(owner, staff, done=1)
    session_chart = builders.chart(0, patient=owner, operator=staff, plan=treatment_plan)
    builders.consent(session_chart.appointment, staff)

    def add(i: int) -> None:
        start = builders.NOW + timedelta(days=i + 1)
        builders.appointment(i, patient=owner, staff=staff, start=start)
        builders.photo(i, patient=owner)
        builders.assessment(owner, staff, days_ago=i, grade="2", kind="baseline")
        builders.adverse_event(session_chart, staff, i)

    return add


def test_the_patient_hub_runs_the_same_queries_for_1_and_20_appointments_and_photos(
    clinic: Any, aesthetician: Any, staff_client: Any
) -> None:
    owner = builders.patient(0)
    client = staff_client(aesthetician)
    result = counts(
        hub_rows(owner, aesthetician.user), lambda: client.get(f"/staff/patients/{owner.pk}/")
    )
    # page 7 + patient + audit 4 + alerts 4 (screening, consultation, its amendments and
    # clearances) + plans 2 (with their sessions) + appointments, consents, photos, grades,
    # adverse events, follow-ups, messages (1 each)
    assert result == pinned(HUB_CLINICAL)


def test_the_patient_hub_for_the_clinic_admin_runs_the_same_queries_for_1_and_20_rows(
    clinic: Any, aesthetician: Any, clinic_admin: Any, staff_client: Any
) -> None:
    owner = builders.patient(0)
    client = staff_client(clinic_admin)
    result = counts(
        hub_rows(owner, aesthetician.user), lambda: client.get(f"/staff/patients/{owner.pk}/")
    )
    # as above without photos and follow-ups (not the admin's), with who opened the record
    # (the records merged into it, then the events with each staff member's name), and
    # whether the patient asked from the portal for their data to be erased
    assert result == pinned(HUB_ADMIN)


def test_searching_by_date_of_birth_runs_the_same_queries_for_1_and_20_matches(
    clinic: Any, front_desk: Any, staff_client: Any
) -> None:
    """Every builder's patient shares a birthday here, so all twenty match, each with an
    upcoming appointment: the next-appointment column stays one query."""
    staff = front_desk.user

    def add(i: int) -> None:
        owner = builders.patient(i)
        owner.date_of_birth = builders.TODAY.replace(year=1980)
        owner.save()
        start = builders.NOW + timedelta(days=i + 1)
        builders.appointment(i, patient=owner, staff=staff, start=start)

    client = staff_client(front_desk)
    result = counts(add, lambda: client.get("/staff/patients/", {"q": "1 March 1980"}))
    # the plain list (14) + the default location, for "today" when reading a typed date
    assert result == pinned(SEARCH_BY_BIRTHDAY)
