from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router

from needlepoint.accounts.auth import BearerToken
from needlepoint.accounts.models import User
from needlepoint.accounts.permissions import request_user, require
from needlepoint.accounts.selectors import staff_in_field, users_by_username
from needlepoint.clinic.access import location_in_field_for
from needlepoint.clinic.offerings import offered_terms
from needlepoint.clinic.selectors import service_in_field
from needlepoint.core.errors import FieldProblem, InvalidInput, NotFound
from needlepoint.core.idempotency import idempotent
from needlepoint.patients.selectors import patient_for_actor
from needlepoint.treatments.selectors import plan_to_act_on

from . import selectors, services
from .models import BookedVia
from .schemas import (
    MAX_RANGE_DAYS,
    AppointmentIn,
    AppointmentOut,
    AvailabilityOut,
    AvailabilityQuery,
    CancelIn,
    CourseBookIn,
    CourseOut,
    RescheduleIn,
    SlotOut,
)

router = Router(tags=["scheduling"])


class _Anonymous:
    """Marks a request without credentials on an endpoint that serves the public too."""

    def __bool__(self) -> bool:
        return True


def _optional_bearer(request: HttpRequest) -> Any:
    # A token that is sent must be valid (401 otherwise); no token at all is the public.
    if request.headers.get("Authorization"):
        return BearerToken()(request)
    return _Anonymous()


def _check_range(start: date, end: date) -> None:
    if end < start:
        raise InvalidInput.one("end", "must be on or after start")
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        raise InvalidInput.one(
            "end", f"the range may be at most {MAX_RANGE_DAYS} days; ask for less at a time"
        )


def _staff_member(
    username: str | None, field: str = "staff", *, for_staff: bool = True
) -> str | None:
    """The username of the staff member asked for: by username from staff, by public id
    from anyone else (a wrong one answers the same words whatever was sent)."""
    found = staff_in_field(username, field=field, for_staff=for_staff)
    return found.username if found else None


@router.get(
    "/availability",
    response=AvailabilityOut,
    auth=_optional_bearer,
    summary="Free slots for a service (public for online services; staff for any)",
)
def availability(request: HttpRequest, query: Query[AvailabilityQuery]) -> object:
    user = request_user(request)
    is_staff = bool(user and user.is_clinic_staff)
    _check_range(query.start, query.end)
    service = selectors.bookable_service_in_field(
        query.service, staff=is_staff, patient=bool(user and not is_staff)
    )
    location = location_in_field_for(user, query.location)
    terms = offered_terms(service, location)
    staff_username = _staff_member(query.staff, for_staff=is_staff)
    now = timezone.now()
    spec = selectors.service_spec(service, location, terms=terms)
    slots = selectors.booking_calendars(
        location=location,
        start_date=query.start,
        end_date=query.end,
        reach=spec.occupied,
    ).slots(
        spec,
        now=now,
        rules=services.rules_for(user),
        staff_filter=[staff_username] if staff_username else None,
    )
    members = users_by_username(s.staff for s in slots)
    found = [
        SlotOut.of(slot, location=location, member=members[slot.staff], for_staff=is_staff)
        for slot in slots
    ]
    return {
        "timezone": location.time_zone,
        "location": location.slug,
        "service": service.slug,
        "slots": found,
    }


@router.post(
    "/appointments",
    response={201: AppointmentOut},
    summary="Book an appointment (staff; or a patient for themselves)",
)
@idempotent
def book(request: HttpRequest, body: AppointmentIn) -> tuple[int, object]:
    actor = require(
        request, "appointment.book", audit_action="appointment.book", patient_id=body.patient
    )
    patient = patient_for_actor(actor, body.patient)
    problems: list[FieldProblem] = []
    service = location = staff_username = None
    try:
        service = service_in_field(body.service)
    except InvalidInput as exc:
        problems.extend(exc.problems)
    try:
        location = location_in_field_for(actor, body.location)
        staff_username = _staff_member(body.staff, for_staff=actor.is_clinic_staff)
    except InvalidInput as exc:
        problems.extend(exc.problems)
    if problems:
        raise InvalidInput(problems)
    assert service is not None and location is not None
    appointment = services.appointment_book(
        actor=actor,
        patient=patient,
        service=service,
        start=body.start,
        location=location,
        staff_username=staff_username,
        notes=body.notes,
        booked_via=BookedVia.STAFF if actor.is_clinic_staff else BookedVia.PATIENT,
        spacing_override_reason=body.spacing_override_reason,
    )
    return 201, AppointmentOut.from_orm(appointment, context={"request": request})


@router.get(
    "/appointments/{int:appointment_id}",
    response=AppointmentOut,
    summary="One appointment (staff; or the patient's own)",
)
def get_appointment(request: HttpRequest, appointment_id: int) -> object:
    actor = request_user(request)
    if actor is None:
        raise NotFound("no such appointment")
    return selectors.appointment_for(
        actor=actor, appointment_id=appointment_id, audit_action="appointment.read"
    )


def _own_or_staff(request: HttpRequest, appointment_id: int, capability: str) -> tuple[User, Any]:
    actor = require(request, capability)
    return actor, selectors.appointment_for(actor=actor, appointment_id=appointment_id)


@router.post(
    "/appointments/{int:appointment_id}/cancel",
    response=AppointmentOut,
    summary="Cancel (staff; or the patient's own). Late cancellations are marked, not refused",
)
def cancel(request: HttpRequest, appointment_id: int, body: CancelIn) -> object:
    actor, appointment = _own_or_staff(request, appointment_id, "appointment.change")
    return services.appointment_cancel(actor=actor, appointment=appointment, reason=body.reason)


@router.post(
    "/appointments/{int:appointment_id}/reschedule",
    response=AppointmentOut,
    summary="Move to another start (atomic: 409 with alternatives keeps the old time)",
)
def reschedule(request: HttpRequest, appointment_id: int, body: RescheduleIn) -> object:
    actor, appointment = _own_or_staff(request, appointment_id, "appointment.change")
    return services.appointment_reschedule(
        actor=actor,
        appointment=appointment,
        start=body.start,
        staff_username=_staff_member(body.staff, for_staff=actor.is_clinic_staff),
        spacing_override_reason=body.spacing_override_reason,
        location=location_in_field_for(actor, body.location) if body.location else None,
    )


@router.post(
    "/appointments/{int:appointment_id}/no-show",
    response=AppointmentOut,
    summary="Mark a no-show (staff; once the start time has passed)",
)
def no_show(request: HttpRequest, appointment_id: int) -> object:
    actor, appointment = _own_or_staff(request, appointment_id, "appointment.no_show")
    return services.appointment_mark_no_show(actor=actor, appointment=appointment)


@router.post(
    "/plans/{int:plan_id}/book",
    response={201: CourseOut},
    summary="Book a treatment plan's remaining sessions at once (all or none)",
)
@idempotent
def book_course(request: HttpRequest, plan_id: int, body: CourseBookIn) -> tuple[int, object]:
    actor = require(request, "appointment.book_course", audit_action="appointment.book")
    plan = plan_to_act_on(plan_id)
    service = service_in_field(body.service)
    booking = services.course_book(
        actor=actor,
        plan=plan,
        service=service,
        location=location_in_field_for(actor, body.location),
        staff_username=_staff_member(body.staff),
        weekdays=body.weekdays,
        earliest=body.earliest,
    )
    course = {"series": booking.series.pk, "plan": plan.pk, "appointments": booking.appointments}
    return 201, CourseOut.model_validate(course, context={"request": request})
