"""Treatment bookings need a current candidate determination and an active plan; a plan's
remaining sessions are booked as one course, all or none."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

TUESDAY_9 = "2027-03-02T09:00:00-05:00"


@pytest.fixture
def consultation(clinic, patient, physician):
    from needlepoint.screening.models import Consultation

    return Consultation.objects.create(
        patient=patient.patient,
        fitzpatrick=2,
        concerns=[{"concern": "acne_scarring", "grade": "2"}],
        zones=["face"],
        determination="candidate",
        protocol_version="test",
        signed_by=physician.user,
        signed_at="2027-02-20T15:00:00Z",
    )


@pytest.fixture
def plan(consultation, patient, physician):
    from needlepoint.treatments.models import PlanSession, TreatmentPlan

    plan = TreatmentPlan.objects.create(
        patient=patient.patient,
        consultation=consultation,
        protocol_version="test",
        recommendation={"interval_weeks": 4, "interval_weeks_range": [4, 6]},
        sessions=3,
        interval_weeks=4,
        maintenance_months=12,
        zones=[{"zone": "face", "depth_mm": [0.5, 1.0]}],
        created_by=physician.user,
    )
    for index in (1, 2, 3):
        PlanSession.objects.create(plan=plan, index=index)
    return plan


def test_a_treatment_without_a_determination_is_422_naming_the_patient(clinic, book):
    response = book(TUESDAY_9, "microneedling-face")
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["field"] == "patient"


def test_a_candidate_without_an_active_plan_is_422(consultation, book):
    response = book(TUESDAY_9, "microneedling-face")
    assert response.status_code == 422
    assert "plan" in response.json()["errors"][0]["message"]


def test_a_candidate_with_an_active_plan_books_a_treatment_with_a_pen(plan, book):
    response = book(TUESDAY_9, "microneedling-face")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["device"] == "micropen-1"
    assert body["room"] == "treatment-1"
    assert body["plan"] == plan.pk
    assert body["busy_until"] == "2027-03-02T10:15:00-05:00"


def test_a_course_books_every_remaining_session_spaced_by_the_plan(plan, api, front_desk):
    from needlepoint.treatments.models import PlanSession

    response = api(front_desk).post(
        f"/plans/{plan.pk}/book", {"service": "microneedling-face", "staff": "aria"}
    )
    assert response.status_code == 201, response.content
    sessions = response.json()["appointments"]
    assert [s["plan_session"] for s in sessions] == [1, 2, 3]
    assert [s["start"][:10] for s in sessions] == ["2027-03-01", "2027-03-29", "2027-04-26"]
    assert {s["staff"] for s in sessions} == {"aria"}
    assert {s["series"] for s in sessions} == {response.json()["series"]}
    statuses = list(PlanSession.objects.filter(plan=plan).values_list("status", flat=True))
    assert statuses == ["booked"] * 3


def test_a_course_that_cannot_be_placed_books_nothing_and_names_the_session(plan, api, front_desk):
    from datetime import date, timedelta

    from needlepoint.clinic.models import Closure, Location
    from needlepoint.scheduling.models import Appointment

    # The clinic is shut from 5 April on: the second session still fits (4-6 weeks after
    # 1 March), the third can't.
    location = Location.objects.get(slug="main")
    for offset in range(130):
        Closure.objects.create(location=location, date=date(2027, 4, 5) + timedelta(days=offset))
    response = api(front_desk).post(f"/plans/{plan.pk}/book", {"service": "microneedling-face"})
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["session"] == 3
    assert body["code"] == "no_free_slot"
    assert "Session" in body["detail"]
    assert not Appointment.objects.exists()


def test_patients_may_not_book_a_whole_course(plan, api, patient):
    response = api(patient).post(f"/plans/{plan.pk}/book", {"service": "microneedling-face"})
    assert response.status_code == 403


def test_an_unknown_plan_is_404(clinic, api, front_desk):
    response = api(front_desk).post("/plans/99999/book", {"service": "microneedling-face"})
    assert response.status_code == 404


def sessions(plan):
    return [(s.index, s.status, s.booked_for) for s in plan.plan_sessions.order_by("index")]


def test_a_booked_treatment_takes_the_plans_next_session_and_cancelling_gives_it_back(
    plan, book, api, front_desk
):
    from datetime import date

    response = book(TUESDAY_9, "microneedling-face")
    assert response.status_code == 201, response.content
    appointment = response.json()["id"]
    assert sessions(plan) == [
        (1, "booked", date(2027, 3, 2)),
        (2, "planned", None),
        (3, "planned", None),
    ]
    moved = api(front_desk).post(
        f"/appointments/{appointment}/reschedule", {"start": "2027-03-04T10:00:00-05:00"}
    )
    assert moved.status_code == 200, moved.content
    assert sessions(plan)[0] == (1, "booked", date(2027, 3, 4))
    cancelled = api(front_desk).post(f"/appointments/{appointment}/cancel", {})
    assert cancelled.status_code == 200, cancelled.content
    assert sessions(plan)[0] == (1, "planned", None)


def test_the_next_treatment_takes_the_next_session(plan, book):
    assert book(TUESDAY_9, "microneedling-face").status_code == 201
    assert book("2027-03-30T09:00:00-04:00", "microneedling-face").status_code == 201
    assert [s[1] for s in sessions(plan)] == ["booked", "booked", "planned"]
