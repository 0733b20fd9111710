"""Writes for notifications: enqueue, plan due reminders, deliver the outbox; feed tokens.

Exactly-once among workers: each message is a row with a unique key (enqueueing twice is a
no-op) and is sent only by the worker that claimed it with a lease (a conditional UPDATE;
``select_for_update(skip_locked=True)`` on PostgreSQL, an IMMEDIATE transaction on SQLite).
A crash between the provider accepting a message and the row being marked sent leaves the
row claimed; when the lease ends it is sent again: that window is the at-least-once boundary
(docs/decisions/0130-outbox-exactly-once.md). The email Message-ID and the SMS idempotency key
are the outbox key, so a provider or mail client that deduplicates shows it once.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from needlepoint.accounts.models import User
from needlepoint.audit.services import record
from needlepoint.clinic.clock import clinic_today, local_date, location_zone
from needlepoint.clinic.models import Location
from needlepoint.core.errors import NotFound
from needlepoint.data.protocol_table import load_protocols
from needlepoint.domain.protocols import follow_up_schedule
from needlepoint.domain.reminders import DROP, SEND_MISSED_INSTEAD, message_timeliness
from needlepoint.domain.time import local_to_utc
from needlepoint.followups.models import FollowUp
from needlepoint.patients.models import Patient
from needlepoint.scheduling.models import Appointment, AppointmentStatus
from needlepoint.treatments.models import PlanSession, TreatmentPlan

from . import messages, timely, tokens
from .backends.sms import Sms, get_sms_backend
from .ical import appointment_ics
from .models import CalendarFeedToken, Channel, Kind, OutboxMessage

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
LOOKAHEAD = timedelta(days=7)  # how far ahead appointment reminders are planned
CONFIRM_RECENT = timedelta(days=1)  # bookings made elsewhere get a confirmation this long after
SMS_KINDS = frozenset({Kind.CONFIRMATION, Kind.CANCELLATION, Kind.REMINDER_48H, Kind.REMINDER_2H})
PRE_VISIT = frozenset({Kind.CONFIRMATION, Kind.REMINDER_48H, Kind.REMINDER_2H})
SEND_HOUR = time(10, 0)  # local time for day-based messages (aftercare, follow-ups)
FOLLOW_UP_NOTICE = timedelta(days=7)  # outcome visits and recalls: a week before they are due


def _stamp(value: datetime) -> str:
    return value.astimezone(ZoneInfo("UTC")).strftime("%Y%m%dT%H%MZ")


def appointment_key(appointment: Appointment, kind: str, channel: str) -> str:
    if kind == Kind.CANCELLATION:
        return f"appt:{appointment.pk}:{kind}:{channel}"
    # Keyed by the start too: a rescheduled appointment gets fresh reminders.
    return f"appt:{appointment.pk}:{kind}:{channel}:{_stamp(appointment.start)}"


def _channels(patient: Patient, kind: str) -> list[tuple[str, str]]:
    found = []
    if patient.email:
        found.append((Channel.EMAIL.value, patient.email))
    if patient.phone and kind in SMS_KINDS and settings.NEEDLEPOINT_SMS_ENABLED:
        found.append((Channel.SMS.value, patient.phone))
    return found


def _insert(key: str, **fields: object) -> OutboxMessage | None:
    """The new row, or None when the key is already taken (enqueued before)."""
    if OutboxMessage.objects.filter(key=key).exists():
        return None
    try:
        with transaction.atomic():
            return OutboxMessage.objects.create(key=key, **fields)
    except IntegrityError:
        return None  # a concurrent planner won: the message exists once


def enqueue_for_appointment(
    appointment: Appointment, kind: str, *, due_at: datetime
) -> list[OutboxMessage]:
    patient, location, service = appointment.patient, appointment.location, appointment.service
    wanted = {appointment_key(appointment, kind, c) for c, _ in _channels(patient, kind)}
    if not wanted or wanted <= set(
        OutboxMessage.objects.filter(key__in=wanted).values_list("key", flat=True)
    ):
        return []  # planned before: skip rendering (the planner runs every minute)
    text = messages.appointment_text(
        kind,
        given_name=patient.given_name,
        service=service.name,
        start=appointment.start,
        zone=location.zone,
        place=location.name,
        phone=location.phone,
        is_treatment=service.is_treatment,
        manage_url=tokens.manage_url(appointment),
        late_cancel_hours=settings.NEEDLEPOINT_LATE_CANCEL_HOURS,
    )
    ics = appointment_ics(appointment) if kind in {Kind.CONFIRMATION, Kind.CANCELLATION} else ""
    created = []
    for channel, to in _channels(patient, kind):
        row = _insert(
            appointment_key(appointment, kind, channel),
            kind=kind,
            channel=channel,
            patient=patient,
            appointment=appointment,
            for_start=appointment.start,
            to=to,
            subject=text.subject,
            body=text.body if channel == Channel.EMAIL else text.sms,
            ics=ics if channel == Channel.EMAIL else "",
            due_at=due_at,
        )
        if row is not None:
            created.append(row)
    return created


def confirmation_enqueue(appointment: Appointment) -> list[str]:
    """Queue the confirmation (email with .ics, and SMS); returns the keys to deliver now."""
    enqueue_for_appointment(appointment, Kind.CONFIRMATION, due_at=timezone.now())
    return [
        appointment_key(appointment, Kind.CONFIRMATION, c)
        for c, _ in _channels(appointment.patient, Kind.CONFIRMATION)
    ]


def cancellation_enqueue(appointment: Appointment) -> list[str]:
    enqueue_for_appointment(appointment, Kind.CANCELLATION, due_at=timezone.now())
    return [
        appointment_key(appointment, Kind.CANCELLATION, c)
        for c, _ in _channels(appointment.patient, Kind.CANCELLATION)
    ]


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


# ---------------------------------------------------------------- delivery


@dataclass
class DeliveryReport:
    sent: int = 0
    cancelled: int = 0
    failed: int = 0
    retrying: int = 0
    replaced: int = 0  # late reminders replaced by the missed-visit message


def worker_id() -> str:
    thread = threading.get_ident() % 100000
    return f"{socket.gethostname()[:20]}:{os.getpid()}:{thread}:{uuid.uuid4().hex[:6]}"


def _claim(
    now: datetime, worker: str, limit: int, keys: Iterable[str] | None
) -> list[OutboxMessage]:
    lease = timedelta(seconds=settings.NEEDLEPOINT_OUTBOX_LEASE_SECONDS)
    claimable = (
        Q(status=OutboxMessage.Status.PENDING, due_at__lte=now)
        | Q(status=OutboxMessage.Status.SENDING, lease_until__lt=now)
    ) & Q(attempts__lt=MAX_ATTEMPTS)
    with transaction.atomic():
        query = OutboxMessage.objects.filter(claimable)
        if keys is not None:
            query = query.filter(key__in=list(keys))
        if connection.vendor == "postgresql":
            query = query.select_for_update(skip_locked=True, of=("self",))
        ids = list(query.order_by("due_at", "id").values_list("id", flat=True)[:limit])
        if not ids:
            return []
        # Conditional: on SQLite the IMMEDIATE transaction already admits one claimer at a
        # time; on PostgreSQL the rows are locked by us. Either way a row goes to one worker.
        OutboxMessage.objects.filter(claimable, id__in=ids).update(
            status=OutboxMessage.Status.SENDING,
            lease_until=now + lease,
            claimed_by=worker,
            attempts=F("attempts") + 1,
        )
        return list(
            OutboxMessage.objects.select_related("appointment", "patient").filter(
                id__in=ids, claimed_by=worker, status=OutboxMessage.Status.SENDING
            )
        )


def _follow_up_already_booked(message: OutboxMessage) -> bool:
    """A "time to book your outcome visit / maintenance session" message is moot once that
    visit is booked (or done). The months are part of the message key (`plan:…:<m>m:…`)."""
    months = timely.key_months(message.key)
    if months is None:
        return False
    return FollowUp.objects.filter(
        plan_id=message.plan_id,
        months_after=months,
        appointment__status__in=[AppointmentStatus.BOOKED, AppointmentStatus.COMPLETED],
    ).exists()


def _stale_reason(message: OutboxMessage, now: datetime) -> str:
    appointment = message.appointment
    if appointment is None:
        if message.plan_id and message.kind in timely.FOLLOW_UP_KINDS:
            return "already booked" if _follow_up_already_booked(message) else ""
        return ""
    if message.kind == Kind.CANCELLATION:
        return "" if appointment.status == AppointmentStatus.CANCELLED else "no longer cancelled"
    if appointment.status in {AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW}:
        return f"appointment {appointment.status}"
    if message.for_start and appointment.start != message.for_start:
        return "appointment rescheduled"
    if message.kind in PRE_VISIT and now >= appointment.start:
        return "too late: the appointment has started"
    return ""


def _transmit(message: OutboxMessage) -> None:
    if message.channel == Channel.SMS:
        get_sms_backend().send(Sms(to=message.to, body=message.body, idempotency_key=message.key))
        return
    host = tokens.absolute("/").split("//", 1)[-1].strip("/").split(":")[0] or "needlepoint.local"
    safe_key = message.key.replace(":", ".")
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        headers={"Message-ID": f"<{safe_key}@{host}>"},
    )
    if message.ics:
        email.attach("appointment.ics", message.ics, "text/calendar")
    email.send(fail_silently=False)


def _finish(message: OutboxMessage, worker: str, **changes: object) -> bool:
    return bool(
        OutboxMessage.objects.filter(
            pk=message.pk, claimed_by=worker, status=OutboxMessage.Status.SENDING
        ).update(lease_until=None, **changes)
    )


def _deliver_one(
    message: OutboxMessage, worker: str, now: datetime, report: DeliveryReport
) -> None:
    reason = _stale_reason(message, now)
    if reason:
        _finish(message, worker, status=OutboxMessage.Status.CANCELLED, last_error=reason)
        report.cancelled += 1
        return
    verdict = timely.verdict(message, now)
    if not verdict.send:
        _finish(message, worker, status=OutboxMessage.Status.CANCELLED, last_error=verdict.reason)
        report.cancelled += 1
        replacement = (
            timely.missed_visit_row(message, now) if verdict.action == SEND_MISSED_INSTEAD else None
        )
        if replacement is not None and _insert(replacement[0], **replacement[1]) is not None:
            report.replaced += 1
        return
    try:
        _transmit(message)
    except Exception as exc:  # any provider failure: retry later, then give up
        # The provider's message may quote the recipient: log only the kind of failure.
        log.warning(
            "outbox %s failed (attempt %s): %s", message.pk, message.attempts, type(exc).__name__
        )
        gave_up = message.attempts >= MAX_ATTEMPTS
        _finish(
            message,
            worker,
            status=OutboxMessage.Status.FAILED if gave_up else OutboxMessage.Status.PENDING,
            due_at=now + timedelta(minutes=5 * 2**message.attempts),
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        if gave_up:
            report.failed += 1
        else:
            report.retrying += 1
        return
    with transaction.atomic():
        if _finish(message, worker, status=OutboxMessage.Status.SENT, sent_at=timezone.now()):
            record(
                actor=None,
                action="notification.send",
                object_type="outbox_message",
                object_id=message.pk,
                patient_id=message.patient_id,
                detail={"kind": message.kind, "channel": message.channel},
            )
    report.sent += 1


def outbox_deliver(
    *,
    now: datetime | None = None,
    keys: Iterable[str] | None = None,
    batch: int = 100,
    worker: str | None = None,
) -> DeliveryReport:
    """Send every due message this worker can claim, batch after batch."""
    worker = worker or worker_id()
    report = DeliveryReport()
    keys = list(keys) if keys is not None else None
    while True:
        current = now or timezone.now()
        claimed = _claim(current, worker, batch, keys)
        replaced = report.replaced
        for message in claimed:
            _deliver_one(message, worker, current, report)
        if len(claimed) < batch and (report.replaced == replaced or keys is not None):
            return report


def deliver_now(keys: Iterable[str]) -> None:
    """Try to send these messages at once (after a booking); the periodic run retries."""
    try:
        outbox_deliver(keys=keys)
    except Exception as exc:  # never fail a booking because the mail server is down
        log.error(  # no traceback: its text can quote addresses and message content
            "immediate delivery failed (%s); `needlepoint reminders send` will retry",
            type(exc).__name__,
        )


# ---------------------------------------------------------------- calendar feeds


@dataclass(frozen=True)
class NewFeed:
    feed: CalendarFeedToken
    raw: str


def calendar_feed_create(*, actor: User, label: str = "") -> NewFeed:
    raw = tokens.new_feed_token()
    with transaction.atomic():
        feed = CalendarFeedToken.objects.create(
            user=actor, token_hash=tokens.feed_token_hash(raw), prefix=raw[:6], label=label[:100]
        )
        record(
            actor=actor,
            action="calendar_feed.create",
            object_type="calendar_feed",
            object_id=feed.pk,
        )
    return NewFeed(feed=feed, raw=raw)


def calendar_feed_revoke(*, actor: User, feed_id: int) -> CalendarFeedToken:
    with transaction.atomic():
        feed = (
            CalendarFeedToken.objects.select_for_update(of=("self",))
            .filter(pk=feed_id, user=actor)
            .first()
        )
        if feed is None:
            raise NotFound("no such calendar feed")
        if feed.revoked_at is None:
            feed.revoked_at = timezone.now()
            feed.save(update_fields=["revoked_at"])
            record(
                actor=actor,
                action="calendar_feed.revoke",
                object_type="calendar_feed",
                object_id=feed.pk,
            )
    return feed
