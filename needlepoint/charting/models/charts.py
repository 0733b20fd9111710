"""The session chart, its signature and co-signature, and amendments shown with it.

A chart may be re-saved while it is a draft; once signed, its row is never changed again
except for the medical director's co-signature, and corrections are ChartAmendment rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from .consent import ImmutableModel


class SessionChart(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SIGNED = "signed", "Signed"

    appointment = models.OneToOneField(
        "scheduling.Appointment", on_delete=models.PROTECT, related_name="chart"
    )
    # Denormalised from the appointment so a recall reads one table.
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="session_charts"
    )
    plan = models.ForeignKey(
        "treatments.TreatmentPlan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="charts",
    )
    session_date = models.DateField(help_text="The local date of the session.")
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="charts_operated"
    )
    operator_role = models.CharField(max_length=32)
    device = models.ForeignKey("clinic.Device", on_delete=models.PROTECT, related_name="charts")
    cartridge_lot = models.ForeignKey(
        "clinic.CartridgeLot", on_delete=models.PROTECT, related_name="charts"
    )
    anesthetic = models.CharField(max_length=200, blank=True)
    zones = models.JSONField(help_text='[{"zone", "depth_mm", "passes", "reason", "rule"}]')
    topicals = models.JSONField(default=list, help_text='[{"product", "lot", "override_reason"}]')
    endpoint = models.CharField(max_length=32)
    immediate_reactions = models.TextField(blank=True)
    aftercare_given = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    # Written (or last re-saved) after the session's local date: kept with its reason.
    late_entry = models.BooleanField(default=False)
    late_reason = models.TextField(blank=True)
    protocol_version = models.CharField(max_length=100)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    signed_at = models.DateTimeField(null=True, blank=True)
    needs_cosign = models.BooleanField(default=False)
    cosigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="charts_cosigned",
    )
    cosigned_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "treatments_sessionchart"  # kept from before the move
        ordering = ["-session_date", "-id"]
        indexes = [
            models.Index(fields=["patient", "-session_date"], name="chart_patient_date"),
            models.Index(fields=["cartridge_lot"], name="chart_lot"),
            models.Index(fields=["device"], name="chart_device"),
            models.Index(fields=["needs_cosign", "cosigned_at"], name="chart_cosign_queue"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(signed_at__isnull=False),
                name="chart_signed_has_time",
            ),
            models.CheckConstraint(
                condition=Q(cosigned_at__isnull=True) | Q(status="signed"),
                name="chart_cosign_after_sign",
            ),
        ]

    def __str__(self) -> str:
        return f"Chart #{self.pk}"


class ChartAmendment(ImmutableModel):
    chart = models.ForeignKey(SessionChart, on_delete=models.PROTECT, related_name="amendments")
    changes = models.JSONField(help_text='{field: {"from": …, "to": …}}')
    reason = models.TextField()
    amended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    amended_at = models.DateTimeField()

    class Meta:
        db_table = "treatments_chartamendment"  # kept from before the move
        ordering = ["amended_at", "id"]

    def __str__(self) -> str:
        return f"Amendment #{self.pk} of chart #{self.chart_id}"
