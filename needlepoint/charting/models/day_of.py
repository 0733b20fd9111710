"""The treatment-day checklist as judged: answers, verdict, reasons, and whether it blocked."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .consent import ImmutableModel


class DayOfCheck(ImmutableModel):
    appointment = models.ForeignKey(
        "scheduling.Appointment", on_delete=models.PROTECT, related_name="day_of_checks"
    )
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(help_text="The checklist as answered (contract field names).")
    judged_for = models.DateField()
    policy_version = models.CharField(max_length=100)
    verdict = models.CharField(max_length=32)
    blocked = models.BooleanField()
    resume_on = models.DateField(null=True, blank=True)
    reasons = models.JSONField(default=list)
    precautions = models.JSONField(default=list)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField()

    class Meta:
        db_table = "treatments_dayofcheck"  # kept from before the move
        ordering = ["-checked_at", "-id"]
        indexes = [
            models.Index(
                fields=["appointment", "-checked_at"], name="treatments__appoint_a30ce8_idx"
            )
        ]

    def __str__(self) -> str:
        return f"Day-of check #{self.pk}"
