"""Signed consents: immutable rows with the version, signer, time and the text's hash."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class ImmutableModel(models.Model):
    """A row that is written once: a change is a new row (amendment), never an update."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError(f"{type(self).__name__} rows are immutable once written")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError(f"{type(self).__name__} rows are never deleted")


class ConsentSignature(ImmutableModel):
    class SignatureKind(models.TextChoices):
        TYPED = "typed", "Typed full name"
        DRAWN = "drawn", "Drawn signature"

    class Source(models.TextChoices):
        TABLET = "tablet", "Clinic tablet (staff present)"
        PORTAL = "portal", "Patient portal"
        API = "api", "API"

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="consent_signatures"
    )
    plan = models.ForeignKey(
        "treatments.TreatmentPlan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consent_signatures",
    )
    appointment = models.ForeignKey(
        "scheduling.Appointment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consent_signatures",
    )
    version = models.CharField(max_length=64)
    text_hash = models.CharField(max_length=64, help_text="SHA-256 of the text as shown.")
    signature_kind = models.CharField(max_length=8, choices=SignatureKind.choices)
    # A typed full name, or a drawn signature as an SVG path / data URL.
    signature = models.TextField()
    signer_name = models.CharField(max_length=200)
    photo_release = models.BooleanField(default=False)
    photo_release_version = models.CharField(max_length=64, blank=True)
    photo_release_hash = models.CharField(max_length=64, blank=True)
    source = models.CharField(max_length=8, choices=Source.choices)
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField()

    class Meta:
        db_table = "treatments_consentsignature"  # kept from before the move
        ordering = ["-signed_at", "-id"]
        indexes = [
            models.Index(
                fields=["patient", "plan", "-signed_at"], name="treatments__patient_dbfbf6_idx"
            )
        ]

    def __str__(self) -> str:
        return f"Consent #{self.pk} (v{self.version})"
