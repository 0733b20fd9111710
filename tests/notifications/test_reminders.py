"""Reminders are planned into the outbox at the right time and sent exactly once."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.notifications.clinic_fixtures import NOW, TUESDAY_9, WEDNESDAY_9

pytestmark = pytest.mark.django_db


def _outbox(**filters):
    from needlepoint.notifications.models import OutboxMessage

    return OutboxMessage.objects.filter(**filters)


def _plan_and_send(now=None):
    from needlepoint.notifications.services import outbox_deliver, reminders_plan

    reminders_plan(now=now)
    return outbox_deliver(now=now)


def test_a_booking_two_days_ahead_gets_reminders_due_48_and_2_hours_before(booked):
    from needlepoint.notifications.services import reminders_plan

    appointment = booked(WEDNESDAY_9, created_at=NOW - timedelta(days=3))
    reminders_plan()
    due = {(m.kind, m.channel): m.due_at for m in _outbox(appointment=appointment)}
    assert due[("reminder_48h", "email")] == appointment.start - timedelta(hours=48)
    assert due[("reminder_2h", "email")] == appointment.start - timedelta(hours=2)
    assert due[("reminder_2h", "sms")] == appointment.start - timedelta(hours=2)
    assert ("aftercare", "email") not in due  # a consultation is not a treatment


def test_the_48_hour_reminder_carries_the_preparation_and_a_manage_link(booked, mailoutbox, frozen):
    appointment = booked(WEDNESDAY_9, created_at=NOW - timedelta(days=3))
    frozen.move_to(appointment.start - timedelta(hours=47))
    _plan_and_send()
    reminder = next(m for m in mailoutbox if m.subject.startswith("Reminder"))
    assert "without makeup" in reminder.body
    assert "/book/manage/" in reminder.body
    assert reminder.to == [appointment.patient.email]


def test_a_reminder_is_not_sent_before_it_is_due(booked, mailoutbox):
    booked(WEDNESDAY_9, created_at=NOW - timedelta(days=3))
    _plan_and_send()
    assert not [m for m in mailoutbox if m.subject.startswith("Reminder")]


def test_a_booking_inside_the_48_hours_gets_no_48_hour_reminder(booked):
    from needlepoint.notifications.services import reminders_plan

    appointment = booked(TUESDAY_9)  # booked now, 25 hours ahead
    reminders_plan()
    kinds = set(_outbox(appointment=appointment).values_list("kind", flat=True))
    assert "reminder_48h" not in kinds
    assert {"confirmation", "reminder_2h"} <= kinds


def test_each_message_is_sent_once_however_often_the_sender_runs(booked, mailoutbox, frozen):
    appointment = booked(WEDNESDAY_9, created_at=NOW - timedelta(days=3))
    frozen.move_to(appointment.start - timedelta(hours=1))
    for _ in range(3):
        _plan_and_send()
    subjects = [m.subject for m in mailoutbox]
    assert sum(s.startswith("Reminder") for s in subjects) == 1
    assert sum(s.startswith("Today") for s in subjects) == 1
    assert _outbox(status="sent").count() == _outbox().exclude(status="cancelled").count()


def test_sms_reminders_go_through_the_configured_file_backend(booked, settings, tmp_path, frozen):
    settings.NEEDLEPOINT_SMS_BACKEND = "needlepoint.notifications.backends.sms.FileSmsBackend"
    settings.NEEDLEPOINT_SMS_FILE_PATH = str(tmp_path)
    appointment = booked(WEDNESDAY_9, created_at=NOW - timedelta(days=3))
    frozen.move_to(appointment.start - timedelta(hours=1, minutes=30))
    _plan_and_send()
    texts = [json.loads(p.read_text()) for p in tmp_path.glob("*.json")]
    bodies = [t["body"] for t in texts]
    assert any("see you at 9:00 am" in b for b in bodies), bodies
    assert all(t["to"] == appointment.patient.phone for t in texts)
    assert len({t["key"] for t in texts}) == len(texts)


def test_a_cancelled_appointment_gets_no_reminder_but_a_cancellation_notice(
    booked, mailoutbox, frozen
):
    from needlepoint.scheduling.services import appointment_cancel

    appointment = booked(WEDNESDAY_9, created_at=NOW - timedelta(days=3))
    from needlepoint.notifications.services import reminders_plan

    reminders_plan()
    appointment_cancel(actor=None, appointment=appointment)
    frozen.move_to(appointment.start - timedelta(hours=1))
    _plan_and_send()
    subjects = [m.subject for m in mailoutbox]
    assert not [s for s in subjects if s.startswith(("Reminder", "Today"))]
    assert _outbox(appointment=appointment, kind="reminder_2h", status="cancelled").exists()


def test_a_rescheduled_appointment_is_reminded_of_its_new_time_only(booked, mailoutbox, frozen):
    from needlepoint.notifications.services import reminders_plan
    from needlepoint.scheduling.services import appointment_reschedule

    appointment = booked(WEDNESDAY_9, created_at=NOW - timedelta(days=3))
    reminders_plan()
    moved = appointment_reschedule(
        actor=None,
        appointment=appointment,
        start=datetime.fromisoformat("2027-03-03T11:00:00-05:00"),
    )
    frozen.move_to(moved.start - timedelta(hours=1))
    _plan_and_send()
    today = [m for m in mailoutbox if m.subject.startswith("Today")]
    assert [m.subject for m in today] == ["Today: Micro-needling consultation at 11:00 am"]


def test_aftercare_is_sent_at_10_the_morning_after_a_treatment_session(
    clinic, patient, aesthetician, mailoutbox, frozen
):
    from needlepoint.clinic.models import Device, Room, Service
    from needlepoint.notifications.services import reminders_plan
    from needlepoint.scheduling.models import Appointment

    start = datetime(2027, 3, 2, 15, 0, tzinfo=UTC)  # Tuesday 10:00 EST
    appointment = Appointment.objects.create(
        patient=patient.patient,
        service=Service.objects.get(slug="microneedling-face"),
        location=clinic,
        staff=aesthetician.user,
        room=Room.objects.get(slug="treatment-1"),
        device=Device.objects.get(slug="micropen-1"),
        start=start,
        end=start + timedelta(minutes=60),
        busy_until=start + timedelta(minutes=75),
        booked_via="staff",
    )
    reminders_plan()
    aftercare = _outbox(appointment=appointment, kind="aftercare", channel="email").get()
    assert aftercare.due_at == datetime(2027, 3, 3, 15, 0, tzinfo=UTC)  # Wednesday 10:00 EST
    frozen.move_to(aftercare.due_at + timedelta(minutes=1))
    _plan_and_send()
    assert any("no makeup for 24 hours" in m.body for m in mailoutbox)


def test_outcome_visits_and_the_maintenance_recall_follow_a_finished_course(
    clinic, patient, physician, mailoutbox
):
    from needlepoint.notifications.services import reminders_plan
    from needlepoint.screening.models import Consultation
    from needlepoint.treatments.models import PlanSession, TreatmentPlan

    consultation = Consultation.objects.create(
        patient=patient.patient,
        fitzpatrick=2,
        concerns=[{"concern": "acne_scars", "grade": "2"}],
        zones=["cheeks"],
        determination="candidate",
        protocol_version="test",
        signed_by=physician.user,
        signed_at="2026-09-01T15:00:00Z",
    )
    plan = TreatmentPlan.objects.create(
        patient=patient.patient,
        consultation=consultation,
        protocol_version="test",
        recommendation={},
        sessions=2,
        interval_weeks=4,
        maintenance_months=12,
        zones=[],
        created_by=physician.user,
        status="completed",
    )
    PlanSession.objects.create(plan=plan, index=1, status="done", done_on=date(2027, 1, 4))
    PlanSession.objects.create(plan=plan, index=2, status="done", done_on=date(2027, 2, 1))
    reminders_plan()
    reminders_plan()  # planning twice plans once
    rows = _outbox(plan=plan, channel="email").order_by("due_at")
    assert [(r.kind, r.due_at.date()) for r in rows] == [
        ("outcome_visit", date(2027, 2, 22)),  # 1 month after 1 Feb, a week ahead
        ("outcome_visit", date(2027, 4, 24)),
        ("outcome_visit", date(2027, 7, 25)),
        ("maintenance_recall", date(2028, 1, 25)),
    ]
    assert rows[0].due_at.astimezone(clinic.zone).hour == 10
    _plan_and_send()
    assert [m.subject for m in mailoutbox] == ["Your 1-month outcome visit"]
