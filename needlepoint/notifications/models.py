"""The outbox of patient messages and the staff calendar feed tokens.

Every message a patient gets (confirmation, reminders, aftercare, outcome visits, recall,
waitlist offers) is first a row here with a unique ``key``; a sender claims due rows with a
lease and marks them sent (docs/decisions/0130-outbox-exactly-once.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "SMS"


class Kind(models.TextChoices):
    CONFIRMATION = "confirmation", "Booking confirmation"
    CANCELLATION = "cancellation", "Cancellation notice"
    REMINDER_48H = "reminder_48h", "Reminder 48 hours before, with preparation"
    REMINDER_2H = "reminder_2h", "Reminder 2 hours before"
    AFTERCARE = "aftercare", "Aftercare, the day after a treatment"
    OUTCOME_VISIT = "outcome_visit", "Outcome visit after a course"
    OUTCOME_VISIT_MISSED = "outcome_visit_missed", "Outcome visit missed: not too late to book"
    MAINTENANCE_RECALL = "maintenance_recall", "Yearly maintenance recall"
    WAITLIST_OFFER = "waitlist_offer", "Waitlist: an earlier slot is free"


class OutboxMessage(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Claimed by a sender"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed (gave up)"
        CANCELLED = "cancelled", "Cancelled (no longer relevant)"

    # (appointment or plan, kind, channel[, the start it was about]): at most one message.
    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="outbox_messages"
    )
    appointment = models.ForeignKey(
        "scheduling.Appointment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outbox_messages",
    )
    plan = models.ForeignKey(
        "treatments.TreatmentPlan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outbox_messages",
    )
    # The appointment start this message is about; a reschedule makes it stale. For an outcome
    # visit or recall: 10:00 local on its due day, to judge whether it is still timely.
    for_start = models.DateTimeField(null=True, blank=True)
    to = models.CharField(max_length=254)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    ics = models.TextField(blank=True, help_text="An iCalendar attachment (email only).")
    due_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["status", "due_at"], name="outbox_status_due")]

    def __str__(self) -> str:
        return f"{self.kind} {self.channel} #{self.pk}"  # no addresses: this reaches logs


class CalendarFeedToken(models.Model):
    """A staff member's private iCalendar feed URL. Only a SHA-256 of the token is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text="The first characters, to tell feeds apart.")
    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Calendar feed {self.prefix}… of user #{self.user_id}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None
