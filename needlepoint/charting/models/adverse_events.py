"""Adverse events after a session, recorded at the session or any time after."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from needlepoint.domain.charting import (
    ADVERSE_EVENT_KINDS,
    ADVERSE_EVENT_OUTCOMES,
    ADVERSE_EVENT_SEVERITIES,
)


def _choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(v, v.replace("_", " ").capitalize()) for v in values]


class AdverseEvent(models.Model):
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="adverse_events"
    )
    chart = models.ForeignKey(
        "charting.SessionChart", on_delete=models.PROTECT, related_name="adverse_events"
    )
    kind = models.CharField(max_length=48, choices=_choices(ADVERSE_EVENT_KINDS))
    severity = models.CharField(max_length=16, choices=_choices(ADVERSE_EVENT_SEVERITIES))
    onset = models.DateField()
    description = models.TextField(blank=True)
    actions = models.TextField(blank=True)
    outcome = models.CharField(max_length=32, choices=_choices(ADVERSE_EVENT_OUTCOMES))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        db_table = "treatments_adverseevent"  # kept from before the move
        ordering = ["-onset", "-id"]
        indexes = [models.Index(fields=["patient", "-onset"], name="ae_patient_onset")]

    def __str__(self) -> str:
        return f"Adverse event #{self.pk}"
