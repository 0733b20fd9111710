"""Planning: every message that is due (or soon due) put into the outbox once, appointment
reminders, aftercare, confirmations and cancellations made elsewhere, and follow-ups."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from needlepoint.clinic.clock import clinic_today, local_date, location_zone
from needlepoint.clinic.models import Location
from needlepoint.data.protocol_table import load_protocols
from needlepoint.domain.protocols import follow_up_schedule
from needlepoint.domain.reminders import DROP, SEND_MISSED_INSTEAD, message_timeliness
from needlepoint.domain.time import local_to_utc
from needlepoint.scheduling.models import Appointment, AppointmentStatus
from needlepoint.treatments.models import PlanSession, TreatmentPlan

from .. import messages, timely
from ..models import Channel, Kind, OutboxMessage
from .enqueue import _channels, _insert, enqueue_for_appointment

LOOKAHEAD = timedelta(days=7)  # how far ahead appointment reminders are planned
CONFIRM_RECENT = timedelta(days=1)  # bookings made elsewhere get a confirmation this long after
SEND_HOUR = time(10, 0)  # local time for day-based messages (aftercare, follow-ups)
FOLLOW_UP_NOTICE = timedelta(days=7)  # outcome visits and recalls: a week before they are due


def _local_at(day: object, zone: ZoneInfo) -> datetime:
    return local_to_utc(day, SEND_HOUR, zone)  # type: ignore[arg-type]


@dataclass
class PlanReport:
    planned: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, rows: list[OutboxMessage]) -> None:
        if rows:
            self.planned += len(rows)
            self.by_kind[kind] = self.by_kind.get(kind, 0) + len(rows)


def reminders_plan(*, now: datetime | None = None) -> PlanReport:
    """Put every message that is due (or soon due) into the outbox, once."""
    now = now or timezone.now()
    report = PlanReport()
    related = ("patient", "service", "location")
    upcoming = Appointment.objects.select_related(*related).filter(
        status=AppointmentStatus.BOOKED, start__gt=now, start__lte=now + LOOKAHEAD
    )
    for appointment in upcoming:
        for kind, before in (
            (Kind.REMINDER_48H, timedelta(hours=48)),
            (Kind.REMINDER_2H, timedelta(hours=2)),
        ):
            due = appointment.start - before
            # Booked inside the window: the confirmation already said it all.
            if appointment.created_at > due:
                continue
            report.add(kind, enqueue_for_appointment(appointment, kind, due_at=due))
        if appointment.service.is_treatment:
            day_after = local_date(appointment.location, appointment.start) + timedelta(days=1)
            report.add(
                Kind.AFTERCARE,
                enqueue_for_appointment(
                    appointment,
                    Kind.AFTERCARE,
                    due_at=_local_at(day_after, appointment.location.zone),
                ),
            )
    # Bookings made by staff or in the patient's account: a confirmation too.
    recent = Appointment.objects.select_related(*related).filter(
        status=AppointmentStatus.BOOKED, start__gt=now, created_at__gte=now - CONFIRM_RECENT
    )
    for appointment in recent:
        report.add(
            Kind.CONFIRMATION, enqueue_for_appointment(appointment, Kind.CONFIRMATION, due_at=now)
        )
    cancelled = Appointment.objects.select_related(*related).filter(
        status=AppointmentStatus.CANCELLED, start__gt=now, cancelled_at__gte=now - CONFIRM_RECENT
    )
    for appointment in cancelled:
        report.add(
            Kind.CANCELLATION, enqueue_for_appointment(appointment, Kind.CANCELLATION, due_at=now)
        )
    _plan_follow_ups(now, report)
    return report


def _plan_follow_ups(now: datetime, report: PlanReport) -> None:
    """Outcome visits (1, 3, 6 months) and the maintenance recall after a finished course."""
    finished = (
        TreatmentPlan.objects.select_related("patient")
        .exclude(status=TreatmentPlan.Status.CANCELLED)
        .exclude(plan_sessions__status__in=[PlanSession.Status.PLANNED, PlanSession.Status.BOOKED])
        .filter(plan_sessions__status=PlanSession.Status.DONE)
        .distinct()
    )
    table = None
    for plan in finished:
        last = max((s.done_on for s in plan.plan_sessions.all() if s.done_on), default=None)
        if last is None:
            continue
        table = table or load_protocols()
        location = _plan_location(plan)
        zone = location_zone(location)
        today = clinic_today(location, now=now)
        for follow_up in follow_up_schedule(
            last, table, maintenance_months=plan.maintenance_months
        ):
            kind = (
                Kind.MAINTENANCE_RECALL
                if follow_up.kind == "maintenance_recall"
                else Kind.OUTCOME_VISIT
            )
            # Past its day: the missed-visit message instead (once), or nothing (0222).
            verdict = message_timeliness(kind, about=follow_up.due_date, today=today)
            if verdict.action == DROP:
                continue
            reminder_kind = kind
            if verdict.action == SEND_MISSED_INSTEAD:
                kind = Kind.OUTCOME_VISIT_MISSED
            text = messages.follow_up_text(
                kind,
                given_name=plan.patient.given_name,
                due=follow_up.due_date,
                months=follow_up.months_after,
                phone="",
            )
            rows = []
            for channel, to in _channels(plan.patient, kind):
                months = follow_up.months_after
                if (
                    kind != reminder_kind
                    and OutboxMessage.objects.filter(
                        key=timely.follow_up_key(plan.pk, reminder_kind, months, channel)
                    ).exists()
                ):
                    continue  # the reminder was planned: the sender replaces it if late
                row = _insert(
                    timely.follow_up_key(plan.pk, kind, months, channel),
                    kind=kind,
                    channel=channel,
                    patient=plan.patient,
                    plan=plan,
                    for_start=_local_at(follow_up.due_date, zone),
                    to=to,
                    subject=text.subject,
                    body=text.body if channel == Channel.EMAIL else text.sms,
                    due_at=now
                    if kind != reminder_kind
                    else _local_at(follow_up.due_date - FOLLOW_UP_NOTICE, zone),
                )
                if row is not None:
                    rows.append(row)
            report.add(kind, rows)


def _plan_location(plan: Any) -> Location | None:
    """Where the plan was last treated; None (the clinic clock's default location) if nowhere."""
    appointment = (
        Appointment.objects.select_related("location").filter(plan=plan).order_by("-start").first()
    )
    return appointment.location if appointment is not None else None
