from __future__ import annotations

import pytest
import time_machine

pytestmark = pytest.mark.django_db

TUESDAY_9 = "2027-03-02T09:00:00-05:00"
FRIDAY_9 = "2027-03-05T09:00:00-05:00"


@pytest.fixture
def booked(clinic, book):
    def make(start=FRIDAY_9, **extra):
        response = book(start, **extra)
        assert response.status_code == 201, response.content
        return response.json()

    return make


def test_cancelling_early_is_not_late_and_frees_the_slot(clinic, booked, api, front_desk, book):
    appointment = booked()
    response = api(front_desk).post(
        f"/appointments/{appointment['id']}/cancel", {"reason": "patient asked"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "cancelled"
    assert body["late_cancellation"] is False
    assert body["cancel_reason"] == "patient asked"
    assert book(FRIDAY_9, staff="aria").status_code == 201


def test_cancelling_within_48_hours_is_marked_late_not_refused(clinic, booked, api, patient):
    appointment = booked(TUESDAY_9)  # 25 hours away
    response = api(patient).post(f"/appointments/{appointment['id']}/cancel", {})
    assert response.status_code == 200
    assert response.json()["late_cancellation"] is True


def test_a_cancelled_appointment_cannot_be_cancelled_again(clinic, booked, api, front_desk):
    appointment = booked()
    api(front_desk).post(f"/appointments/{appointment['id']}/cancel", {})
    response = api(front_desk).post(f"/appointments/{appointment['id']}/cancel", {})
    assert response.status_code == 409
    assert response.json()["code"] == "not_booked"


def test_a_patient_cannot_cancel_someone_elses_appointment(clinic, booked, api, other_patient):
    appointment = booked()
    response = api(other_patient).post(f"/appointments/{appointment['id']}/cancel", {})
    assert response.status_code == 404


def test_rescheduling_moves_the_appointment_and_keeps_its_id(clinic, booked, api, front_desk):
    from needlepoint.audit.models import AuditEvent

    appointment = booked()
    response = api(front_desk).post(
        f"/appointments/{appointment['id']}/reschedule", {"start": "2027-03-05T11:00:00-05:00"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["id"] == appointment["id"]
    assert response.json()["start"] == "2027-03-05T11:00:00-05:00"
    assert AuditEvent.objects.filter(action="appointment.reschedule").count() == 1


def test_rescheduling_a_few_minutes_later_may_overlap_its_own_old_time(
    clinic, booked, api, front_desk
):
    appointment = booked(staff="aria")
    response = api(front_desk).post(
        f"/appointments/{appointment['id']}/reschedule",
        {"start": "2027-03-05T09:15:00-05:00", "staff": "aria"},
    )
    assert response.status_code == 200, response.content


def test_rescheduling_into_a_taken_slot_is_409_and_keeps_the_old_time(
    clinic, booked, api, front_desk, other_patient
):
    mine = booked()
    booked("2027-03-05T11:00:00-05:00", patient=other_patient.patient.pk)
    response = api(front_desk).post(
        f"/appointments/{mine['id']}/reschedule", {"start": "2027-03-05T11:00:00-05:00"}
    )
    assert response.status_code == 409
    assert len(response.json()["alternatives"]) == 3
    assert api(front_desk).get(f"/appointments/{mine['id']}").json()["start"] == FRIDAY_9


def test_rescheduling_to_a_bad_time_is_422(clinic, booked, api, front_desk):
    appointment = booked()
    response = api(front_desk).post(
        f"/appointments/{appointment['id']}/reschedule", {"start": "2027-03-05T09:07:00-05:00"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "start"


def test_a_no_show_is_only_marked_after_the_start(clinic, booked, api, front_desk):
    appointment = booked(TUESDAY_9)
    early = api(front_desk).post(f"/appointments/{appointment['id']}/no-show")
    assert early.status_code == 409
    with time_machine.travel("2027-03-02T14:20:00+00:00", tick=False):
        response = api(front_desk).post(f"/appointments/{appointment['id']}/no-show")
    assert response.status_code == 200
    assert response.json()["status"] == "no_show"


def test_a_patient_may_not_mark_a_no_show(clinic, booked, api, patient):
    appointment = booked(TUESDAY_9)
    with time_machine.travel("2027-03-02T14:20:00+00:00", tick=False):
        response = api(patient).post(f"/appointments/{appointment['id']}/no-show")
    assert response.status_code == 403


def test_an_appointment_that_started_cannot_be_cancelled(clinic, booked, api, front_desk):
    appointment = booked(TUESDAY_9)
    with time_machine.travel("2027-03-02T14:20:00+00:00", tick=False):
        response = api(front_desk).post(f"/appointments/{appointment['id']}/cancel", {})
    assert response.status_code == 409
    assert response.json()["code"] == "already_started"


def test_changes_write_audit_events(clinic, booked, api, front_desk, patient):
    from needlepoint.audit.models import AuditEvent

    appointment = booked()
    api(front_desk).post(f"/appointments/{appointment['id']}/cancel", {})
    event = AuditEvent.objects.get(action="appointment.cancel")
    assert event.patient_id == str(patient.patient.pk)
    assert event.detail == {"service": "consultation", "late": False}
