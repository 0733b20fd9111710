"""Reads for notifications: a staff member's feed, by token."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Min, Q
from django.utils import timezone

from needlepoint.accounts.models import User
from needlepoint.audit.services import Target, record, record_many
from needlepoint.scheduling.models import Appointment, AppointmentStatus

from .models import CalendarFeedToken, OutboxMessage
from .tokens import feed_token_hash

FEED_PAST = timedelta(days=14)
FEED_AHEAD = timedelta(days=180)


def feed_owner(raw_token: str) -> tuple[CalendarFeedToken, User] | None:
    """The active feed and its staff member for a raw token; None if unknown or revoked."""
    if not raw_token or len(raw_token) > 100:
        return None
    feed = (
        CalendarFeedToken.objects.select_related("user")
        .filter(token_hash=feed_token_hash(raw_token), revoked_at__isnull=True)
        .first()
    )
    if feed is None or not feed.user.is_active or not feed.user.is_clinic_staff:
        return None
    return feed, feed.user


def feed_appointments(
    *, feed: CalendarFeedToken, user: User, now: datetime | None = None
) -> list[Appointment]:
    """The staff member's booked appointments from two weeks ago to six months ahead; every
    appointment in the feed is one audited read of that patient's data."""
    now = now or timezone.now()
    items = list(
        Appointment.objects.select_related("patient", "service", "location", "room")
        .filter(
            staff=user,
            status=AppointmentStatus.BOOKED,
            start__gte=now - FEED_PAST,
            start__lt=now + FEED_AHEAD,
        )
        .order_by("start", "id")
    )
    record(
        actor=user,
        action="calendar_feed.read",
        object_type="calendar_feed",
        object_id=feed.pk,
        detail={"appointments": len(items)},
    )
    if items:
        record_many(
            actor=user,
            action="appointment.read",
            targets=[Target("appointment", str(a.pk), str(a.patient_id)) for a in items],
            detail={"via": "calendar_feed"},
        )
    CalendarFeedToken.objects.filter(pk=feed.pk).update(last_used_at=now)
    return items


def feeds_of(user: User) -> list[CalendarFeedToken]:
    return list(CalendarFeedToken.objects.filter(user=user).order_by("-created_at"))


@dataclass(frozen=True)
class OutboxBacklog:
    unsent: int  # due and not sent yet (waiting, being sent, or waiting for a retry)
    oldest_due_at: datetime | None

    def oldest_age(self, now: datetime) -> timedelta | None:
        return None if self.oldest_due_at is None else max(now - self.oldest_due_at, timedelta(0))


def outbox_backlog(now: datetime) -> OutboxBacklog:
    """Messages already due and not sent: counts only, no patient data (for /healthz and the
    admin's backlog warning)."""
    unsent = Q(
        status__in=[OutboxMessage.Status.PENDING, OutboxMessage.Status.SENDING], due_at__lte=now
    )
    row = OutboxMessage.objects.filter(unsent).aggregate(n=Count("id"), oldest=Min("due_at"))
    return OutboxBacklog(unsent=row["n"], oldest_due_at=row["oldest"])
