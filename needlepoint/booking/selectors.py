"""Public online booking (reads): the consultation service and location a booking is for,
the screening a booking reference names, the appointment behind a manage link (its read is
audited here), and whether it may still be changed online."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

from needlepoint.audit.services import record
from needlepoint.clinic.location_face import LocationFace, location_faces
from needlepoint.clinic.models import Location, Service
from needlepoint.clinic.offerings import locations_offering
from needlepoint.clinic.selectors import location_in_field
from needlepoint.core.errors import InvalidInput, NotFound
from needlepoint.notifications.tokens import link_opens, manage_claim
from needlepoint.scheduling.models import Appointment, AppointmentStatus
from needlepoint.scheduling.selectors import appointment_is_charted, available_slots
from needlepoint.screening.booking_reference import screening_id_for
from needlepoint.screening.models import Screening

CONSULTATION = "consultation"


def consultation_service() -> Service:
    service = Service.objects.filter(slug=CONSULTATION, active=True, online_booking=True).first()
    if service is None:
        raise InvalidInput.one("service", "consultations are not booked online here: please call")
    return service


def resolve_location(slug: str) -> Location:
    """The location a booking form names; blank: the clinic's only one (clinic/selectors.py)."""
    return location_in_field(slug, missing="choose a location")


def booking_locations(service: Service) -> list[LocationFace]:
    """The locations where ``service`` may be booked, as patients meet them, by name."""
    return location_faces(locations_offering(service))


def screening_for(reference: str) -> Screening | None:
    """The stored screening a booking reference names (None: forged, altered, too old)."""
    screening_id = screening_id_for(reference)
    if screening_id is None:
        return None
    return Screening.objects.filter(pk=screening_id).first()


def appointment_for_token(token: str, *, audit: bool = True) -> Appointment:
    claim = manage_claim(token)
    appointment = (
        Appointment.objects.select_related("patient", "service", "location", "staff")
        .filter(pk=claim.record_id)
        .first()
        if claim
        else None
    )
    if claim is None or appointment is None or not link_opens(claim, appointment):
        raise NotFound("This link is not valid or has expired. Please call the clinic.")
    if audit:
        record(
            actor=None,
            action="appointment.read",
            object_type="appointment",
            object_id=appointment.pk,
            patient_id=appointment.patient_id,
            detail={"via": "manage_link"},
        )
    return appointment


def free_starts(
    *, service: Service, location: Location, day: date, exclude_start: datetime | None = None
) -> list[datetime]:
    """Distinct free starts on a local day, as a patient may book them."""
    slots = available_slots(
        service=service, location=location, start_date=day, end_date=day, now=timezone.now()
    )
    starts = sorted({slot.start for slot in slots})
    return [s for s in starts if s != exclude_start]


def is_manageable(appointment: Appointment) -> bool:
    return (
        appointment.status == AppointmentStatus.BOOKED
        and appointment.start > timezone.now()
        and not appointment_is_charted(appointment)
    )
