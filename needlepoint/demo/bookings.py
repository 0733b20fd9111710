"""Demo appointments: a past consultation and an upcoming visit for each demo patient.

Idempotent: a patient who already has a demo appointment (notes starting with the marker)
is left alone. Treatment sessions are booked only for patients the treatments demo made
eligible (a candidate determination and an active plan); everyone else gets a consultation
or a follow-up.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

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


def _book_first_free(
    desk: User,
    patient: Patient,
    service: Service,
    location: Location,
    days: tuple[date, date],
    skip: int,
    notes: str,
    now: datetime,
    booked_at: datetime | None = None,
) -> bool:
    """Book the first free slot from the ``skip``-th on (wrapping round); False if none.
    ``booked_at`` (before ``now``): booked back then, so a slot later today is free of the
    booking notice, as for a visit booked days ago; only slots after ``now`` are taken."""
    when = booked_at or now
    slots = selectors.available_slots(
        service=service, location=location, start_date=days[0], end_date=days[1], now=when
    )
    slots = [slot for slot in slots if slot.start > now]
    for slot in slots[skip % max(1, len(slots)) :] + slots:
        try:
            services.appointment_book(
                actor=desk,
                patient=patient,
                service=service,
                start=slot.start,
                location=location,
                notes=notes,
                booked_via=BookedVia.STAFF,
                now=when,
            )
        except (Conflict, InvalidInput):
            continue
        return True
    return False


def ensure_bookings(
    location: Location,
    *,
    patients: list[Patient] | None = None,
    marker: str = MARKER,
    desk_username: str | None = None,
    first_day: int = 2,
) -> int:
    """Book the demo's appointments at ``location`` for ``patients`` (every patient when
    None), the first upcoming one ``first_day`` days from today; returns how many were added."""
    desks = User.objects.filter(role="front_desk", is_active=True).order_by("username")
    desk = (desks.filter(username=desk_username) if desk_username else desks).first()
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
    if patients is None:
        patients = list(Patient.objects.order_by("pk"))
    for offset, patient in enumerate(patients):
        if Appointment.objects.filter(patient=patient, notes__startswith=marker).exists():
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
            notes=f"{marker} first consultation",
            now=now,
        )
        added += 1
        upcoming = treatment if _eligible(patient) else (follow_up if offset % 2 else consultation)
        days = (today + timedelta(days=first_day + offset % 5), today + timedelta(days=16))
        # A visit today (first_day 0) was booked two days ago, within the booking notice.
        booked_at = now - timedelta(days=2) if first_day + offset % 5 == 0 else None
        notes = f"{marker} upcoming"
        if _book_first_free(
            desk, patient, upcoming, location, days, offset * 3, notes, now, booked_at
        ):
            added += 1
    return added


def ensure_visit_elsewhere(location: Location, patient: Patient | None, marker: str) -> int:
    """A follow-up visit for ``patient`` at ``location`` (a patient seen at two locations of
    the group) in the coming two weeks; 1 when booked, 0 when it already was or can't be."""
    desk = User.objects.filter(role="front_desk", is_active=True).order_by("username").first()
    follow_up = Service.objects.filter(slug="follow-up").first()
    if patient is None or desk is None or follow_up is None:
        return 0
    if Appointment.objects.filter(patient=patient, notes__startswith=marker).exists():
        return 0
    now = timezone.now()
    today = clinic_today(location, now=now)
    days = (today + timedelta(days=3), today + timedelta(days=16))
    notes = f"{marker} progress check at this location"
    return int(_book_first_free(desk, patient, follow_up, location, days, 2, notes, now))
