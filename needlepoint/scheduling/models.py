"""Appointments: who, what, where, with which pen, and when (UTC), plus courses booked together.

Double booking is impossible at the database level on PostgreSQL: one exclusion constraint per
bookable resource (staff member, room, pen) over [start, busy_until) of booked appointments,
buffer included. Cancelled, completed and no-show appointments hold nothing.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.fields import RangeOperators
from django.db import models
from django.db.models import F, Q

from needlepoint.clinic.models import Device, Location, Room, Service
from needlepoint.patients.models import Patient

from .constraints import PostgresExclusionConstraint, booked_range


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    CANCELLED = "cancelled", "Cancelled"
    COMPLETED = "completed", "Completed"
    NO_SHOW = "no_show", "No-show"


class BookedVia(models.TextChoices):
    STAFF = "staff", "Staff (calendar or API)"
    PATIENT = "patient", "Patient (own account)"
    ONLINE = "online", "Online booking"
    COURSE = "course", "Course booking"


class AppointmentSeries(models.Model):
    """Appointments booked together as one course (all or none); the plan it serves, if any."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="series")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="series")
    plan = models.ForeignKey(
        "treatments.TreatmentPlan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointment_series",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "appointment series"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Series #{self.pk}"


def new_link_secret() -> str:
    """A random secret that signed links carry, so a link opens only the record it was sent
    for, never a later one that reuses the id (docs/decisions/0220-link-secrets.md)."""
    return secrets.token_urlsafe(16)


class Appointment(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="appointments")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="appointments")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="appointments")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments"
    )
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="appointments")
    device = models.ForeignKey(
        Device, null=True, blank=True, on_delete=models.PROTECT, related_name="appointments"
    )
    # UTC instants. end = start + duration (what the patient sees); busy_until = end + the
    # buffer after (what staff, room and pen are held for).
    start = models.DateTimeField()
    end = models.DateTimeField()
    busy_until = models.DateTimeField()
    status = models.CharField(
        max_length=16, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    late_cancellation = models.BooleanField(default=False)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=500, blank=True)
    # When the front desk checked the patient in (arrived, waiting); docs/decisions/0403.
    checked_in_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    booked_via = models.CharField(max_length=16, choices=BookedVia.choices)
    series = models.ForeignKey(
        AppointmentSeries,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointments",
    )
    # The treatment plan this session belongs to and its 1-based index in the course.
    plan = models.ForeignKey(
        "treatments.TreatmentPlan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    plan_session = models.PositiveSmallIntegerField(null=True, blank=True)
    link_secret = models.CharField(max_length=32, default=new_link_secret, editable=False)
    # Why a clinician placed this session closer to another of its course than the plan's
    # minimum gap (empty when the spacing holds); docs/decisions/0210.
    spacing_override_reason = models.CharField(max_length=500, blank=True)
    # The self-screening a consultation was booked from (carried by its result's link).
    screening = models.ForeignKey(
        "screening.Screening",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointments",
    )

    class Meta:
        ordering = ["start", "id"]
        indexes = [
            models.Index(fields=["status", "start"], name="appt_status_start"),
            models.Index(fields=["staff", "start"], name="appt_staff_start"),
            models.Index(fields=["room", "start"], name="appt_room_start"),
            models.Index(fields=["device", "start"], name="appt_device_start"),
            models.Index(fields=["patient", "start"], name="appt_patient_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="appt_end_after_start"),
            models.CheckConstraint(
                condition=Q(busy_until__gte=F("end")), name="appt_busy_covers_end"
            ),
            models.CheckConstraint(
                condition=Q(plan_session__isnull=True) | Q(plan_session__gte=1),
                name="appt_plan_session_positive",
            ),
            PostgresExclusionConstraint(
                name="appt_no_double_booked_staff",
                expressions=[(booked_range(), RangeOperators.OVERLAPS), ("staff", "=")],
                condition=Q(status="booked"),
            ),
            PostgresExclusionConstraint(
                name="appt_no_double_booked_room",
                expressions=[(booked_range(), RangeOperators.OVERLAPS), ("room", "=")],
                condition=Q(status="booked"),
            ),
            PostgresExclusionConstraint(
                name="appt_no_double_booked_device",
                expressions=[(booked_range(), RangeOperators.OVERLAPS), ("device", "=")],
                condition=Q(status="booked", device__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Appointment #{self.pk}"  # no names: this reaches logs and admin messages

    @property
    def buffer(self) -> timedelta:
        return self.busy_until - self.end

    @property
    def is_booked(self) -> bool:
        return self.status == AppointmentStatus.BOOKED
