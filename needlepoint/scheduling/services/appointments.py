"""Writes for one appointment: book, cancel, reschedule, check in, mark no-show or completed,
and record a visit that already happened."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from needlepoint.accounts.models import User
from needlepoint.clinic.clock import local_date
from needlepoint.clinic.models import Location, Room, Service
from needlepoint.clinic.offerings import terms_at
from needlepoint.core.errors import Conflict, InvalidInput
from needlepoint.domain.availability import AvailabilityRules
from needlepoint.domain.time import as_utc
from needlepoint.patients.models import Patient

from ..models import Appointment, AppointmentStatus, BookedVia
from ..rules import late_cancel_window
from ..signals import appointment_closed
from .placing import (
    _audit,
    _busy_until,
    _create,
    _locked_booked,
    _place,
    _placed_fields,
    _precheck,
    _resolve_location,
    _SlotRequest,
    _utc_now,
    _write_or_conflict,
    rules_for,
    treatment_check,
)
from .plan_sessions import next_planned_session, plan_session_follow
from .spacing import spacing_check

CHARTED = (
    "This session is already charted, so it can't be moved or cancelled. Book a new "
    "appointment for another session (or contact the clinic); a chart is corrected by "
    "amending it."
)


def _refuse_if_charted(appointment: Appointment) -> None:
    """A charted session happened: moving or cancelling it would orphan its chart and the
    cartridge it used (the reverse relation keeps scheduling free of a treatments import)."""
    if Appointment.objects.filter(pk=appointment.pk, chart__isnull=False).exists():
        raise Conflict(CHARTED, code="charted")


def appointment_book(
    *,
    actor: User | None,
    patient: Patient,
    service: Service,
    start: datetime,
    location: Location | None = None,
    staff_username: str | None = None,
    notes: str = "",
    booked_via: str = BookedVia.STAFF,
    now: datetime | None = None,
    rules: AvailabilityRules | None = None,
    spacing_override_reason: str = "",
    room_slug: str | None = None,
    device_slug: str | None = None,
) -> Appointment:
    """Book ``service`` for ``patient`` at ``start`` with the first free qualified staff
    member (or ``staff_username``), room (or ``room_slug``) and pen (or ``device_slug``).
    422 for bad input (a plan session too close to another, unless a clinician overrides
    with a reason), 409 when taken."""
    asked = _SlotRequest(
        now=_utc_now(now),
        start=as_utc(start, "start"),
        location=_resolve_location(location),
        rules=rules or rules_for(actor),
        service=service,
        staff_username=staff_username,
        room_slug=room_slug or None,
        device_slug=device_slug or None,
    )
    if not service.active:
        raise InvalidInput.one("service", "is not offered")
    # Input problems first, outside the write lock; then the treatment rule.
    _precheck(asked)
    eligible = treatment_check(patient=patient, service=service)
    override = None
    if eligible.plan is not None:
        override = spacing_check(
            actor=actor,
            plan=eligible.plan,
            session=next_planned_session(eligible.plan),
            start=asked.start,
            zone=asked.location.zone,
            now=asked.now,
            override_reason=spacing_override_reason,
        )

    def write() -> Appointment:
        plan = eligible.plan
        slot = _place(asked, patient=patient)
        appointment = _create(
            actor=actor,
            patient=patient,
            service=service,
            location=asked.location,
            slot=slot,
            calendars=asked.read.calendars,
            notes=notes,
            booked_via=booked_via,
            plan_id=getattr(plan, "pk", None),
            plan_session=next_planned_session(plan) if plan is not None else None,
            spacing_override=override,
        )
        plan_session_follow(actor=actor, appointment=appointment, status="booked")
        return appointment

    return _write_or_conflict(asked, write)


def appointment_cancel(
    *,
    actor: User | None,
    appointment: Appointment,
    reason: str = "",
    now: datetime | None = None,
) -> Appointment:
    """Cancel a booked appointment before it starts; within the late-cancellation window it
    is marked late (for the clinic's policy), never refused. Frees staff, room and pen."""
    now = _utc_now(now)
    with transaction.atomic():
        current = _locked_booked(appointment)
        _refuse_if_charted(current)
        if current.start <= now:
            raise Conflict(
                "This appointment has already started; mark it as a no-show or completed.",
                code="already_started",
            )
        current.status = AppointmentStatus.CANCELLED
        current.cancelled_at = now
        current.cancel_reason = reason[:500]
        current.late_cancellation = current.start - now < late_cancel_window()
        current.save(
            update_fields=[
                "status",
                "cancelled_at",
                "cancel_reason",
                "late_cancellation",
                "updated_at",
            ]
        )
        # Receivers (the waitlist closes its entries for this appointment) take their rows
        # before the audit chain's lock, as withdrawing a waitlist entry does.
        appointment_closed.send(sender=Appointment, actor=actor, appointment=current)
        _audit(
            actor=actor,
            action="appointment.cancel",
            appointment=current,
            detail={"service": current.service.slug, "late": current.late_cancellation},
        )
        plan_session_follow(actor=actor, appointment=current, status="planned")
    return current


def appointment_reschedule(
    *,
    actor: User | None,
    appointment: Appointment,
    start: datetime,
    staff_username: str | None = None,
    now: datetime | None = None,
    rules: AvailabilityRules | None = None,
    spacing_override_reason: str = "",
    location: Location | None = None,
) -> Appointment:
    """Move a booked appointment to ``start`` (keeping its id), atomically: when the new time
    is gone the appointment stays where it was and the answer is 409 with alternatives. A
    plan session keeps the course's spacing as a booking does. ``location`` moves it to
    another location of the group too (a course follows the patient, decision 0713)."""
    asked = _SlotRequest(
        now=_utc_now(now),
        start=as_utc(start, "start"),
        rules=rules or rules_for(actor),
        service=appointment.service,
        location=location or appointment.location,
        staff_username=staff_username,
    )
    if asked.location.pk != appointment.location_id:
        _precheck(asked)
    override = None
    if appointment.plan_id is not None:
        override = spacing_check(
            actor=actor,
            plan=appointment.plan,
            session=appointment.plan_session,
            start=asked.start,
            zone=asked.location.zone,
            now=asked.now,
            override_reason=spacing_override_reason,
        )

    def write() -> Appointment:
        current = _locked_booked(appointment)
        _refuse_if_charted(current)
        if current.start <= asked.now:
            raise Conflict("This appointment has already started.", code="already_started")
        slot = _place(asked, patient=current.patient, exclude_id=current.pk)
        previous_start = current.start
        previous_location = current.location
        for name, value in _placed_fields(
            asked.service, asked.location, slot, asked.read.calendars
        ).items():
            setattr(current, name, value)
        current.spacing_override_reason = override.reason if override else ""
        current.save()
        detail: dict[str, Any] = {
            "service": asked.service.slug,
            "from": previous_start.isoformat(),
            "to": slot.start.isoformat(),
        }
        if previous_location.pk != asked.location.pk:
            detail["moved_from_location"] = previous_location.slug
        if override is not None:
            detail["spacing_override"] = override.audit_detail()
        _audit(actor=actor, action="appointment.reschedule", appointment=current, detail=detail)
        plan_session_follow(actor=actor, appointment=current, status="booked")
        return current

    return _write_or_conflict(asked, write)


def _close(
    *, actor: User | None, appointment: Appointment, status: str, action: str, now: datetime
) -> Appointment:
    with transaction.atomic():
        current = _locked_booked(appointment)
        if (
            status == AppointmentStatus.NO_SHOW
            and Appointment.objects.filter(pk=current.pk, chart__isnull=False).exists()
        ):
            raise Conflict(
                "This session is charted, so the patient came; it is completed when the "
                "chart is signed.",
                code="charted",
            )
        if now < current.start:
            raise Conflict(
                "This appointment hasn't started yet; cancel it instead.", code="not_started"
            )
        current.status = status
        current.save(update_fields=["status", "updated_at"])
        appointment_closed.send(sender=Appointment, actor=actor, appointment=current)
        _audit(
            actor=actor,
            action=action,
            appointment=current,
            detail={"service": current.service.slug},
        )
        if status == AppointmentStatus.NO_SHOW:  # the session still has to happen
            plan_session_follow(actor=actor, appointment=current, status="planned")
    return current


def appointment_mark_no_show(
    *, actor: User | None, appointment: Appointment, now: datetime | None = None
) -> Appointment:
    """The patient didn't come: only once the start time has passed."""
    return _close(
        actor=actor,
        appointment=appointment,
        status=AppointmentStatus.NO_SHOW,
        action="appointment.no_show",
        now=_utc_now(now),
    )


def appointment_complete(
    *, actor: User | None, appointment: Appointment, now: datetime | None = None
) -> Appointment:
    """The visit happened (the session chart calls this when it is signed)."""
    return _close(
        actor=actor,
        appointment=appointment,
        status=AppointmentStatus.COMPLETED,
        action="appointment.complete",
        now=_utc_now(now),
    )


def appointment_check_in(
    *, actor: User | None, appointment: Appointment, now: datetime | None = None
) -> Appointment:
    """The patient has arrived: on the appointment's day (at the location), while it is
    still booked and not already checked in. Refused before the day (the front desk would
    be checking in the wrong visit) and once it is closed (cancelled, completed, no-show)."""
    now = _utc_now(now)
    with transaction.atomic():
        current = _locked_booked(appointment)
        if current.checked_in_at is not None:
            raise Conflict("The patient is already checked in.", code="already_checked_in")
        if local_date(current.location, now) < local_date(current.location, current.start):
            raise Conflict(
                "This appointment is on a later day; check the patient in on that day.",
                code="not_today",
            )
        current.checked_in_at = now
        current.save(update_fields=["checked_in_at", "updated_at"])
        _audit(
            actor=actor,
            action="appointment.check_in",
            appointment=current,
            detail={"service": current.service.slug},
        )
    return current


def appointment_record_past(
    *,
    actor: User | None,
    patient: Patient,
    service: Service,
    location: Location,
    staff: User,
    room: Room,
    start: datetime,
    status: str = AppointmentStatus.COMPLETED,
    notes: str = "",
    now: datetime | None = None,
) -> Appointment:
    """Record a visit that already happened (demo data, an import from another system).

    Nothing is checked against the calendar: the past can't be double-booked any more, and
    only booked appointments hold resources."""
    now = _utc_now(now)
    start = as_utc(start, "start")
    end = start + timedelta(minutes=terms_at(service, location).duration_minutes)
    if end > now:
        raise InvalidInput.one("start", "must be in the past; book future visits instead")
    if status == AppointmentStatus.BOOKED:
        raise InvalidInput.one("status", "a past visit is completed, a no-show or cancelled")
    with transaction.atomic():
        appointment = Appointment.objects.create(
            patient=patient,
            service=service,
            location=location,
            staff=staff,
            room=room,
            start=start,
            end=end,
            busy_until=_busy_until(service, location, start),
            status=status,
            notes=notes,
            created_by=actor,
            booked_via=BookedVia.STAFF,
        )
        _audit(
            actor=actor,
            action="appointment.record_past",
            appointment=appointment,
            detail={"service": service.slug, "status": status},
        )
    return appointment
