"""Placing an appointment in the calendar: the steps every booking write shares.

Check the requested slot (input problems are 422), re-check it inside the write transaction
against freshly read busy time, insert with the exclusion-constraint race retried, audit in
the same transaction, and turn a lost slot into a 409 with alternatives (docs/decisions/0120,
0121). ``appointments`` and ``courses`` compose these.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from needlepoint.accounts.models import User
from needlepoint.audit.services import chain_take, location_chain, record
from needlepoint.clinic.clock import local_date
from needlepoint.clinic.models import Device, Location, Room, Service
from needlepoint.clinic.offerings import refuse_unless_offered
from needlepoint.core.errors import Conflict, FieldProblem, InvalidInput
from needlepoint.domain.availability import (
    MAX_OCCUPIED,
    AvailabilityRules,
    Slot,
    SlotCheck,
    SlotProblem,
    check_slot,
    nearest_alternatives,
)
from needlepoint.domain.time import as_utc
from needlepoint.patients.models import Patient
from needlepoint.treatments.selectors import treatment_eligibility

from .. import selectors
from ..models import Appointment, AppointmentSeries, AppointmentStatus
from ..rules import booking_rules
from .races import Lost, is_deadlock, is_exclusion_violation

if TYPE_CHECKING:  # spacing builds on courses, which builds on this module
    from .spacing import SpacingOverride

T = TypeVar("T")

# Problems with the request itself (422) versus with the state of the calendar (409).
INPUT_PROBLEMS = frozenset(
    {
        SlotProblem.OFF_GRID,
        SlotProblem.IN_PAST,
        SlotProblem.TOO_SOON,
        SlotProblem.BEYOND_HORIZON,
        SlotProblem.NOT_QUALIFIED,
        SlotProblem.OUTSIDE_HOURS,
    }
)
ALTERNATIVES_DAYS = 7  # how far either side of a refused start to look for alternatives
# Races lost without learning anything new (the resource lost was asked for by name, or is
# already left out) are retried this often; each race lost on a resource the booking chose
# itself leaves that resource out and does not count (decision 0691).
_ATTEMPTS = 3


def rules_for(actor: User | None) -> AvailabilityRules:
    """Staff may book from now on (a walk-in this afternoon); patients need the notice."""
    rules = booking_rules()
    if actor is not None and actor.is_clinic_staff:
        return AvailabilityRules(
            grid_minutes=rules.grid_minutes, min_notice=timedelta(0), horizon=rules.horizon
        )
    return rules


def _utc_now(now: datetime | None) -> datetime:
    return as_utc(now or timezone.now(), "now")


def _only(staff_username: str | None) -> list[str] | None:
    return [staff_username] if staff_username else None


@dataclass(frozen=True)
class _SlotRequest:
    """One start asked for: the service, where, when, with whom (or anyone qualified), under
    which rules, as of when."""

    service: Service
    location: Location
    start: datetime
    staff_username: str | None
    rules: AvailabilityRules
    now: datetime
    # A room or pen asked for by name (the staff booking page); None: the first free one.
    room_slug: str | None = None
    device_slug: str | None = None

    # Which staff, rooms and pens concurrent bookings took from this one (decision 0691).
    lost: Lost = field(default_factory=Lost, compare=False)
    # The calendars the last check read: the write re-reads only their busy time, and takes
    # the slot's staff, room and pen rows from them (decision 0692).
    read: _Read = field(default_factory=lambda: _Read(), compare=False)

    def at(self, start: datetime, staff_username: str | None) -> _SlotRequest:
        return dataclasses.replace(
            self, start=start, staff_username=staff_username, lost=Lost(), read=_Read()
        )


@dataclass
class _Read:
    calendars: selectors.BookingCalendars | None = None


class _SlotGone(Exception):
    """Raised inside a booking transaction to roll it back; answered as a 409 outside it."""

    def __init__(self, code: str, message: str, *, session: int | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.session = code, message, session


def slot_json(slot: Slot, location: Location) -> dict[str, Any]:
    zone = location.zone
    return {
        "start": slot.start.astimezone(zone).isoformat(),
        "end": slot.end.astimezone(zone).isoformat(),
        "staff": slot.staff,
        "room": slot.room,
        "device": slot.device,
    }


def _free_slots(
    *,
    service: Service,
    location: Location,
    first_day: date,
    last_day: date,
    staff_username: str | None,
    rules: AvailabilityRules,
    now: datetime,
    every_staff: bool = False,
) -> list[Slot]:
    spec = selectors.service_spec(service, location)
    return selectors.booking_calendars(
        location=location, start_date=first_day, end_date=last_day, reach=spec.occupied
    ).slots(
        spec,
        now=now,
        rules=rules,
        staff_filter=_only(staff_username),
        every_staff=every_staff,
    )


def alternatives_for(
    *,
    service: Service,
    location: Location,
    start: datetime,
    staff_username: str | None,
    rules: AvailabilityRules,
    now: datetime,
    n: int = 3,
) -> list[Slot]:
    local_day = local_date(location, start)
    slots = _free_slots(
        service=service,
        location=location,
        first_day=local_day - timedelta(days=ALTERNATIVES_DAYS),
        last_day=local_day + timedelta(days=ALTERNATIVES_DAYS),
        staff_username=staff_username,
        rules=rules,
        now=now,
    )
    return nearest_alternatives(start, slots, n)


def _check(asked: _SlotRequest, *, exclude_ids: Sequence[int] = ()) -> SlotCheck:
    spec = selectors.service_spec(asked.service, asked.location)
    day = local_date(asked.location, asked.start)
    earlier = asked.read.calendars
    if earlier is not None and not exclude_ids:
        calendars = selectors.booking_calendars_rebusied(earlier, reach=spec.occupied)
    else:
        calendars = selectors.booking_calendars(
            location=asked.location,
            start_date=day,
            end_date=day,
            reach=spec.occupied,
            exclude_appointment_ids=exclude_ids,
        )
    asked.read.calendars = calendars
    lost = asked.lost
    rooms = [
        r for r in calendars.rooms if asked.room_slug in (None, r.slug) and r.slug not in lost.rooms
    ]
    devices = [
        d
        for d in calendars.devices
        if asked.device_slug in (None, d.slug) and d.slug not in lost.devices
    ]
    return check_slot(
        spec,
        calendars.staff,
        rooms,
        devices if spec.needs_device else calendars.devices,
        calendars.zone,
        asked.start,
        asked.now,
        asked.rules,
        _only(asked.staff_username),
    )


def _refuse_bad_input(checked: SlotCheck, staff_username: str | None) -> None:
    if checked.problem in INPUT_PROBLEMS:
        field = "start"
        if checked.problem == SlotProblem.NOT_QUALIFIED:
            field = "staff" if staff_username else "service"
        raise InvalidInput([FieldProblem(field, checked.message)])


def _precheck(asked: _SlotRequest) -> None:
    """The first pass, outside the write lock: refuse what no retry could fix (422), a
    service the location does not offer first."""
    refuse_unless_offered(asked.service, asked.location)
    _refuse_bad_input(_check(asked), asked.staff_username)


def _patient_busy(patient: Patient, start: datetime, end: datetime, exclude: int | None) -> bool:
    overlapping = Appointment.objects.filter(
        patient=patient,
        status=AppointmentStatus.BOOKED,
        start__gte=start - MAX_OCCUPIED,  # the index bound (docs/decisions/0690)
        start__lt=end,
        end__gt=start,
    )
    if exclude is not None:
        overlapping = overlapping.exclude(pk=exclude)
    return overlapping.exists()


def _place(asked: _SlotRequest, *, patient: Patient, exclude_id: int | None = None) -> Slot:
    """The slot to write, re-checked against the calendar as it is now (inside the caller's
    transaction); raises _SlotGone or InvalidInput.

    The location's audit-chain lock is taken first: every booking write appends to that
    chain anyway, so taking it before the re-read means the re-check sees every earlier
    booking of the location committed, and concurrent bookings choose different rooms and
    pens instead of racing for the first free one (decision 0691)."""
    chain_take(location_chain(asked.location.pk))
    checked = _check(asked, exclude_ids=[exclude_id] if exclude_id else ())
    if checked.problem is not None:
        _refuse_bad_input(checked, asked.staff_username)
        raise _SlotGone(checked.problem.value, checked.message)
    slot = checked.slot
    assert slot is not None
    named = {"staff": asked.staff_username, "rooms": asked.room_slug, "devices": asked.device_slug}
    asked.lost.choose(slot, named=[kind for kind, name in named.items() if name])
    if _patient_busy(patient, slot.start, slot.end, exclude_id):
        raise _SlotGone("patient_busy", "the patient has another appointment at that time")
    return slot


def _with_retries(work: Callable[[], T], lost: Lost | None = None) -> T:
    """Run ``work`` in its own transaction; an exclusion violation (a concurrent booking won
    the race on PostgreSQL) is retried against the new state, then becomes a 409.

    With ``lost`` (one slot being placed), a race lost on a staff member, room or pen the
    booking chose itself leaves it out and is retried without counting: every retry removes
    a candidate, so the attempts are bounded by the location's staff, rooms and pens, and
    the re-check answers "no room free" (409 with alternatives) once none is left."""
    fruitless = 0
    while True:
        try:
            with transaction.atomic():
                return work()
        except (IntegrityError, OperationalError) as exc:
            race = (
                is_exclusion_violation(exc) if isinstance(exc, IntegrityError) else is_deadlock(exc)
            )
            if not race:
                raise
            if lost is not None and lost.note(str(exc)):
                continue
            fruitless += 1
            if fruitless == _ATTEMPTS:
                raise _SlotGone("slot_taken", "another booking took that time just now") from None


def _write_or_conflict(asked: _SlotRequest, work: Callable[[], T]) -> T:
    """``work`` under ``_with_retries``; a slot gone meanwhile is a 409 with alternatives,
    computed after the transaction so the SQLite write lock is not held for them."""
    try:
        return _with_retries(work, asked.lost)
    except _SlotGone as gone:
        alternatives = alternatives_for(
            service=asked.service,
            location=asked.location,
            start=asked.start,
            staff_username=asked.staff_username,
            rules=asked.rules,
            now=asked.now,
        )
        instead = (
            "Choose one of the nearest free times offered, or another time."
            if alternatives
            else "Choose another day."
        )
        raise Conflict(
            f"That time can't be booked: {gone.message}. {instead}",
            code=gone.code,
            extra={"alternatives": [slot_json(slot, asked.location) for slot in alternatives]},
        ) from None


def _resolve_location(location: Location | None) -> Location:
    if location is not None:
        return location
    found = selectors.default_location()
    if found is None:
        raise InvalidInput.one("location", "is required when the clinic has several locations")
    return found


@dataclass(frozen=True)
class Eligible:
    plan: Any


def treatment_check(*, patient: Patient, service: Service) -> Eligible:
    """A treatment needs a current candidate determination and an active plan (422 if not)."""
    if not service.is_treatment:
        return Eligible(plan=None)
    eligibility = treatment_eligibility(patient)
    if not eligibility.allowed:
        raise InvalidInput(
            [FieldProblem("patient", eligibility.message)],
            message=f"This patient can't book {service.name} yet: {eligibility.message}",
        )
    return Eligible(plan=eligibility.plan)


def _busy_until(service: Service, location: Location, start: datetime) -> datetime:
    return start + selectors.service_spec(service, location).occupied


def _placed_fields(
    service: Service,
    location: Location,
    slot: Slot,
    calendars: selectors.BookingCalendars | None = None,
) -> dict[str, Any]:
    """The appointment's columns that say who, where and when: the slot's rows, from the
    calendars it was found in (or read now)."""
    if calendars is not None:
        staff = calendars.users[slot.staff]
        room = calendars.room_rows[slot.room]
        device = calendars.device_rows[slot.device] if slot.device else None
    else:
        staff = User.objects.get(username=slot.staff)
        room = Room.objects.get(slug=slot.room)
        device = Device.objects.get(slug=slot.device) if slot.device else None
    return {
        "staff": staff,
        "room": room,
        "device": device,
        "start": slot.start,
        "end": slot.end,
        "busy_until": _busy_until(service, location, slot.start),
        "location": location,
    }


def _audit(
    *, actor: User | None, action: str, appointment: Appointment, detail: dict[str, Any]
) -> None:
    record(
        actor=actor,
        action=action,
        object_type="appointment",
        object_id=appointment.pk,
        patient_id=appointment.patient_id,
        detail=detail,
        chain=location_chain(appointment.location_id),
    )


def _create(
    *,
    actor: User | None,
    patient: Patient,
    service: Service,
    location: Location,
    slot: Slot,
    notes: str,
    booked_via: str,
    plan_id: int | None = None,
    plan_session: int | None = None,
    series: AppointmentSeries | None = None,
    spacing_override: SpacingOverride | None = None,
    calendars: selectors.BookingCalendars | None = None,
) -> Appointment:
    appointment = Appointment.objects.create(
        patient=patient,
        service=service,
        **_placed_fields(service, location, slot, calendars),
        notes=notes,
        created_by=actor,
        booked_via=booked_via,
        plan_id=plan_id,
        plan_session=plan_session,
        series=series,
        spacing_override_reason=spacing_override.reason if spacing_override else "",
    )
    detail: dict[str, Any] = {"service": service.slug, "via": booked_via}
    if spacing_override is not None:
        detail["spacing_override"] = spacing_override.audit_detail()
    _audit(actor=actor, action="appointment.book", appointment=appointment, detail=detail)
    return appointment


def _locked_booked(appointment: Appointment) -> Appointment:
    """The appointment's row, locked for this transaction; 409 unless it is still booked."""
    current = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("service", "location", "patient")
        .get(pk=appointment.pk)
    )
    if current.status != AppointmentStatus.BOOKED:
        raise Conflict(
            f"This appointment is {current.get_status_display().lower()}, not booked.",
            code="not_booked",
        )
    return current
