"""The waitlist: a freed slot is offered once, to the longest-waiting matching entries in
order; the first to accept gets it through the booking core, a later acceptor hears it's
taken; someone waiting to move a booking earlier has it moved."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from tests.notifications.clinic_fixtures import TUESDAY_9

pytestmark = pytest.mark.django_db


def make_patient(n):
    from needlepoint.patients.models import Patient

    return Patient.objects.create(
        given_name=f"W{n}",
        family_name="Aiter",
        date_of_birth="1985-01-01",
        email=f"w{n}@example.com",
    )


def join(patient, **extra):
    from needlepoint.clinic.models import Service
    from needlepoint.waitlist.services import waitlist_join

    return waitlist_join(
        actor=None, patient=patient, service=Service.objects.get(slug="consultation"), **extra
    )


def freed_tuesday(booked):
    from needlepoint.scheduling.services import appointment_cancel

    appointment = booked(TUESDAY_9)
    appointment_cancel(actor=None, appointment=appointment, reason="can't come")
    return appointment


def offer_links(mailoutbox):
    return {
        mail.to[0]: re.search(r"(/waitlist/offers/[^/\s]+/)", mail.body).group(1)
        for mail in mailoutbox
        if "earlier" in mail.subject
    }


def test_a_freed_slot_is_offered_once_to_the_first_matching_entries_in_order(
    clinic, booked, mailoutbox, settings
):
    from needlepoint.waitlist.models import FreedSlot, WaitlistOffer
    from needlepoint.waitlist.services import waitlist_offer_freed_slots

    settings.NEEDLEPOINT_WAITLIST_OFFER_BATCH = 2
    first, second, _third = (join(make_patient(n)) for n in range(3))
    join(make_patient(9), earliest=date(2027, 3, 10))  # outside its window: not matched
    freed_tuesday(booked)
    assert waitlist_offer_freed_slots() == 2
    assert waitlist_offer_freed_slots() == 0  # a second scan offers nothing again
    offers = list(WaitlistOffer.objects.order_by("rank"))
    assert [(o.entry, o.rank) for o in offers] == [(first, 1), (second, 2)]
    assert FreedSlot.objects.get().status == "open"
    assert set(offer_links(mailoutbox)) == {"w0@example.com", "w1@example.com"}


def test_the_first_to_accept_gets_the_slot_and_the_second_hears_it_is_taken(
    clinic, booked, mailoutbox, client
):
    from needlepoint.scheduling.models import Appointment
    from needlepoint.waitlist.models import WaitlistEntry
    from needlepoint.waitlist.services import waitlist_offer_freed_slots

    first, second = join(make_patient(0)), join(make_patient(1))
    freed_tuesday(booked)
    waitlist_offer_freed_slots()
    links = offer_links(mailoutbox)
    assert client.get(links["w1@example.com"]).status_code == 200  # opening accepts nothing
    accepted = client.post(links["w1@example.com"])
    assert accepted.status_code == 200 and "It's yours" in accepted.content.decode()
    late = client.post(links["w0@example.com"])
    assert late.status_code == 409 and "taken" in late.content.decode()
    booked_now = Appointment.objects.get(status="booked")
    assert booked_now.patient == second.patient
    assert booked_now.start == datetime.fromisoformat(TUESDAY_9)
    assert WaitlistEntry.objects.get(pk=second.pk).status == "booked"
    assert WaitlistEntry.objects.get(pk=first.pk).status == "waiting"  # still on the list
    assert any(m.subject.startswith("Booked") and m.to == ["w1@example.com"] for m in mailoutbox)


def test_accepting_through_the_api_after_someone_else_is_409(clinic, booked, mailoutbox, client):
    from needlepoint.waitlist.services import waitlist_offer_freed_slots

    join(make_patient(0)), join(make_patient(1))
    freed_tuesday(booked)
    waitlist_offer_freed_slots()
    tokens = {k: v.split("/")[-2] for k, v in offer_links(mailoutbox).items()}
    url = "/api/v1/waitlist/offers/accept"
    first = client.post(url, {"token": tokens["w0@example.com"]}, content_type="application/json")
    assert first.status_code == 200, first.content
    second = client.post(url, {"token": tokens["w1@example.com"]}, content_type="application/json")
    assert second.status_code == 409 and second.json()["code"] == "offer_taken"
    assert client.post(url, {"token": "forged"}, content_type="application/json").status_code == 404


def test_a_patient_waiting_to_move_a_booking_earlier_has_it_moved(
    clinic, booked, mailoutbox, client
):
    from needlepoint.scheduling.models import Appointment
    from needlepoint.waitlist.services import waitlist_offer_freed_slots

    waiter = make_patient(0)
    later = booked("2027-03-05T09:00:00-05:00", who=type("P", (), {"patient": waiter}))
    join(waiter, appointment=later)
    freed_tuesday(booked)
    waitlist_offer_freed_slots()
    assert client.post(offer_links(mailoutbox)["w0@example.com"]).status_code == 200
    later.refresh_from_db()
    assert later.start == datetime.fromisoformat(TUESDAY_9)
    assert Appointment.objects.filter(patient=waiter).count() == 1


def test_a_slot_already_rebooked_is_not_offered(clinic, booked, patient, mailoutbox):
    from needlepoint.waitlist.models import FreedSlot
    from needlepoint.waitlist.services import waitlist_offer_freed_slots

    join(make_patient(0))
    freed_tuesday(booked)
    other = make_patient(5)
    booked(TUESDAY_9, who=type("P", (), {"patient": other}))
    assert waitlist_offer_freed_slots() == 0
    assert FreedSlot.objects.get().status == "gone"


def test_patients_join_for_themselves_and_staff_list_the_waitlist(
    clinic, api, patient, front_desk, other_patient
):
    response = api(patient).post("/waitlist", {"service": "consultation", "earliest": "2027-03-02"})
    assert response.status_code == 201, response.content
    assert response.json()["patient"] == patient.patient.pk
    assert (
        api(patient)
        .post("/waitlist", {"service": "consultation", "patient": other_patient.patient.pk})
        .status_code
        == 404
    )
    listed = api(front_desk).get("/waitlist")
    assert listed.status_code == 200 and listed.json()["count"] == 1
    assert api(patient).get("/waitlist").status_code == 403
    entry_id = response.json()["id"]
    assert api(other_patient).post(f"/waitlist/{entry_id}/withdraw").status_code == 404
    assert api(patient).post(f"/waitlist/{entry_id}/withdraw").json()["status"] == "withdrawn"


def test_bad_waitlist_input_is_422_naming_each_field(clinic, api, front_desk, patient):
    response = api(front_desk).post(
        "/waitlist",
        {"patient": patient.patient.pk, "service": "nope", "staff": "nobody", "location": "x"},
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"service", "staff", "location"}


def test_the_manage_link_puts_the_patient_on_the_waitlist(clinic, client, mailoutbox):
    from needlepoint.waitlist.models import WaitlistEntry

    client.post(
        "/book/consultation/",
        {
            "given_name": "G",
            "family_name": "H",
            "email": "g@example.com",
            "phone": "+1 555 0100",
            "date_of_birth": "1990-01-01",
            "start": "2027-03-04T09:00:00-05:00",
        },
    )
    path = re.search(r"(/book/manage/[^/\s]+/)", mailoutbox[0].body).group(1)
    response = client.post(path + "waitlist/")
    assert response.status_code == 200 and "on the waitlist" in response.content.decode()
    entry = WaitlistEntry.objects.get()
    assert entry.appointment is not None and entry.status == "waiting"


def test_staff_see_and_add_to_the_waitlist_on_a_page_with_audited_reads(
    clinic, front_desk, staff_client, patient
):
    from needlepoint.audit.models import AuditEvent
    from needlepoint.waitlist.models import WaitlistEntry

    client = staff_client(front_desk)
    bad = client.post(
        "/staff/waitlist/", {"patient": "999999", "service": "consultation", "earliest": "soon"}
    )
    assert bad.status_code == 422
    assert 'value="soon"' in bad.content.decode()
    added = client.post(
        "/staff/waitlist/", {"patient": patient.patient.pk, "service": "consultation"}
    )
    assert added.status_code == 302
    assert WaitlistEntry.objects.get().created_by == front_desk.user
    page = client.get("/staff/waitlist/")
    assert "Persona, Pat" in page.content.decode()
    assert AuditEvent.objects.filter(
        action="waitlist.read", patient_id=str(patient.patient.pk)
    ).exists()


def test_a_patient_cannot_open_the_staff_waitlist(clinic, patient, client):
    client.force_login(patient.user)
    assert client.get("/staff/waitlist/").status_code == 403
