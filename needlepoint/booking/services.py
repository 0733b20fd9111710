"""Public online booking of a consultation by someone the clinic may not know yet.

The booking itself is the booking core's ``appointment_book`` (booked_via=online); this module
adds what a stranger on the internet needs: checking every field at once, rate limits per
client IP and per email, matching or creating the patient record, and the confirmation email
with its manage link and .ics (docs/decisions/0134-public-booking-patient-matching.md,
0135-public-booking-rate-limits.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from needlepoint.clinic.clock import clinic_today
from needlepoint.core.errors import FieldProblem, Problems
from needlepoint.domain.errors import DomainError
from needlepoint.notifications.services import (
    cancellation_enqueue,
    confirmation_enqueue,
    deliver_now,
)
from needlepoint.notifications.tokens import manage_token
from needlepoint.patients.models import Patient
from needlepoint.patients.services import patient_create
from needlepoint.patients.validation import PHONE
from needlepoint.scheduling import services
from needlepoint.scheduling.models import Appointment, BookedVia
from needlepoint.screening.services import screening_link_patient

from .selectors import appointment_for_token, consultation_service, resolve_location, screening_for

SCREENING_OK = frozenset({"likely_candidate", "needs_review"})


class RateLimited(DomainError):
    """429: too many bookings from this address or for this email; try later."""

    code = "rate_limited"


@dataclass(frozen=True)
class BookingRequest:
    given_name: str
    family_name: str
    email: str
    phone: str
    date_of_birth: date | None
    start: datetime | None
    screening: str = ""
    location: str = ""


def split_name(name: str) -> tuple[str, str]:
    """'Ada Lovelace King' -> ('Ada Lovelace', 'King'); one word -> ('', word)."""
    parts = name.split()
    if len(parts) < 2:
        return "", " ".join(parts)
    return " ".join(parts[:-1]), parts[-1]


def check_request(data: BookingRequest, *, today: date, known: Sequence[FieldProblem] = ()) -> None:
    """Every problem with what the person typed, at once (422), after ``known`` ones (values
    that could not even be parsed)."""
    problems = Problems(list(known))
    seen = {p.field for p in known}
    if not data.given_name.strip():
        problems.add("given_name", "is required (your first name)")
    if not data.family_name.strip():
        problems.add("family_name", "is required (your last name)")
    for field_name, value in (("given_name", data.given_name), ("family_name", data.family_name)):
        if len(value) > 100:
            problems.add(field_name, "must be at most 100 characters")
    if not data.email.strip():
        problems.add("email", "is required: the confirmation is sent there")
    else:
        try:
            validate_email(data.email.strip())
        except ValidationError:
            problems.add("email", "is not a valid email address")
    if not data.phone.strip():
        problems.add("phone", "is required, in case we need to reach you on the day")
    elif not PHONE.match(data.phone.strip()):
        problems.add("phone", "must be a phone number: digits, spaces, + ( ) - . / (7 to 20)")
    if "date_of_birth" in seen:
        pass
    elif data.date_of_birth is None:
        problems.add("date_of_birth", "is required")
    elif data.date_of_birth > today:
        problems.add("date_of_birth", "cannot be in the future")
    elif data.date_of_birth.year < 1900:
        problems.add("date_of_birth", "must be after 1900")
    if data.start is None and "start" not in seen:
        problems.add("start", "choose a day, then one of its times")
    if data.screening:
        _check_screening(data.screening, problems)
    problems.raise_if_any()


def _check_screening(value: str, problems: Problems) -> None:
    screening = screening_for(value)
    if screening is None:
        problems.add(
            "screening",
            "is not a screening reference from a screening result: book without it, or take "
            "the screening again",
        )
    elif screening.verdict not in SCREENING_OK:
        problems.add(
            "screening",
            "this screening suggests micro-needling is not for you now: please call the clinic",
        )


def _hit(key: str, limit: int, window: timedelta) -> bool:
    """Count one attempt in a fixed window; True when over the limit."""
    bucket = int(timezone.now().timestamp() // window.total_seconds())
    full = f"np:booking:{key}:{bucket}"
    cache.add(full, 0, timeout=int(window.total_seconds()) + 60)
    try:
        count = cache.incr(full)
    except ValueError:  # expired between add and incr
        cache.set(full, 1, timeout=int(window.total_seconds()) + 60)
        count = 1
    return count > limit


def rate_limit(*, ip: str, email: str) -> None:
    email_key = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    if _hit(
        f"ip:{ip or 'unknown'}", settings.NEEDLEPOINT_BOOKING_LIMIT_PER_IP_HOUR, timedelta(hours=1)
    ):
        raise RateLimited(
            "Too many online bookings from your network in the last hour. Please try again "
            "later or call the clinic.",
        )
    if _hit(
        f"email:{email_key}", settings.NEEDLEPOINT_BOOKING_LIMIT_PER_EMAIL_DAY, timedelta(days=1)
    ):
        raise RateLimited(
            "Too many online bookings for this email address today. Please call the clinic "
            "if you need to change a booking.",
        )


def match_or_create_patient(data: BookingRequest) -> tuple[Patient, bool]:
    """The existing record only on an exact match of email, both names and date of birth
    (case and surrounding spaces aside); otherwise a new record (staff merge duplicates).
    Anything looser would let a stranger attach a booking to someone else's record."""
    assert data.date_of_birth is not None
    email = data.email.strip().lower()
    found = (
        Patient.objects.filter(
            email__iexact=email,
            given_name__iexact=data.given_name.strip(),
            family_name__iexact=data.family_name.strip(),
            date_of_birth=data.date_of_birth,
        )
        .order_by("id")
        .first()
    )
    if found is not None:
        return found, False
    created = patient_create(
        actor=None,
        given_name=data.given_name,
        family_name=data.family_name,
        date_of_birth=data.date_of_birth,
        email=email,
        phone=data.phone.strip(),
        allow_duplicate=True,
    )
    return created, True


@dataclass(frozen=True)
class OnlineBooking:
    appointment: Appointment
    patient_created: bool
    manage_token: str


def consultation_book_online(
    *, data: BookingRequest, ip: str, known: Sequence[FieldProblem] = ()
) -> OnlineBooking:
    """Check, rate-limit, then in one transaction: patient, appointment, confirmation queued.
    Any refusal (422, 409, 429) stores nothing."""
    check_request(data, today=clinic_today(), known=known)
    service = consultation_service()
    location = resolve_location(data.location)
    rate_limit(ip=ip, email=data.email)
    assert data.start is not None
    with transaction.atomic():
        patient, created = match_or_create_patient(data)
        appointment = services.appointment_book(
            actor=None,
            patient=patient,
            service=service,
            start=data.start,
            location=location,
            notes="Booked online after the self-screening." if data.screening else "Booked online.",
            booked_via=BookedVia.ONLINE,
        )
        screening = screening_for(data.screening) if data.screening else None
        if screening is not None:
            Appointment.objects.filter(pk=appointment.pk).update(screening=screening)
            screening_link_patient(screening=screening, patient=patient)
        appointment = Appointment.objects.select_related("patient", "service", "location").get(
            pk=appointment.pk
        )
        keys = confirmation_enqueue(appointment)
    deliver_now(keys)
    return OnlineBooking(appointment, created, manage_token(appointment))


# ---------------------------------------------------------------- the manage link


def manage_cancel(*, token: str, reason: str = "") -> Appointment:
    appointment = appointment_for_token(token, audit=False)
    cancelled = services.appointment_cancel(
        actor=None, appointment=appointment, reason=reason or "Cancelled by the patient online"
    )
    cancelled = Appointment.objects.select_related("patient", "service", "location").get(
        pk=cancelled.pk
    )
    deliver_now(cancellation_enqueue(cancelled))
    return cancelled


def manage_reschedule(*, token: str, start: datetime) -> Appointment:
    appointment = appointment_for_token(token, audit=False)
    moved = services.appointment_reschedule(actor=None, appointment=appointment, start=start)
    moved = Appointment.objects.select_related("patient", "service", "location").get(pk=moved.pk)
    deliver_now(confirmation_enqueue(moved))
    return moved
