"""Reads for booking: rows become the domain engine's calendars, and appointment lookups.

``booking_calendars`` answers any date range with seven queries, whatever its length: staff,
weekly hours, dated exceptions, closures, rooms, pens, and the booked appointments that
overlap the range (on the (staff|room|device, start) indexes).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet

from needlepoint.accounts.models import User
from needlepoint.audit.services import Target, record, record_many
from needlepoint.clinic.access import require_at, within_reach
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
from needlepoint.clinic.offerings import Terms, is_offered, terms_at
from needlepoint.clinic.selectors import only_location
from needlepoint.core.errors import InvalidInput, NotFound
from needlepoint.domain.availability import (
    MAX_OCCUPIED,
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

from .models import Appointment, AppointmentStatus
from .rules import booking_rules


def overlapping(start: datetime, end: datetime) -> Q:
    """Appointments whose busy time [start, busy_until) overlaps [start, end): bounded below
    on the indexed start column too, since none is busy longer than MAX_OCCUPIED, so a read
    scans the window, not every older appointment (docs/decisions/0690)."""
    return Q(start__gte=start - MAX_OCCUPIED, start__lt=end, busy_until__gt=start)


def service_spec(
    service: Service, location: Location | None, *, terms: Terms | None = None
) -> ServiceSpec:
    """The service as the engine sees it at ``location``: its duration there (decision
    0710; ``terms`` when already read); None: its own duration (no location in question)."""
    terms = terms or terms_at(service, location)
    return ServiceSpec(
        slug=service.slug,
        duration_minutes=terms.duration_minutes,
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

    busy_staff, busy_room, busy_device = _busy_by_resource(
        location_id=location.pk,
        staff_ids=list(users),
        room_ids=[r.pk for r in rooms],
        device_ids=[d.pk for d in devices],
        window_start=window_start,
        window_end=window_end,
        exclude_appointment_ids=exclude_appointment_ids,
    )
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


def _busy_by_resource(
    *,
    location_id: int,
    staff_ids: list[int],
    room_ids: list[int],
    device_ids: list[int],
    window_start: datetime,
    window_end: datetime,
    exclude_appointment_ids: Iterable[int],
) -> tuple[dict[int, list[Interval]], dict[int, list[Interval]], dict[int, list[Interval]]]:
    """Booked intervals overlapping the window, by staff, room and pen id."""
    busy_staff: dict[int, list[Interval]] = defaultdict(list)
    busy_room: dict[int, list[Interval]] = defaultdict(list)
    busy_device: dict[int, list[Interval]] = defaultdict(list)
    # The location's own rows first: SQLite tests the OR left to right, so nearly every row
    # matches on one integer instead of three IN lists (a third fewer VM steps per read); the
    # lists then add what the location's staff are booked for elsewhere. Rows at the location
    # whose resources are none of these land in buckets nobody reads.
    resources = Q(location_id=location_id) | Q(staff_id__in=staff_ids) | Q(room_id__in=room_ids)
    if device_ids:
        resources |= Q(device_id__in=device_ids)
    booked = Appointment.objects.filter(
        resources,
        overlapping(window_start, window_end),
        status=AppointmentStatus.BOOKED,
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
    return busy_staff, busy_room, busy_device


def booking_calendars_rebusied(
    calendars: BookingCalendars, *, reach: timedelta, exclude_appointment_ids: Iterable[int] = ()
) -> BookingCalendars:
    """``calendars`` with only the busy time read again (one query, not seven): what a
    booking re-checks inside its write lock, the staff, hours, rooms and pens having been
    read by its pre-check a moment before (docs/decisions/0692)."""
    window_start = local_day_bounds(calendars.location, calendars.start_date).start
    window_end = local_day_bounds(calendars.location, calendars.end_date).end + reach
    ids = {user.username: user.pk for user in calendars.users.values()}
    busy_staff, busy_room, busy_device = _busy_by_resource(
        location_id=calendars.location.pk,
        staff_ids=list(ids.values()),
        room_ids=[r.pk for r in calendars.room_rows.values()],
        device_ids=[d.pk for d in calendars.device_rows.values()],
        window_start=window_start,
        window_end=window_end,
        exclude_appointment_ids=exclude_appointment_ids,
    )
    rooms, devices = calendars.room_rows, calendars.device_rows
    return replace(
        calendars,
        staff=[replace(s, busy=busy_staff[ids[s.username]]) for s in calendars.staff],
        rooms=[replace(r, busy=busy_room[rooms[r.slug].pk]) for r in calendars.rooms],
        devices=[replace(d, busy=busy_device[devices[d.slug].pk]) for d in calendars.devices],
    )


def busy_rows(*, location: Location, start: datetime, end: datetime) -> list[tuple[object, ...]]:
    """Only the booked intervals of a location's resources: the baseline the bench compares
    availability against (reading the busy time is the least any answer must do)."""
    return list(
        Appointment.objects.filter(
            overlapping(start, end), location=location, status=AppointmentStatus.BOOKED
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
    if not is_offered(service, location):
        return []
    spec = service_spec(service, location)
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


def bookable_service_in_field(slug: str, *, staff: bool, patient: bool = False) -> Service:
    """The service a caller asks availability for (InvalidInput on ``service`` otherwise)."""
    service = bookable_services(staff=staff, patient=patient).filter(slug=slug).first()
    if service is None:
        hint = "" if staff else " (or is not booked online: call the clinic)"
        raise InvalidInput.one("service", f"there is no bookable service {slug!r}{hint}")
    return service


def appointment_for(*, actor: User, appointment_id: int, audit_action: str = "") -> Appointment:
    """One appointment the actor may see: staff any at their locations (decision 0700), a
    patient only their own; else 404."""
    query = Appointment.objects.select_related(
        "patient", "service", "location", "staff", "room", "device"
    ).filter(pk=appointment_id)
    if not actor.may("appointment.read"):
        query = query.none()
    elif not actor.is_clinic_staff:
        query = query.filter(patient__user=actor)
    else:
        query = within_reach(query, actor)
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
    appointment listed). A location out of the actor's reach is NotFound (decision 0700)."""
    require_at(actor, location, "location")
    found = Appointment.objects.select_related(
        "patient", "service", "staff", "room", "device"
    ).filter(
        location=location,
        start__gte=start - MAX_OCCUPIED,  # the index bound; see ``overlapping``
        start__lt=end,
        end__gt=start,
        status__in=list(statuses),
    )
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


# The location a booking means when none is named: the clinic's only one (clinic/selectors.py
# says which rule applies where). Kept under this name for the pages that import it.
default_location = only_location


def appointment_is_charted(appointment: Appointment) -> bool:
    """Whether a session chart exists for the appointment (it can no longer change)."""
    return Appointment.objects.filter(pk=appointment.pk, chart__isnull=False).exists()


def patient_appointment_in_field(
    patient: Patient, appointment_id: int | None, *, field: str = "appointment"
) -> Appointment | None:
    """The patient's appointment a request field names (None when blank; InvalidInput on the
    field when the patient has no such appointment)."""
    if not appointment_id:
        return None
    found = Appointment.objects.filter(pk=appointment_id, patient=patient).first()
    if found is None:
        raise InvalidInput.one(field, "there is no such appointment of this patient")
    return found
