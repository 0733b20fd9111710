"""`needlepoint reminders send` plans and delivers (and offers freed slots to the waitlist);
`needlepoint waitlist offer` offers only."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command

from tests.notifications.clinic_fixtures import NOW, WEDNESDAY_9

pytestmark = pytest.mark.django_db


def test_reminders_send_plans_then_delivers_what_is_due(booked, mailoutbox, frozen):
    appointment = booked(WEDNESDAY_9, created_at=NOW - timedelta(days=3))
    frozen.move_to(appointment.start - timedelta(hours=47))
    out = io.StringIO()
    call_command("reminders", "send", stdout=out)
    assert "sent 2" in out.getvalue()  # the 48-hour reminder: email and SMS
    assert [m.subject.split(":")[0] for m in mailoutbox] == ["Reminder"]
    out = io.StringIO()
    call_command("reminders", "send", stdout=out)
    assert "sent 0" in out.getvalue()


def test_waitlist_offer_offers_a_freed_slot_once(booked, mailoutbox):
    from needlepoint.clinic.models import Service
    from needlepoint.patients.models import Patient
    from needlepoint.scheduling.services import appointment_cancel
    from needlepoint.waitlist.services import waitlist_join

    waiter = Patient.objects.create(
        given_name="W", family_name="A", date_of_birth="1980-01-01", email="w@example.com"
    )
    waitlist_join(actor=None, patient=waiter, service=Service.objects.get(slug="consultation"))
    appointment_cancel(actor=None, appointment=booked(WEDNESDAY_9))
    out = io.StringIO()
    call_command("waitlist", "offer", stdout=out)
    call_command("waitlist", "offer", stdout=out)
    assert "waitlist offers 1" in out.getvalue() and "waitlist offers 0" in out.getvalue()
    assert [m.to for m in mailoutbox if "earlier" in m.subject] == [["w@example.com"]]
