"""Demo appointments: a past consultation and an upcoming visit for each demo patient.

Idempotent: a patient who already has a demo appointment (notes starting with the marker)
is left alone. Treatment sessions are booked only for patients the treatments demo made
eligible (a candidate determination and an active plan); everyone else gets a consultation
or a follow-up.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from needlepoint.accounts.models import User
from needlepoint.clinic.clock import clinic_today
from needlepoint.clinic.models import Location, Room, Service
from needlepoint.core.errors import Conflict, InvalidInput
from needlepoint.patients.models import Patient
from needlepoint.scheduling import selectors, services
from needlepoint.scheduling.models import Appointment, BookedVia
from needlepoint.treatments.selectors import treatment_eligibility

MARKER = "[demo]"


def _eligible(patient: Patient) -> bool:
    return bool(treatment_eligibility(patient).allowed)


def ensure_bookings(location: Location) -> int:
    """Book the demo's appointments; returns how many were added."""
    desk = User.objects.filter(role="front_desk", is_active=True).order_by("username").first()
    clinician = (
        User.objects.filter(working_hours__location=location, is_active=True)
        .distinct()
        .order_by("username")
        .first()
    )
    consultation = Service.objects.filter(slug="consultation").first()
    follow_up = Service.objects.filter(slug="follow-up").first()
    treatment = Service.objects.filter(slug="microneedling-face").first()
    room = Room.objects.filter(location=location, kind="consultation").order_by("slug").first()
    if not (desk and clinician and consultation and follow_up and treatment and room):
        return 0
    zone = location.zone
    now = timezone.now()
    today = clinic_today(location, now=now)
    added = 0
    patients = Patient.objects.order_by("pk")
    for offset, patient in enumerate(patients):
        if Appointment.objects.filter(patient=patient, notes__startswith=MARKER).exists():
            continue
        # A consultation some weeks ago, on a weekday at a varying morning time.
        past_day = today - timedelta(days=21 + offset)
        while past_day.weekday() >= 5:
            past_day -= timedelta(days=1)
        services.appointment_record_past(
            actor=desk,
            patient=patient,
            service=consultation,
            location=location,
            staff=clinician,
            room=room,
            start=datetime.combine(past_day, time(9 + offset % 7, 0), zone),
            notes=f"{MARKER} first consultation",
            now=now,
        )
        added += 1
        upcoming = treatment if _eligible(patient) else (follow_up if offset % 2 else consultation)
        slots = selectors.available_slots(
            service=upcoming,
            location=location,
            start_date=today + timedelta(days=2 + offset % 5),
            end_date=today + timedelta(days=16),
            now=now,
        )
        for slot in slots[offset * 3 % max(1, len(slots)) :] + slots:
            try:
                services.appointment_book(
                    actor=desk,
                    patient=patient,
                    service=upcoming,
                    start=slot.start,
                    location=location,
                    notes=f"{MARKER} upcoming",
                    booked_via=BookedVia.STAFF,
                    now=now,
                )
            except (Conflict, InvalidInput):
                continue
            added += 1
            break
    return added
