"""What `needlepoint loadtest` checks in the database and the sent mail after the run.

* Double bookings: booked appointments overlapping on `[start, busy_until)` for one staff
  member, room or pen (PostgreSQL's exclusion constraints refuse them; on SQLite only the
  booking service's locking does, so this is the check that matters there).
* Duplicate messages, three ways: an outbox row sent more than once (its `notification.send`
  audit events), an email Message-ID (the outbox key) in the sent mail more than once, an
  SMS idempotency key in the sent texts more than once. The load test points both the
  servers (confirmations sent at once after a booking) and the workers (reminders, retries)
  at file backends under its data directory, so every send is on disk.
* Photos: each uploaded photo measured once (its `photo.measure` audit events), and how many
  are still waiting when the run ends.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from needlepoint.audit.models import AuditEvent
from needlepoint.core.background.queue import READY, RUNNING
from needlepoint.notifications.models import OutboxMessage
from needlepoint.outcomes.models import Photo, PhotoMeasure

DOUBLE_BOOKINGS = """
SELECT count(*) FROM scheduling_appointment a JOIN scheduling_appointment b
  ON a.id < b.id AND a.status = 'booked' AND b.status = 'booked'
 AND a.start < b.busy_until AND b.start < a.busy_until
 AND (a.staff_id = b.staff_id OR a.room_id = b.room_id OR a.device_id = b.device_id)
"""
MESSAGE_ID = re.compile(r"^Message-ID: (<[^>]+>)", re.MULTILINE | re.IGNORECASE)


def count_double_bookings() -> int:
    with connection.cursor() as cursor:
        cursor.execute(DOUBLE_BOOKINGS)
        return int(cursor.fetchone()[0])


def _repeated_audit(action: str) -> int:
    """Objects with more than one `action` event."""
    return (
        AuditEvent.objects.filter(action=action)
        .values("object_id")
        .annotate(times=Count("id"))
        .filter(times__gt=1)
        .count()
    )


@dataclass(frozen=True)
class Messages:
    outbox_sent: int
    sent_twice_by_audit: int
    emails: int
    emails_repeated: int
    texts: int
    texts_repeated: int
    pending_due: int

    @property
    def duplicates(self) -> int:
        return self.sent_twice_by_audit + self.emails_repeated + self.texts_repeated


def check_messages(data_dir: Path) -> Messages:
    email_ids: Counter[str] = Counter()
    for path in (data_dir / "mail").glob("*"):
        email_ids.update(MESSAGE_ID.findall(path.read_text(encoding="utf-8", errors="replace")))
    text_keys: Counter[str] = Counter(
        json.loads(path.read_text(encoding="utf-8"))["key"]
        for path in (data_dir / "sms").glob("*.json")
    )
    return Messages(
        outbox_sent=OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT).count(),
        sent_twice_by_audit=_repeated_audit("notification.send"),
        emails=sum(email_ids.values()),
        emails_repeated=sum(1 for times in email_ids.values() if times > 1),
        texts=sum(text_keys.values()),
        texts_repeated=sum(1 for times in text_keys.values() if times > 1),
        pending_due=OutboxMessage.objects.filter(
            status__in=[OutboxMessage.Status.PENDING, OutboxMessage.Status.SENDING],
            due_at__lte=timezone.now(),
        ).count(),
    )


@dataclass(frozen=True)
class Photos:
    uploaded: int
    measured: int
    waiting: int
    measured_twice: int


def check_photos(since: int) -> Photos:
    """Photos with a primary key above `since` (those the run uploaded)."""
    measures = PhotoMeasure.objects.filter(photo_id__gt=since)
    return Photos(
        uploaded=Photo.objects.filter(pk__gt=since).count(),
        measured=measures.exclude(status=PhotoMeasure.Status.PENDING).count(),
        waiting=measures.filter(status=PhotoMeasure.Status.PENDING).count(),
        measured_twice=_repeated_audit("photo.measure"),
    )


def work_left(ended_at: datetime) -> int:
    """Jobs queued by the end of the run (and due) still waiting or running, plus messages
    due by then and not yet sent. Later periodic firings (every 10 s) are not waited for."""
    now = timezone.now()
    jobs = (
        DBTaskResult.objects.filter(status__in=[READY, RUNNING], enqueued_at__lte=ended_at)
        .filter(Q(run_after=get_date_max()) | Q(run_after__lte=now))
        .count()
    )
    due = OutboxMessage.objects.filter(
        status__in=[OutboxMessage.Status.PENDING, OutboxMessage.Status.SENDING],
        due_at__lte=ended_at,
    ).count()
    return jobs + due
