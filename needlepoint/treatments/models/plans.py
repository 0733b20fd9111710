"""A treatment plan made from a consultation's recommendation, and its course of sessions.

The recommendation is kept as given, next to the values in force and each override with
its reason, so the plan shows what the software advised and what the clinician chose
(docs/decisions/0114-plan-overrides.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class TreatmentPlan(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Course completed"
        CANCELLED = "cancelled", "Cancelled"

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="treatment_plans"
    )
    consultation = models.ForeignKey(
        "screening.Consultation", on_delete=models.PROTECT, related_name="plans"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    protocol_version = models.CharField(max_length=100)
    recommendation = models.JSONField(help_text="The recommendation as the protocol gave it.")
    sessions = models.PositiveSmallIntegerField()
    interval_weeks = models.PositiveSmallIntegerField()
    maintenance_months = models.PositiveSmallIntegerField()
    zones = models.JSONField(help_text='[{"zone": …, "depth_mm": [low, high]}]')
    precautions = models.JSONField(default=list)
    notes = models.JSONField(default=list)
    overrides = models.JSONField(
        default=dict, help_text='{field: {"recommended": …, "value": …, "reason": …}}'
    )
    maintenance_due = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["patient", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sessions__gte=1), name="treatments_plan_sessions_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Treatment plan #{self.pk}"


class PlanSession(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        BOOKED = "booked", "Booked"
        DONE = "done", "Done"

    plan = models.ForeignKey(TreatmentPlan, on_delete=models.CASCADE, related_name="plan_sessions")
    index = models.PositiveSmallIntegerField(help_text="1 for the first session of the course")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PLANNED)
    booked_for = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    reference = models.CharField(
        max_length=100, blank=True, help_text="The booking's appointment, when booked."
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "index"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "index"], name="treatments_session_index"),
        ]

    def __str__(self) -> str:
        return f"Session {self.index} of plan #{self.plan_id}"
