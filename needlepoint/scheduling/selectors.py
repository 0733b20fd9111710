"""Reads for booking: rows become the domain engine's calendars, and appointment lookups.

``booking_calendars`` answers any date range with seven queries, whatever its length: staff,
weekly hours, dated exceptions, closures, rooms, pens, and the booked appointments that
overlap the range (on the (staff|room|device, start) indexes).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from needlepoint.accounts.models import User
from needlepoint.audit.services import Target, record, record_many
from needlepoint.clinic.clock import local_day_bounds
from needlepoint.clinic.models import (
    Closure,
    Device,
    Location,
    Room,
    ScheduleException,
    Service,
    WorkingHours,
)
from needlepoint.core.errors import NotFound
from needlepoint.domain.availability import (
    AvailabilityRules,
    DeviceCalendar,
    RoomCalendar,
    ServiceSpec,
    Slot,
    StaffCalendar,
    find_slots,
)
from needlepoint.domain.time import (
    Closure as DomainClosure,
)
from needlepoint.domain.time import (
    ExtraHours,
    Interval,
    TimeOff,
    WeeklyHours,
    utc_interval,
    working_intervals,
)
from needlepoint.patients.models import Patient
from needlepoint.patients.selectors import patient_for_staff, patient_search
from needlepoint.treatments.models import PlanSession, TreatmentPlan

from .models import Appointment, AppointmentStatus
from .rules import booking_rules
from .typed_dates import birth_dates_in


def service_spec(service: Service) -> ServiceSpec:
    return ServiceSpec(
        slug=service.slug,
        duration_minutes=service.duration_minutes,
        buffer_after_minutes=service.buffer_after_minutes,
        room_kind=service.room_kind,
        needs_device=service.needs_device,
        qualified_roles=frozenset(service.performer_roles or ()),
    )


@dataclass(frozen=True)
class BookingCalendars:
    """Everything the engine needs for one location and date range (local dates, inclusive)."""

    location: Location
    zone: ZoneInfo
    start_date: date
    end_date: date
    staff: list[StaffCalendar]
    rooms: list[RoomCalendar]
    devices: list[DeviceCalendar]
    users: dict[str, User]
    room_rows: dict[str, Room]
    device_rows: dict[str, Device]

    def slots(
        self,
        spec: ServiceSpec,
        *,
        now: datetime,
        rules: AvailabilityRules | None = None,
        staff_filter: Sequence[str] | None = None,
        every_staff: bool = False,
    ) -> list[Slot]:
        return find_slots(
            spec,
            self.staff,
            self.rooms,
            self.devices,
            self.zone,
            self.start_date,
            self.end_date,
            now,
            rules or booking_rules(),
            staff_filter,
            every_staff=every_staff,
        )


def booking_calendars(
    *,
    location: Location,
    start_date: date,
    end_date: date,
    reach: timedelta = timedelta(0),
    exclude_appointment_ids: Iterable[int] = (),
) -> BookingCalendars:
    """Working time and busy time of every staff member with hours at ``location``, its active
    rooms and its pens, from ``start_date`` to ``end_date`` (local, inclusive).

    Busy intervals are booked appointments [start, busy_until) (buffers included) anywhere
    (a staff member busy at another location is busy), read up to ``reach`` past the range so
    a booking late on the last day sees what follows it. ``exclude_appointment_ids`` leaves
    appointments out, e.g. the one being rescheduled.
    """
    zone = location.zone
    window_start = local_day_bounds(location, start_date).start
    window_end = local_day_bounds(location, end_date).end + reach

    hours_rows = list(
        WorkingHours.objects.filter(location=location).values_list(
            "staff_id", "weekday", "start_time", "end_time"
        )
    )
    staff_ids = sorted({row[0] for row in hours_rows})
    users = {
        user.pk: user
        for user in User.objects.filter(pk__in=staff_ids, is_active=True).order_by("username")
    }
    weekly: dict[int, dict[int, list[tuple[time, time]]]] = defaultdict(lambda: defaultdict(list))
    for staff_id, weekday, start_time, end_time in hours_rows:
        weekly[staff_id][weekday].append((start_time, end_time))

    exceptions: dict[int, list[TimeOff | ExtraHours]] = defaultdict(list)
    for exc in ScheduleException.objects.filter(
        location=location, staff_id__in=users, date__gte=start_date, date__lte=end_date
    ).only("staff_id", "date", "kind", "start_time", "end_time"):
        if exc.kind == ScheduleException.Kind.EXTRA_HOURS and exc.start_time and exc.end_time:
            exceptions[exc.staff_id].append(ExtraHours(exc.date, exc.start_time, exc.end_time))
        elif exc.kind == ScheduleException.Kind.TIME_OFF:
            exceptions[exc.staff_id].append(TimeOff(exc.date, exc.start_time, exc.end_time))
    closures = [
        DomainClosure(day)
        for day in Closure.objects.filter(
            location=location, date__gte=start_date, date__lte=end_date
        ).values_list("date", flat=True)
    ]
    rooms = list(Room.objects.filter(location=location, active=True).order_by("slug"))
    devices = list(Device.objects.filter(location=location).order_by("slug"))

    busy_staff: dict[int, list[Interval]] = defaultdict(list)
    busy_room: dict[int, list[Interval]] = defaultdict(list)
    busy_device: dict[int, list[Interval]] = defaultdict(list)
    resources = Q(staff_id__in=list(users)) | Q(room_id__in=[r.pk for r in rooms])
    if devices:
        resources |= Q(device_id__in=[d.pk for d in devices])
    booked = Appointment.objects.filter(
        resources,
        status=AppointmentStatus.BOOKED,
        start__lt=window_end,
        busy_until__gt=window_start,
    )
    if excluded := list(exclude_appointment_ids):
        booked = booked.exclude(pk__in=excluded)
    rows = booked.values_list("staff_id", "room_id", "device_id", "start", "busy_until")
    for staff_id, room_id, device_id, start, until in rows:
        # One interval per row, shared by its three resources, built without re-validating
        # what the database already holds as UTC: building them was most of the cost of a
        # month's calendar. The lists stay unsorted; the engine sorts what it reads.
        interval = utc_interval(start, until)
        busy_staff[staff_id].append(interval)
        busy_room[room_id].append(interval)
        if device_id is not None:
            busy_device[device_id].append(interval)

    staff_calendars = []
    # Most staff share a pattern: expand each distinct (hours, exceptions) once.
    expanded: dict[tuple[WeeklyHours, tuple[TimeOff | ExtraHours, ...]], list[Interval]] = {}
    for user in users.values():
        hours = WeeklyHours({day: tuple(sorted(spans)) for day, spans in weekly[user.pk].items()})
        key = (hours, tuple(exceptions[user.pk]))
        if key not in expanded:
            expanded[key] = working_intervals(hours, key[1], closures, zone, start_date, end_date)
        staff_calendars.append(
            StaffCalendar(user.username, user.role, expanded[key], busy_staff[user.pk])
        )
    return BookingCalendars(
        location=location,
        zone=zone,
        start_date=start_date,
        end_date=end_date,
        staff=staff_calendars,
        rooms=[RoomCalendar(r.slug, r.kind, busy_room[r.pk]) for r in rooms],
        devices=[
            DeviceCalendar(d.slug, d.status == Device.Status.IN_SERVICE, busy_device[d.pk])
            for d in devices
        ],
        users={user.username: user for user in users.values()},
        room_rows={r.slug: r for r in rooms},
        device_rows={d.slug: d for d in devices},
    )


def busy_rows(*, location: Location, start: datetime, end: datetime) -> list[tuple[object, ...]]:
    """Only the booked intervals of a location's resources: the baseline the bench compares
    availability against (reading the busy time is the least any answer must do)."""
    return list(
        Appointment.objects.filter(
            location=location,
            status=AppointmentStatus.BOOKED,
            start__lt=end,
            busy_until__gt=start,
        ).values_list("staff_id", "room_id", "device_id", "start", "busy_until")
    )


def available_slots(
    *,
    service: Service,
    location: Location,
    start_date: date,
    end_date: date,
    now: datetime,
    staff_username: str | None = None,
    every_staff: bool = False,
) -> list[Slot]:
    spec = service_spec(service)
    calendars = booking_calendars(
        location=location, start_date=start_date, end_date=end_date, reach=spec.occupied
    )
    return calendars.slots(
        spec,
        now=now,
        staff_filter=[staff_username] if staff_username else None,
        every_staff=every_staff,
    )


# ---------------------------------------------------------------- appointments


def bookable_services(*, staff: bool, patient: bool = False) -> QuerySet[Service]:
    """What a caller may ask availability for: staff any active service; a signed-in patient
    online ones and treatments (eligibility is checked when booking); anyone else online."""
    services = Service.objects.filter(active=True)
    if staff:
        return services
    if patient:
        return services.filter(Q(online_booking=True) | Q(is_treatment=True))
    return services.filter(online_booking=True)


def appointment_for(*, actor: User, appointment_id: int, audit_action: str = "") -> Appointment:
    """One appointment the actor may see: staff any, a patient only their own; else 404."""
    query = Appointment.objects.select_related(
        "patient", "service", "location", "staff", "room", "device"
    ).filter(pk=appointment_id)
    if not actor.may("appointment.read"):
        query = query.none()
    elif not actor.is_clinic_staff:
        query = query.filter(patient__user=actor)
    appointment = query.first()
    if appointment is None:
        raise NotFound("no such appointment")
    if audit_action:
        record(
            actor=actor,
            action=audit_action,
            object_type="appointment",
            object_id=appointment.pk,
            patient_id=appointment.patient_id,
        )
    return appointment


def appointments_between(
    *,
    actor: User,
    location: Location,
    start: datetime,
    end: datetime,
    statuses: Sequence[str],
    staff: User | None = None,
) -> list[Appointment]:
    """A location's appointments overlapping [start, end) (one staff member's, if given), for
    the staff calendar; each patient shown counts as one read (one audit event per
    appointment listed)."""
    found = Appointment.objects.select_related(
        "patient", "service", "staff", "room", "device"
    ).filter(location=location, start__lt=end, end__gt=start, status__in=list(statuses))
    if staff is not None:
        found = found.filter(staff=staff)
    items = list(found.order_by("start", "id"))
    if items:
        record_many(
            actor=actor,
            action="appointment.read",
            targets=[Target("appointment", str(a.pk), str(a.patient_id)) for a in items],
            detail={"via": "calendar"},
        )
    return items


def default_location() -> Location | None:
    """The location when the clinic has exactly one; None when it has none or several."""
    found = list(Location.objects.order_by("slug")[:2])
    return found[0] if len(found) == 1 else None


def appointment_is_charted(appointment: Appointment) -> bool:
    """Whether a session chart exists for the appointment (it can no longer change)."""
    return Appointment.objects.filter(pk=appointment.pk, chart__isnull=False).exists()


# ---------------------------------------------------------------- booking for a caller


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
    items = list(
        Patient.objects.filter(date_of_birth__in=birth_dates).order_by(
            "family_name", "given_name", "id"
        )[:limit]
    )
    if items:
        record_many(
            actor=actor,
            action="patient.read",
            targets=[Target("patient", str(p.pk), str(p.pk)) for p in items],
            detail={"via": "search"},
        )
    return items


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
