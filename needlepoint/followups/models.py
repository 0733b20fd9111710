"""Follow-ups after a course: the outcome visits (1, 3, 6 months after the last session) and
the maintenance recall. A row is written when the visit is proposed; its state (booked, done,
missed) is read from the appointment and the date, never stored twice
(docs/decisions/0161-follow-up-proposal.md, 0162-missed-outcome-visit.md)."""

from __future__ import annotations

from django.db import models


class FollowUp(models.Model):
    class Kind(models.TextChoices):
        OUTCOME_VISIT = "outcome_visit", "Outcome visit"
        MAINTENANCE_RECALL = "maintenance_recall", "Maintenance recall"

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="follow_ups"
    )
    plan = models.ForeignKey(
        "treatments.TreatmentPlan", on_delete=models.PROTECT, related_name="follow_ups"
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    months_after = models.PositiveSmallIntegerField()
    last_session_on = models.DateField(help_text="The course's last session it counts from.")
    due_on = models.DateField()
    text = models.CharField(max_length=300)
    appointment = models.ForeignKey(
        "scheduling.Appointment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )
    # A recall is raised (shown to the front desk, planned for reminding) once it is due.
    raised_at = models.DateTimeField(null=True, blank=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)
    dismissed_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "outcomes_followup"  # the table it had in outcomes; the data stays put
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["due_on", "kind"], name="followup_due_kind")]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "kind", "months_after"], name="followup_once_per_plan"
            ),
        ]

    def __str__(self) -> str:
        return f"Follow-up #{self.pk} ({self.kind}, {self.months_after} months)"
