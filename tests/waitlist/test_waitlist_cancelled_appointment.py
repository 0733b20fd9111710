"""A waitlist entry for moving an appointment earlier closes when that appointment is
cancelled (docs/decisions/0211): it no longer offers to move it, nor lingers on the list."""

from __future__ import annotations

import pytest

from tests.waitlist.test_waitlist import freed_tuesday, join, make_patient, offer_links

pytestmark = pytest.mark.django_db

FRIDAY_9 = "2027-03-05T09:00:00-05:00"


def _waiting_to_move(booked):
    waiter = make_patient(0)
    later = booked(FRIDAY_9, who=type("P", (), {"patient": waiter}))
    return waiter, later, join(waiter, appointment=later)


def test_cancelling_the_appointment_closes_the_entry_that_would_move_it(
    clinic, booked, api, front_desk
):
    from needlepoint.audit.models import AuditEvent
    from needlepoint.waitlist.models import WaitlistEntry

    _, later, entry = _waiting_to_move(booked)
    assert api(front_desk).post(f"/appointments/{later.pk}/cancel", {}).status_code == 200
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.CLOSED
    assert (
        entry.get_status_display() == "Closed: the appointment to move was cancelled or has passed"
    )
    listed = api(front_desk).get("/waitlist").json()
    assert listed["count"] == 0 and listed["items"] == []
    closed = AuditEvent.objects.get(action="waitlist.close")
    assert closed.object_id == str(entry.pk)
    assert closed.detail == {"appointment": later.pk, "appointment_status": "cancelled"}


def test_an_offer_made_before_the_cancellation_no_longer_moves_or_books_anything(
    clinic, booked, mailoutbox, client
):
    from needlepoint.scheduling.models import Appointment
    from needlepoint.scheduling.services import appointment_cancel
    from needlepoint.waitlist.services import waitlist_offer_freed_slots

    waiter, later, _ = _waiting_to_move(booked)
    freed_tuesday(booked)
    assert waitlist_offer_freed_slots() == 1
    appointment_cancel(actor=None, appointment=later, reason="changed their mind")
    answer = client.post(offer_links(mailoutbox)["w0@example.com"])
    assert answer.status_code == 409
    assert "cancelled" in answer.content.decode()
    assert not Appointment.objects.filter(patient=waiter, status="booked").exists()


def test_a_plain_request_is_untouched_by_cancellations(clinic, booked):
    from needlepoint.waitlist.models import WaitlistEntry

    plain = join(make_patient(1))
    freed_tuesday(booked)
    plain.refresh_from_db()
    assert plain.status == WaitlistEntry.Status.WAITING


def test_the_entry_closes_in_the_cancellations_transaction_and_rolls_back_with_it(
    clinic, booked, monkeypatch
):
    from needlepoint.audit.models import AuditEvent
    from needlepoint.scheduling.services import appointment_cancel, appointments
    from needlepoint.waitlist.models import WaitlistEntry

    _, later, entry = _waiting_to_move(booked)

    def audit_fails(**kwargs):
        raise RuntimeError("the cancellation's own audit event failed")

    monkeypatch.setattr(appointments, "_audit", audit_fails)
    with pytest.raises(RuntimeError):
        appointment_cancel(actor=None, appointment=later, reason="changed their mind")
    entry.refresh_from_db()
    later.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.WAITING
    assert later.status == "booked"
    assert not AuditEvent.objects.filter(action="waitlist.close").exists()
