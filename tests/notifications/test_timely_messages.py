"""A message that is no longer timely is not sent: an outcome-visit reminder a year late is
dropped, one a few weeks late is replaced once by the missed-visit message, whether it is late
when planned or sat undelivered in the outbox (docs/decisions/0222-timely-messages.md)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from tests.notifications.clinic_fixtures import NOW

pytestmark = pytest.mark.django_db


def finished_course(patient, physician, last_session: date):
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
        signed_at="2025-06-01T15:00:00Z",
    )
    plan = TreatmentPlan.objects.create(
        patient=patient.patient,
        consultation=consultation,
        protocol_version="test",
        recommendation={},
        sessions=1,
        interval_weeks=4,
        maintenance_months=12,
        zones=[],
        created_by=physician.user,
        status="completed",
    )
    PlanSession.objects.create(plan=plan, index=1, status="done", done_on=last_session)
    return plan


def plan_and_send(now):
    from needlepoint.notifications.services import outbox_deliver, reminders_plan

    reminders_plan(now=now)
    return outbox_deliver(now=now)


def test_reminders_for_visits_long_past_are_never_sent(clinic, patient, physician, mailoutbox):
    # The case: a course finished 27 October 2025, the planner first runs in December
    # 2026: every outcome visit and the recall are long past.
    plan = finished_course(patient, physician, date(2025, 10, 27))
    december_2026 = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)
    plan_and_send(december_2026)
    plan_and_send(december_2026 + timedelta(days=1))
    assert mailoutbox == []
    from needlepoint.notifications.models import OutboxMessage

    assert not OutboxMessage.objects.filter(plan=plan, status="sent").exists()


def test_a_visit_a_few_weeks_past_gets_the_missed_visit_message_once(
    clinic, patient, physician, mailoutbox
):
    finished_course(patient, physician, date(2027, 1, 10))  # 1-month visit due 10 February
    plan_and_send(NOW)  # 1 March: 19 days past the due day
    plan_and_send(NOW + timedelta(hours=1))
    assert [m.subject for m in mailoutbox] == ["Your 1-month outcome visit: not too late"]
    body = mailoutbox[0].body
    assert "was due around 10 February 2027" in body and "is due around" not in body


def test_a_reminder_left_undelivered_is_replaced_once_by_the_missed_visit_message(
    clinic, patient, physician, mailoutbox
):
    from needlepoint.notifications.models import OutboxMessage
    from needlepoint.notifications.services import outbox_deliver, reminders_plan

    finished_course(patient, physician, date(2027, 1, 10))  # 1-month visit due 10 February
    reminders_plan(now=datetime(2027, 2, 1, 15, 0, tzinfo=UTC))  # planned on time, not sent
    reminder = OutboxMessage.objects.get(kind="outcome_visit", key__contains=":1m:")
    assert reminder.status == "pending"

    late = datetime(2027, 2, 22, 15, 0, tzinfo=UTC)  # the sender ran again 12 days after
    outbox_deliver(now=late)
    outbox_deliver(now=late + timedelta(minutes=5))
    reminder.refresh_from_db()
    assert reminder.status == "cancelled" and "too late" in reminder.last_error
    assert [m.subject for m in mailoutbox] == ["Your 1-month outcome visit: not too late"]


def test_a_reminder_left_undelivered_for_months_is_dropped(clinic, patient, physician, mailoutbox):
    from needlepoint.notifications.models import OutboxMessage
    from needlepoint.notifications.services import outbox_deliver, reminders_plan

    finished_course(patient, physician, date(2026, 1, 10))
    reminders_plan(now=datetime(2026, 2, 1, 15, 0, tzinfo=UTC))
    outbox_deliver(now=datetime(2026, 12, 2, 15, 0, tzinfo=UTC))
    assert mailoutbox == []
    reminder = OutboxMessage.objects.get(kind="outcome_visit", key__contains=":1m:")
    assert reminder.status == "cancelled" and "too late" in reminder.last_error


def test_aftercare_that_sat_in_the_outbox_for_a_week_is_dropped(
    clinic, patient, aesthetician, mailoutbox, frozen
):
    from needlepoint.clinic.models import Device, Room, Service
    from needlepoint.notifications.models import OutboxMessage
    from needlepoint.notifications.services import outbox_deliver, reminders_plan
    from needlepoint.scheduling.models import Appointment

    start = datetime(2027, 3, 2, 15, 0, tzinfo=UTC)
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
    frozen.move_to(start + timedelta(days=7))
    outbox_deliver()
    assert not any("no makeup for 24 hours" in m.body for m in mailoutbox)
    aftercare = OutboxMessage.objects.get(appointment=appointment, kind="aftercare")
    assert aftercare.status == "cancelled" and "too late" in aftercare.last_error
