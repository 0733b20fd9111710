"""Writes for notifications: enqueue, plan due reminders, deliver the outbox; feed tokens.

Exactly-once among workers: each message is a row with a unique key (enqueueing twice is a
no-op) and is sent only by the worker that claimed it with a lease (a conditional UPDATE;
``select_for_update(skip_locked=True)`` on PostgreSQL, an IMMEDIATE transaction on SQLite).
A crash between the provider accepting a message and the row being marked sent leaves the
row claimed; when the lease ends it is sent again: that window is the at-least-once boundary
(docs/decisions/0130-outbox-exactly-once.md). The email Message-ID and the SMS idempotency key
are the outbox key, so a provider or mail client that deduplicates shows it once.

``enqueue`` writes outbox rows, ``reminders`` plans the due ones, ``outbox`` delivers them
and ``feeds`` holds the calendar feed tokens.
"""

from .enqueue import (
    SMS_KINDS,
    appointment_key,
    cancellation_enqueue,
    confirmation_enqueue,
    enqueue_for_appointment,
)
from .feeds import NewFeed, calendar_feed_create, calendar_feed_revoke
from .outbox import (
    MAX_ATTEMPTS,
    PRE_VISIT,
    DeliveryReport,
    deliver_now,
    outbox_deliver,
    worker_id,
)
from .outbox import _claim as _claim  # the tests claim without sending
from .reminders import (
    CONFIRM_RECENT,
    FOLLOW_UP_NOTICE,
    LOOKAHEAD,
    SEND_HOUR,
    PlanReport,
    reminders_plan,
)

__all__ = [
    "CONFIRM_RECENT",
    "FOLLOW_UP_NOTICE",
    "LOOKAHEAD",
    "MAX_ATTEMPTS",
    "PRE_VISIT",
    "SEND_HOUR",
    "SMS_KINDS",
    "DeliveryReport",
    "NewFeed",
    "PlanReport",
    "appointment_key",
    "calendar_feed_create",
    "calendar_feed_revoke",
    "cancellation_enqueue",
    "confirmation_enqueue",
    "deliver_now",
    "enqueue_for_appointment",
    "outbox_deliver",
    "reminders_plan",
    "worker_id",
]
