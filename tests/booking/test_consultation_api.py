"""Public online booking of a consultation: no login, every field checked at once, rate
limits per IP and per email, the confirmation email with a manage link and an .ics."""

from __future__ import annotations

import re

import pytest
from icalendar import Calendar

from tests.notifications.clinic_fixtures import TUESDAY_9, TUESDAY_10

pytestmark = pytest.mark.django_db

PERSON = {
    "given_name": "Grace",
    "family_name": "Hopper",
    "email": "grace@example.com",
    "phone": "+1 555 0142",
    "date_of_birth": "1986-12-09",
}


def book(client, start=TUESDAY_9, ip="203.0.113.7", **changes):
    body = {**PERSON, "start": start, **changes}
    return client.post(
        "/api/v1/bookings/consultation", body, content_type="application/json", REMOTE_ADDR=ip
    )


def test_a_new_person_books_a_consultation_and_gets_a_confirmation_with_ics(
    clinic, client, mailoutbox
):
    from needlepoint.notifications.backends.sms import LocmemSmsBackend
    from needlepoint.patients.models import Patient
    from needlepoint.scheduling.models import Appointment

    response = book(client)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["start"] == TUESDAY_9 and data["service"] == "consultation"
    appointment = Appointment.objects.get(pk=data["id"])
    assert appointment.booked_via == "online"
    patient = Patient.objects.get(email="grace@example.com")
    assert appointment.patient == patient
    (email,) = mailoutbox
    assert email.to == ["grace@example.com"]
    assert "/book/manage/" in email.body and data["manage_url"] in email.body
    ((name, ics, mimetype),) = email.attachments
    assert name.endswith(".ics") and mimetype == "text/calendar"
    (event,) = Calendar.from_ical(ics).walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "America/New_York"
    assert "Hopper" not in ics  # no patient details in the calendar entry
    (sms,) = LocmemSmsBackend.outbox
    assert sms.to == "+1 555 0142"


def test_a_full_name_is_split_into_given_and_family_names(clinic, client):
    from needlepoint.patients.models import Patient

    body = {k: v for k, v in PERSON.items() if k not in {"given_name", "family_name"}}
    response = client.post(
        "/api/v1/bookings/consultation",
        {**body, "name": "Grace Brewster Hopper", "start": TUESDAY_9},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    patient = Patient.objects.get()
    assert (patient.given_name, patient.family_name) == ("Grace Brewster", "Hopper")


def test_an_exact_match_of_email_names_and_birth_date_reuses_the_record(clinic, client):
    from needlepoint.patients.models import Patient

    existing = Patient.objects.create(
        given_name="Grace",
        family_name="Hopper",
        date_of_birth="1986-12-09",
        email="grace@example.com",
    )
    assert book(client, given_name="GRACE ").status_code == 201
    assert Patient.objects.count() == 1
    assert existing.appointments.count() == 1


def test_a_near_match_creates_a_new_record_rather_than_guessing(clinic, client):
    from needlepoint.patients.models import Patient

    Patient.objects.create(
        given_name="Grace",
        family_name="Hopper",
        date_of_birth="1986-12-09",
        email="other@example.com",
    )
    assert book(client).status_code == 201
    assert Patient.objects.count() == 2


def test_bad_input_is_422_listing_every_field_and_stores_nothing(clinic, client, mailoutbox):
    from needlepoint.patients.models import Patient
    from needlepoint.scheduling.models import Appointment

    response = client.post(
        "/api/v1/bookings/consultation",
        {"email": "not-an-email", "phone": "abc", "date_of_birth": "09/12/1986", "start": "soon"},
        content_type="application/json",
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"given_name", "family_name", "email", "phone", "date_of_birth", "start"}
    assert not Patient.objects.exists() and not Appointment.objects.exists() and not mailoutbox


def test_an_empty_body_is_422_not_500(clinic, client):
    for body in ({}, [], {"start": 5}, {"unknown": 1}, {"email": "x" * 300}):
        response = client.post(
            "/api/v1/bookings/consultation", body, content_type="application/json"
        )
        assert response.status_code == 422, (body, response.content)
    response = client.post(
        "/api/v1/bookings/consultation", "{not json", content_type="application/json"
    )
    assert response.status_code == 400


def test_an_unknown_screening_is_422_and_a_good_one_is_accepted(clinic, client):
    import uuid

    response = book(client, screening=str(uuid.uuid4()))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "screening"


def test_a_slot_taken_meanwhile_is_409_with_alternatives_and_stores_no_patient(
    clinic, client, booked, mailoutbox
):
    from needlepoint.patients.models import Patient

    booked(TUESDAY_9)  # the one consultation room is taken at 09:00
    before = Patient.objects.count()
    response = book(client)
    assert response.status_code == 409, response.content
    assert response.json()["alternatives"]
    assert Patient.objects.count() == before
    assert not mailoutbox


def test_more_than_five_bookings_an_hour_from_one_ip_are_429(clinic, client):
    for i in range(5):
        response = book(
            client,
            start=f"2027-03-0{2 + i // 2}T{9 + i % 2}:00:00-05:00".replace("T9:", "T09:"),
            email=f"p{i}@example.com",
        )
        assert response.status_code == 201, response.content
    response = book(client, start=TUESDAY_10.replace("10:00", "11:00"), email="p9@example.com")
    assert response.status_code == 429
    assert "Too many" in response.json()["detail"]
    assert (
        book(
            client,
            start=TUESDAY_10.replace("10:00", "11:00"),
            email="p9@example.com",
            ip="198.51.100.1",
        ).status_code
        == 201
    )


def test_more_than_three_bookings_a_day_for_one_email_are_429(clinic, client):
    starts = ["2027-03-02T09:00:00-05:00", "2027-03-03T09:00:00-05:00", "2027-03-04T09:00:00-05:00"]
    for n, start in enumerate(starts):
        assert book(client, start=start, ip=f"198.51.100.{n}").status_code in {201, 409}
    response = book(client, start="2027-03-05T09:00:00-05:00", ip="198.51.100.9")
    assert response.status_code == 429
    assert "email" in response.json()["detail"]


def test_the_same_idempotency_key_books_once(clinic, client):
    from needlepoint.scheduling.models import Appointment

    body = {**PERSON, "start": TUESDAY_9}
    for _ in range(2):
        response = client.post(
            "/api/v1/bookings/consultation",
            body,
            content_type="application/json",
            headers={"Idempotency-Key": "abc-123"},
        )
        assert response.status_code == 201
    assert Appointment.objects.count() == 1


def manage_path(mail) -> str:
    return re.search(r"https?://[^/\s]+(/book/manage/[^/\s]+/)", mail.body).group(1)


@pytest.mark.parametrize(
    "changes",
    [
        {"start": "0001-01-01T00:00:00+05:00"},
        {"start": "9999-12-31T23:59:59-05:00"},
        {"start": "2027-03-02T09:07:00-05:00"},
        {"start": "2027-03-02T09:00:00+23:59"},
        {"start": "2027-03-02"},
        {"date_of_birth": "0001-01-01"},
        {"date_of_birth": "1990-02-30"},
        {"email": "a@b"},
        {"name": "x" * 200, "given_name": "", "family_name": ""},
    ],
)
def test_malformed_values_are_4xx_never_500(clinic, client, changes):
    response = book(client, **changes)
    assert 400 <= response.status_code < 500, response.content
    page = client.post("/book/consultation/", {**PERSON, "start": TUESDAY_9, **changes})
    assert page.status_code < 500
