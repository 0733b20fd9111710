from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

TUESDAY_9 = "2027-03-02T09:00:00-05:00"


def test_front_desk_books_a_consultation_with_the_first_free_clinician(clinic, book, patient):
    response = book(TUESDAY_9, notes="prefers mornings")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["start"] == TUESDAY_9
    assert body["end"] == "2027-03-02T09:30:00-05:00"
    assert body["staff"] == "aria"
    assert body["room"] == "consult-1"
    assert body["device"] is None
    assert body["status"] == "booked"
    assert body["patient"] == patient.patient.pk
    assert body["booked_via"] == "staff"
    assert body["notes"] == "prefers mornings"


def test_a_start_in_another_offset_is_the_same_instant(clinic, book):
    response = book("2027-03-02T14:00:00Z")
    assert response.status_code == 201
    assert response.json()["start"] == TUESDAY_9


def test_booking_stores_the_buffer_as_busy_time(clinic, book):
    from needlepoint.clinic.models import Service
    from needlepoint.scheduling.models import Appointment

    Service.objects.create(
        slug="peel",
        name="Peel",
        duration_minutes=30,
        buffer_after_minutes=15,
        room_kind="treatment",
        performer_roles=["aesthetician"],
    )
    response = book(TUESDAY_9, "peel")
    appointment = Appointment.objects.get(pk=response.json()["id"])
    assert (appointment.busy_until - appointment.start).total_seconds() == 45 * 60
    assert response.json()["busy_until"] == "2027-03-02T09:45:00-05:00"


def test_a_taken_slot_is_409_with_the_three_nearest_alternatives(clinic, book, other_patient):
    assert book(TUESDAY_9, staff="aria").status_code == 201
    response = book(TUESDAY_9, staff="aria", patient=other_patient.patient.pk)
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["code"] == "staff_busy"
    assert [a["start"] for a in body["alternatives"]] == [
        "2027-03-02T09:30:00-05:00",
        "2027-03-02T09:45:00-05:00",
        "2027-03-02T10:00:00-05:00",
    ]
    assert {a["staff"] for a in body["alternatives"]} == {"aria"}


def test_a_taken_room_is_409_naming_the_room(clinic, book, other_patient):
    assert book(TUESDAY_9, staff="aria").status_code == 201
    response = book(TUESDAY_9, staff="phil", patient=other_patient.patient.pk)
    assert response.status_code == 409
    assert response.json()["code"] == "no_room"
    assert len(response.json()["alternatives"]) == 3


def test_a_patient_cannot_be_in_two_places_at_once(clinic, book):
    from needlepoint.clinic.models import Room

    Room.objects.create(location=clinic, slug="consult-2", name="Consult 2", kind="consultation")
    assert book(TUESDAY_9, staff="aria").status_code == 201
    response = book("2027-03-02T09:15:00-05:00", staff="phil")
    assert response.status_code == 409
    assert response.json()["code"] == "patient_busy"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"service": "botox"}, "service"),
        ({"start": "2027-03-02T09:10:00-05:00"}, "start"),  # off the 15-minute grid
        ({"start": "2027-03-02T07:00:00-05:00"}, "start"),  # outside hours
        ({"start": "2027-03-06T10:00:00-05:00"}, "start"),  # Saturday
        ({"start": "2027-02-26T10:00:00-05:00"}, "start"),  # in the past
        ({"start": "2027-08-02T10:00:00-04:00"}, "start"),  # beyond the 120-day horizon
        ({"start": "2027-03-02T09:00:00"}, "start"),  # no offset: an unknown instant
        ({"start": "soon"}, "start"),
        ({"staff": "nobody"}, "staff"),
        ({"location": "nowhere"}, "location"),
        ({"patient": "x"}, "patient"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_booking_requests_are_422_naming_the_field(clinic, book, overrides, field):
    from needlepoint.scheduling.models import Appointment

    response = book(**{"start": TUESDAY_9, **overrides})
    assert response.status_code == 422, response.content
    assert field in [e["field"] for e in response.json()["errors"]]
    assert not Appointment.objects.exists()


def test_a_staff_member_who_may_not_perform_the_service_is_422(clinic, book, front_desk):
    response = book(TUESDAY_9, staff="fran")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "staff"


def test_a_patient_needs_the_notice_period_but_staff_do_not(clinic, book, api, patient):
    soon = "2027-03-01T10:00:00-05:00"  # two hours from now
    by_patient = book(soon, who=patient)
    assert by_patient.status_code == 422
    assert "notice" in by_patient.json()["errors"][0]["message"]
    assert book(soon).status_code == 201


def test_a_patient_books_for_themselves(clinic, book, patient):
    response = book(TUESDAY_9, who=patient)
    assert response.status_code == 201
    assert response.json()["booked_via"] == "patient"


def test_a_patient_booking_for_another_patient_is_404(clinic, book, patient, other_patient):
    response = book(TUESDAY_9, who=patient, patient=other_patient.patient.pk)
    assert response.status_code == 404


def test_without_a_token_booking_is_401(clinic, api, patient):
    body = {"service": "consultation", "start": TUESDAY_9, "patient": patient.patient.pk}
    assert api().post("/appointments", body).status_code == 401


def test_the_same_idempotency_key_and_body_replays_without_a_second_booking(clinic, book):
    from needlepoint.scheduling.models import Appointment

    first = book(TUESDAY_9, headers={"Idempotency-Key": "k-1"})
    again = book(TUESDAY_9, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Appointment.objects.count() == 1


def test_the_same_idempotency_key_with_another_body_is_422(clinic, book):
    assert book(TUESDAY_9, headers={"Idempotency-Key": "k-2"}).status_code == 201
    response = book("2027-03-02T10:00:00-05:00", headers={"Idempotency-Key": "k-2"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"


def test_booking_writes_one_audit_event_with_codes_only(clinic, book, patient):
    from needlepoint.audit.models import AuditEvent

    response = book(TUESDAY_9, notes="sensitive words")
    event = AuditEvent.objects.get(action="appointment.book")
    assert event.object_id == str(response.json()["id"])
    assert event.patient_id == str(patient.patient.pk)
    assert event.actor_username == "fran"
    assert event.detail == {"service": "consultation", "via": "staff"}


def test_a_refused_booking_by_role_is_audited(clinic, api, other_patient, patient):
    from needlepoint.audit.models import AuditEvent

    response = api(patient).post(
        "/appointments",
        {"service": "consultation", "start": TUESDAY_9, "patient": other_patient.patient.pk},
    )
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="appointment.book", outcome="allowed").exists()


def test_reading_an_appointment_is_audited_and_others_are_404(clinic, book, api, other_patient):
    from needlepoint.audit.models import AuditEvent

    appointment_id = book(TUESDAY_9).json()["id"]
    assert api(other_patient).get(f"/appointments/{appointment_id}").status_code == 404
    response = api(other_patient).get("/appointments/999999")
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action="appointment.read").count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_booking_is_audited_on_its_locations_chain(clinic, book):
    """One audit chain per location, so bookings at two locations never queue on one lock
    (a transactional test: a transaction's events all join the chain of its first)."""
    from needlepoint.audit.models import AuditEvent
    from needlepoint.scheduling.models import Appointment

    appointment = Appointment.objects.get(pk=book(TUESDAY_9).json()["id"])
    events = AuditEvent.objects.filter(object_type="appointment", object_id=str(appointment.pk))
    assert set(events.values_list("chain", flat=True)) == {f"location:{appointment.location_id}"}
