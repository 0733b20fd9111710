"""The waitlist: people asking for an earlier slot, the slots freed by cancellations, and the
offers made for them (docs/decisions/0133-waitlist-detection.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from needlepoint.scheduling.models import new_link_secret


class WaitlistEntry(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        BOOKED = "booked", "Booked from the waitlist"
        WITHDRAWN = "withdrawn", "Withdrawn"
        CLOSED = "closed", "Closed: the appointment to move was cancelled or has passed"

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="waitlist_entries"
    )
    service = models.ForeignKey("clinic.Service", on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(
        "clinic.Location", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Only slots with this staff member, when set.",
    )
    earliest = models.DateField(null=True, blank=True)
    latest = models.DateField(null=True, blank=True)
    # The booked appointment the patient would like earlier: accepting moves it.
    appointment = models.ForeignKey(
        "scheduling.Appointment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="waitlist_entries",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.WAITING)
    booked_appointment = models.ForeignKey(
        "scheduling.Appointment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "waitlist entries"
        indexes = [models.Index(fields=["status", "service", "created_at"], name="waitlist_fifo")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(earliest__isnull=True)
                | models.Q(latest__isnull=True)
                | models.Q(latest__gte=models.F("earliest")),
                name="waitlist_window_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"Waitlist entry #{self.pk}"


class FreedSlot(models.Model):
    """A slot freed by a cancellation. One row per cancelled appointment, so its offers are
    made exactly once however many scans run at the same time."""

    class Status(models.TextChoices):
        OPEN = "open", "Offered, open"
        TAKEN = "taken", "Taken from the waitlist"
        GONE = "gone", "Gone (booked otherwise, or no longer free)"
        UNMATCHED = "unmatched", "Nobody on the waitlist matched"

    cancelled_appointment = models.OneToOneField(
        "scheduling.Appointment", on_delete=models.PROTECT, related_name="freed_slot"
    )
    service = models.ForeignKey("clinic.Service", on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey("clinic.Location", on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    start = models.DateTimeField()
    end = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start"]

    def __str__(self) -> str:
        return f"Freed slot #{self.pk}"


class WaitlistOffer(models.Model):
    class Status(models.TextChoices):
        OFFERED = "offered", "Offered"
        ACCEPTED = "accepted", "Accepted"
        TAKEN = "taken", "Taken by someone else"

    slot = models.ForeignKey(FreedSlot, on_delete=models.CASCADE, related_name="offers")
    entry = models.ForeignKey(WaitlistEntry, on_delete=models.CASCADE, related_name="offers")
    rank = models.PositiveSmallIntegerField(help_text="1 = longest waiting among those offered")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OFFERED)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    link_secret = models.CharField(max_length=32, default=new_link_secret, editable=False)

    class Meta:
        ordering = ["slot", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["slot", "entry"], name="waitlist_offer_once"),
        ]

    def __str__(self) -> str:
        return f"Waitlist offer #{self.pk}"
