"""Reads for booking on a caller's behalf: who and what can be chosen, the caller found by
what the front desk types, the plans with sessions left to book, and what a cancellation
sends. Split from selectors.py, which holds the availability engine's reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q

from needlepoint.accounts.models import User
from needlepoint.audit.services import Target, record_many
from needlepoint.clinic.models import Device, Location, Room
from needlepoint.core.errors import NotFound
from needlepoint.patients.models import Patient
from needlepoint.patients.selectors import patient_for_staff, patient_search, patients_born_on
from needlepoint.treatments.models import PlanSession, TreatmentPlan

from .models import Appointment, AppointmentStatus
from .typed_dates import birth_dates_in


@dataclass(frozen=True)
class BookingResources:
    """Who and what can be chosen at a location: staff with hours there, rooms, pens."""

    staff: list[User]
    rooms: list[Room]
    devices: list[Device]


def booking_resources(*, location: Location) -> BookingResources:
    staff = list(
        User.objects.filter(working_hours__location=location, is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
    rooms = list(Room.objects.filter(location=location, active=True).order_by("name"))
    devices = list(Device.objects.filter(location=location).order_by("serial_number"))
    return BookingResources(staff=staff, rooms=rooms, devices=devices)


def caller_search(*, actor: User, q: str, limit: int = 10) -> list[Patient]:
    """Patients matching a name, phone, e-mail or date of birth typed by the front desk;
    each one shown counts as one read (as the patient search does)."""
    birth_dates = birth_dates_in(q)
    if not birth_dates:
        return patient_search(actor=actor, q=q, limit=limit).items
    return patients_born_on(actor=actor, birth_dates=birth_dates, limit=limit)


def caller_chosen(*, actor: User, patient_id: int | None) -> Patient | None:
    """The patient the booking is for (an audited read); None when there is no such one."""
    if not patient_id:
        return None
    try:
        return patient_for_staff(actor=actor, patient_id=patient_id)
    except NotFound:
        return None


def plans_with_sessions_to_book(*, actor: User, patient: Patient) -> list[Any]:
    """The patient's active plans that still have sessions to book, each with
    ``to_book`` (how many); one audited read per plan shown."""
    plans = list(
        TreatmentPlan.objects.filter(patient=patient, status=TreatmentPlan.Status.ACTIVE)
        .annotate(
            to_book=Count(
                "plan_sessions", filter=Q(plan_sessions__status=PlanSession.Status.PLANNED)
            )
        )
        .filter(to_book__gt=0)
        .order_by("-created_at", "-pk")
    )
    if plans:
        record_many(
            actor=actor,
            action="plan.read",
            targets=[Target("treatment_plan", str(p.pk), str(patient.pk)) for p in plans],
            detail={"via": "booking"},
        )
    return plans


def course_appointments(*, plan: TreatmentPlan) -> list[Appointment]:
    """The plan's booked sessions, in order (the course page after booking)."""
    return list(
        Appointment.objects.select_related("staff", "room", "device", "location", "service")
        .filter(plan=plan, status=AppointmentStatus.BOOKED, plan_session__isnull=False)
        .order_by("start", "id")
    )


def appointment_messages(*, appointment: Appointment) -> list[Any]:
    """The patient messages about this appointment in the outbox (sent or still to go),
    read through the relation the notifications app keeps to appointments (it sits above
    scheduling, so its rows are read here without importing it)."""
    return list(appointment.outbox_messages.order_by("due_at", "id"))  # type: ignore[attr-defined]


def cancellation_channels(*, patient: Patient) -> list[tuple[str, str]]:
    """Where the cancellation notice goes, as the notifications app decides it: e-mail when
    the patient has an address, a text when they have a phone and texts are on."""
    found = []
    if patient.email:
        found.append(("email", patient.email))
    if patient.phone and settings.NEEDLEPOINT_SMS_ENABLED:
        found.append(("sms", patient.phone))
    return found
