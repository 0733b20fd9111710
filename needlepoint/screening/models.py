"""Stored screenings, consultations with their signed determination, amendments and
physician clearances, and the clinic's edited data files (policy / protocol table).

Signed clinical records are append-only: a determination is never edited, only amended
(docs/decisions/0112-determination-signing-and-amendments.md).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class DataKind(models.TextChoices):
    SCREENING_POLICY = "screening_policy", "Screening policy"
    PROTOCOL_TABLE = "protocol_table", "Protocol table"


class DataOverride(models.Model):
    """A clinic's own version of a data file, edited in the admin.

    Rows are never edited after creation (a new version is a new row), so the version a
    screening or plan recorded always names exactly one text.
    """

    kind = models.CharField(max_length=32, choices=DataKind.choices)
    version = models.CharField(max_length=100)
    text = models.TextField(help_text="The whole YAML file, in the shipped file's format.")
    is_active = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="screening_override_version"),
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(is_active=True),
                name="screening_one_active_override_per_kind",
            ),
        ]

    def __str__(self) -> str:
        state = "active" if self.is_active else "inactive"
        return f"{self.get_kind_display()} {self.version} ({state})"


class Screening(models.Model):
    class Channel(models.TextChoices):
        ONLINE = "online", "Online (self-screening)"
        PHONE = "phone", "By phone (staff)"
        API = "api", "API"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(
        "patients.Patient",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="screenings",
    )
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(max_length=16, choices=Channel.choices)
    answers = models.JSONField(help_text="The answers as submitted (contract field names).")
    judged_for = models.DateField()
    policy_version = models.CharField(max_length=100)
    verdict = models.CharField(max_length=32)
    resume_on = models.DateField(null=True, blank=True)
    requires_physician = models.BooleanField(default=False)
    result = models.JSONField(help_text="The response as given to the person.")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["patient", "-created_at"])]

    def __str__(self) -> str:
        return f"Screening {self.pk}"


class Determination(models.TextChoices):
    CANDIDATE = "candidate", "Candidate"
    NOT_CANDIDATE = "not_candidate", "Not a candidate"
    PHYSICIAN_CLEARANCE_REQUIRED = "physician_clearance_required", "Physician clearance required"


class Consultation(models.Model):
    """The examination and the professional's signed determination (never edited)."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="consultations"
    )
    screening = models.ForeignKey(
        Screening, null=True, blank=True, on_delete=models.PROTECT, related_name="consultations"
    )
    fitzpatrick = models.PositiveSmallIntegerField()
    concerns = models.JSONField(help_text='[{"concern": …, "grade": …}]')
    zones = models.JSONField()
    notes = models.TextField(blank=True)
    determination = models.CharField(max_length=32, choices=Determination.choices)
    protocol_version = models.CharField(max_length=100)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-signed_at", "-id"]
        indexes = [models.Index(fields=["patient", "-signed_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fitzpatrick__gte=1, fitzpatrick__lte=6),
                name="screening_consultation_fitzpatrick_1_6",
            ),
        ]

    def __str__(self) -> str:
        return f"Consultation #{self.pk}"


class Amendment(models.Model):
    """A later, signed change of a consultation's determination, with its reason."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="amendments"
    )
    determination = models.CharField(max_length=32, choices=Determination.choices)
    reason = models.TextField()
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["signed_at", "id"]

    def __str__(self) -> str:
        return f"Amendment #{self.pk} of consultation #{self.consultation_id}"


class Clearance(models.Model):
    """A physician's decision on a `physician_clearance_required` determination."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="clearances"
    )
    cleared = models.BooleanField()
    notes = models.TextField(blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["signed_at", "id"]

    def __str__(self) -> str:
        return f"Clearance #{self.pk} of consultation #{self.consultation_id}"
