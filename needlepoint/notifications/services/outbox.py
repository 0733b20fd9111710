"""Delivery: claiming due messages with a lease, dropping stale ones, sending, retrying."""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from needlepoint.audit.services import record
from needlepoint.domain.reminders import SEND_MISSED_INSTEAD
from needlepoint.followups.models import FollowUp
from needlepoint.scheduling.models import AppointmentStatus

from .. import timely, tokens
from ..backends.sms import Sms, get_sms_backend
from ..models import Channel, Kind, OutboxMessage
from .enqueue import _insert

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
PRE_VISIT = frozenset({Kind.CONFIRMATION, Kind.REMINDER_48H, Kind.REMINDER_2H})


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
