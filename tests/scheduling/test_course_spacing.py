"""A course's spacing holds for sessions booked or moved one at a time: too soon after (or
before) another session of the plan is 422 with the earliest allowed date, unless a
clinician overrides with a reason, which is kept on the appointment and in its audit event."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.scheduling.test_treatments_and_courses import consultation, plan  # noqa: F401

pytestmark = pytest.mark.django_db

TREATMENT = "microneedling-face"
WEDNESDAY_3 = "2027-03-03T09:00:00-05:00"
MONDAY_8 = "2027-03-08T09:00:00-05:00"  # 5 days later: far too soon on a 4-weekly plan
WEDNESDAY_31 = "2027-03-31T09:00:00-04:00"  # 4 weeks later: the earliest allowed


@pytest.fixture
def first_session(plan, book):  # noqa: F811
    response = book(WEDNESDAY_3, TREATMENT)
    assert response.status_code == 201, response.content
    return response.json()["id"]


def _spacing_refusal(response):
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["earliest_allowed"] == "2027-03-31"
    assert body["errors"][0]["field"] == "start"
    assert "Wednesday 31 March 2027" in body["errors"][0]["message"]
    return body


def test_the_front_desk_booking_a_session_five_days_after_the_last_is_refused(first_session, book):
    from needlepoint.scheduling.models import Appointment

    _spacing_refusal(book(MONDAY_8, TREATMENT))
    assert Appointment.objects.count() == 1


def test_the_earliest_allowed_date_can_be_booked(first_session, book):
    assert book(WEDNESDAY_31, TREATMENT).status_code == 201


def test_a_clinician_overrides_the_spacing_with_a_reason_that_is_recorded(
    first_session, book, aesthetician
):
    from needlepoint.audit.models import AuditEvent
    from needlepoint.scheduling.models import Appointment

    reason = "Patient travels abroad for three months; physician agreed."
    response = book(MONDAY_8, TREATMENT, who=aesthetician, spacing_override_reason=reason)
    assert response.status_code == 201, response.content
    assert response.json()["spacing_override_reason"] == reason
    appointment = Appointment.objects.get(pk=response.json()["id"])
    assert appointment.spacing_override_reason == reason
    event = AuditEvent.objects.get(action="appointment.book", object_id=str(appointment.pk))
    assert event.detail["spacing_override"] == {
        "reason": reason,
        "earliest_allowed": "2027-03-31",
        "too_close_to_session": 1,
    }
    assert event.actor_username == "aria"


def test_the_front_desk_may_not_override_the_spacing(first_session, book):
    from needlepoint.scheduling.models import Appointment

    response = book(MONDAY_8, TREATMENT, spacing_override_reason="the patient insists")
    assert response.status_code == 403, response.content
    assert Appointment.objects.count() == 1


def test_a_blank_override_reason_overrides_nothing(first_session, book, physician):
    _spacing_refusal(book(MONDAY_8, TREATMENT, who=physician, spacing_override_reason="   "))


def test_a_booking_within_the_spacing_records_no_override(first_session, book, physician):
    response = book(WEDNESDAY_31, TREATMENT, who=physician, spacing_override_reason="not needed")
    assert response.status_code == 201, response.content
    assert response.json()["spacing_override_reason"] == ""


def test_moving_a_session_too_close_to_another_is_refused_unless_a_clinician_overrides(
    first_session, book, api, front_desk, aesthetician
):
    from needlepoint.scheduling.models import Appointment

    second = book(WEDNESDAY_31, TREATMENT).json()["id"]
    moved = api(front_desk).post(f"/appointments/{second}/reschedule", {"start": MONDAY_8})
    _spacing_refusal(moved)
    assert Appointment.objects.get(pk=second).start.isoformat() == "2027-03-31T13:00:00+00:00"

    reason = "Second session early: wedding on 20 March, agreed with the patient."
    moved = api(aesthetician).post(
        f"/appointments/{second}/reschedule",
        {"start": MONDAY_8, "spacing_override_reason": reason},
    )
    assert moved.status_code == 200, moved.content
    assert Appointment.objects.get(pk=second).spacing_override_reason == reason


def test_moving_a_session_within_its_own_date_range_is_not_refused(first_session, api, front_desk):
    # Session 1 is the only dated one: moving it is not "too close" to itself.
    moved = api(front_desk).post(
        f"/appointments/{first_session}/reschedule", {"start": "2027-03-04T09:00:00-05:00"}
    )
    assert moved.status_code == 200, moved.content


def _book_on_the_page(client, patient, **extra):
    return client.post(
        "/staff/calendar/book/",
        {
            "patient": patient.patient.pk,
            "service": TREATMENT,
            "location": "main",
            "date": "2027-03-08",
            "notes": "Wants the cheek area first.",
            "start": "2027-03-08T14:00:00+00:00",
            **extra,
        },
    )


def test_the_booking_page_shows_the_earliest_allowed_date_and_keeps_what_was_typed(
    first_session, staff_client, front_desk, patient
):
    from needlepoint.scheduling.models import Appointment

    page = _book_on_the_page(staff_client(front_desk), patient)
    assert page.status_code == 422
    html = page.content.decode()
    assert "The earliest allowed date is Wednesday 31 March 2027" in html
    assert "Wants the cheek area first." in html
    assert 'value="2027-03-08"' in html
    assert "spacing_override_reason" not in html  # the front desk can't override
    assert Appointment.objects.count() == 1


def test_a_clinician_overrides_the_spacing_on_the_booking_page(
    first_session, staff_client, aesthetician, patient
):
    from needlepoint.scheduling.models import Appointment

    client = staff_client(aesthetician)
    refused = _book_on_the_page(client, patient)
    assert refused.status_code == 422
    assert 'name="spacing_override_reason"' in refused.content.decode()
    booked = _book_on_the_page(client, patient, spacing_override_reason="Travelling in April.")
    assert booked.status_code == 302
    assert Appointment.objects.latest("pk").spacing_override_reason == "Travelling in April."


def test_the_reschedule_page_refuses_a_move_too_close_to_another_session(
    first_session, book, staff_client, front_desk
):
    second = book(WEDNESDAY_31, TREATMENT).json()["id"]
    page = staff_client(front_desk).post(
        f"/staff/calendar/appointments/{second}/",
        {"date": "2027-03-08", "start": "2027-03-08T14:00:00+00:00"},
    )
    assert page.status_code == 422
    html = page.content.decode()
    assert "The earliest allowed date is Wednesday 31 March 2027" in html
    assert 'value="2027-03-08"' in html


def test_the_spacing_check_costs_the_same_queries_however_many_sessions_are_dated(
    plan,  # noqa: F811
    book,
):

    counts = []
    for start in (WEDNESDAY_3, WEDNESDAY_31, "2027-04-28T09:00:00-04:00"):
        with CaptureQueriesContext(connection) as queries:
            assert book(start, TREATMENT).status_code == 201
        counts.append(len(queries))
    assert counts[1] == counts[2], counts


def test_the_treatment_day_is_offered_only_to_those_who_may_open_it(
    first_session, staff_client, front_desk, aesthetician
):
    """The front desk is not sent to a page that answers 403; a clinician is offered it."""
    url = f"/staff/calendar/appointments/{first_session}/"
    treatment_day = f"/staff/appointments/{first_session}/treatment/"
    assert treatment_day not in staff_client(front_desk).get(url).content.decode()
    assert treatment_day in staff_client(aesthetician).get(url).content.decode()
