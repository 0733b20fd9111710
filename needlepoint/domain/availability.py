"""Free appointment slots: working time minus busy time, across staff, room and pen at once.

A start ``s`` is offered when, for ``occupied = duration + buffer_after``, one qualified staff
member works through all of [s, s + occupied) and is free for it, one room of the service's
kind is free for it and, if the service needs one, one in-service device is free for it.
Existing bookings arrive as busy intervals that already include their own buffers, so the
buffer after the new booking and the one after an existing booking are both respected.

The engine works on intervals, never minutes: each resource's free time becomes the set of
starts it can accept ([a, b - occupied] for each free [a, b)), those sets are intersected
with a sweep, and only the surviving local grid points become slots. The cost grows with the
number of busy intervals and slots offered, not with the length of the day in minutes.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from needlepoint.domain.errors import DomainError
from needlepoint.domain.time import (
    MINUTES_PER_DAY,
    Interval,
    as_utc,
    covers,
    day_bounds,
    fitting_starts,
    intersect,
    is_on_local_grid,
    local_grid,
    normalise,
    overlaps_any,
    subtract,
    union,
)


@dataclass(frozen=True, slots=True)
class ServiceSpec:
    slug: str
    duration_minutes: int
    buffer_after_minutes: int
    room_kind: str
    needs_device: bool
    qualified_roles: frozenset[str]

    def __post_init__(self) -> None:
        if self.duration_minutes <= 0 or self.buffer_after_minutes < 0:
            raise DomainError(
                f"service {self.slug}: duration must be positive and buffer not negative",
                code="invalid_service",
            )
        object.__setattr__(self, "qualified_roles", frozenset(self.qualified_roles))

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)

    @property
    def occupied(self) -> timedelta:
        """How long staff, room and device are taken: the treatment plus the buffer after."""
        return timedelta(minutes=self.duration_minutes + self.buffer_after_minutes)


@dataclass(frozen=True)
class StaffCalendar:
    username: str
    role: str
    working: Sequence[Interval]
    busy: Sequence[Interval] = ()


@dataclass(frozen=True)
class RoomCalendar:
    slug: str
    kind: str
    busy: Sequence[Interval] = ()


@dataclass(frozen=True)
class DeviceCalendar:
    """A pen; ``busy`` includes maintenance. Out of service means never offered."""

    slug: str
    in_service: bool
    busy: Sequence[Interval] = ()


@dataclass(frozen=True, slots=True)
class AvailabilityRules:
    grid_minutes: int = 15
    min_notice: timedelta = field(default=timedelta(hours=12))
    horizon: timedelta = field(default=timedelta(days=120))

    def __post_init__(self) -> None:
        if self.grid_minutes <= 0 or MINUTES_PER_DAY % self.grid_minutes:
            raise DomainError(
                "grid_minutes must divide a day (5, 10, 15, 30, 60 ...)",
                code="invalid_grid",
            )
        if self.min_notice < timedelta(0) or self.horizon <= self.min_notice:
            raise DomainError(
                "horizon must be longer than the minimum notice", code="invalid_rules"
            )


DEFAULT_RULES = AvailabilityRules()


@dataclass(frozen=True, slots=True)
class Slot:
    """A bookable start. ``end`` is start + duration: the buffer is not shown to the patient."""

    start: datetime
    end: datetime
    staff: str
    room: str
    device: str | None


class SlotProblem(StrEnum):
    """Why a requested start can't be booked; checked in this order."""

    OFF_GRID = "off_grid"
    IN_PAST = "in_past"
    TOO_SOON = "too_soon"
    BEYOND_HORIZON = "beyond_horizon"
    NOT_QUALIFIED = "not_qualified"
    OUTSIDE_HOURS = "outside_hours"
    STAFF_BUSY = "staff_busy"
    NO_ROOM = "no_room"
    NO_DEVICE = "no_device"


@dataclass(frozen=True, slots=True)
class SlotCheck:
    start: datetime
    slot: Slot | None
    problem: SlotProblem | None
    message: str

    @property
    def bookable(self) -> bool:
        return self.slot is not None


class _Starts:
    """The starts one resource can accept, as normalised ranges, with a bisect lookup."""

    def __init__(self, free: Iterable[Interval], occupied: timedelta) -> None:
        self.ranges = fitting_starts(free, occupied)
        self._firsts = [rng.start for rng in self.ranges]

    def accepts(self, start: datetime) -> bool:
        index = bisect_right(self._firsts, start) - 1
        return index >= 0 and start < self.ranges[index].end


def _qualified(
    service: ServiceSpec,
    staff: Sequence[StaffCalendar],
    staff_filter: Collection[str] | None,
) -> list[StaffCalendar]:
    if isinstance(staff_filter, str):
        # A lone username, not a collection of characters ("ann" is in "anna").
        staff_filter = {staff_filter}
    return [
        member
        for member in staff
        if member.role in service.qualified_roles
        and (staff_filter is None or member.username in staff_filter)
    ]


def _first_free(named_starts: Sequence[tuple[str, _Starts]], start: datetime) -> str:
    for name, starts in named_starts:
        if starts.accepts(start):
            return name
    # Unreachable: callers only ask about starts inside the union of these ranges.
    raise LookupError(f"no resource accepts {start}")


def booking_window(
    zone: ZoneInfo,
    start_date: date,
    end_date: date,
    now: datetime,
    rules: AvailabilityRules,
) -> Interval | None:
    """Where starts may lie: the local dates (both included) within notice and horizon."""
    now = as_utc(now, "now")
    if end_date < start_date:
        raise DomainError(
            f"date range ends ({end_date}) before it starts ({start_date})",
            code="invalid_date_range",
        )
    earliest = max(day_bounds(start_date, zone).start, now + rules.min_notice)
    latest = min(day_bounds(end_date, zone).end, now + rules.horizon)
    return Interval(earliest, latest) if earliest < latest else None


def find_slots(
    service: ServiceSpec,
    staff: Sequence[StaffCalendar],
    rooms: Sequence[RoomCalendar],
    devices: Sequence[DeviceCalendar],
    zone: ZoneInfo,
    start_date: date,
    end_date: date,
    now: datetime,
    rules: AvailabilityRules = DEFAULT_RULES,
    staff_filter: Collection[str] | None = None,
    *,
    every_staff: bool = False,
) -> list[Slot]:
    """Bookable starts on the local grid from ``start_date`` to ``end_date`` (both included).

    One slot per start, with the first free qualified staff member in the order given, unless
    ``every_staff``: then one per (start, staff member). Room and device are the first free
    by slug. ``staff_filter`` limits the staff considered. Sorted by start, then staff order.
    """
    window = booking_window(zone, start_date, end_date, now, rules)
    candidates = _qualified(service, staff, staff_filter)
    if window is None or not candidates:
        return []
    occupied = service.occupied
    # Time a booking starting inside the window can touch: resources are looked at only here.
    reach = [Interval(window.start, window.end + occupied)]

    rooms_by_slug = sorted(rooms, key=lambda room: room.slug)
    room_starts = _named_starts(
        ((r.slug, r.busy) for r in rooms_by_slug if r.kind == service.room_kind),
        reach,
        occupied,
    )
    allowed = intersect([window], union(*(starts.ranges for _, starts in room_starts)))
    device_starts: list[tuple[str, _Starts]] = []
    if service.needs_device:
        devices_by_slug = sorted(devices, key=lambda device: device.slug)
        device_starts = _named_starts(
            ((d.slug, d.busy) for d in devices_by_slug if d.in_service), reach, occupied
        )
        allowed = intersect(allowed, union(*(starts.ranges for _, starts in device_starts)))
    if not allowed:
        return []

    grid = local_grid(window, zone, rules.grid_minutes)
    offered_before: list[Interval] = []
    slots: list[Slot] = []
    for member in candidates:
        free = subtract(intersect(member.working, reach), member.busy)
        member_starts = intersect(fitting_starts(free, occupied), allowed)
        offered = member_starts
        if not every_staff:
            # A start an earlier colleague already has goes to that colleague.
            offered = subtract(member_starts, offered_before)
            offered_before = union(offered_before, member_starts)
        for starts in offered:
            for start in grid[bisect_left(grid, starts.start) : bisect_left(grid, starts.end)]:
                room = _first_free(room_starts, start)
                device = _first_free(device_starts, start) if service.needs_device else None
                slots.append(Slot(start, start + service.duration, member.username, room, device))
    # Stable sort: within one start (every_staff) the staff keep the order they were given in.
    slots.sort(key=lambda slot: slot.start)
    return slots


def _named_starts(
    named_busy: Iterable[tuple[str, Sequence[Interval]]],
    reach: list[Interval],
    occupied: timedelta,
) -> list[tuple[str, _Starts]]:
    return [(name, _Starts(subtract(reach, busy), occupied)) for name, busy in named_busy]


def slots_by_staff(
    service: ServiceSpec,
    staff: Sequence[StaffCalendar],
    rooms: Sequence[RoomCalendar],
    devices: Sequence[DeviceCalendar],
    zone: ZoneInfo,
    start_date: date,
    end_date: date,
    now: datetime,
    rules: AvailabilityRules = DEFAULT_RULES,
) -> dict[str, list[Slot]]:
    """Every bookable start for each qualified staff member (empty lists included)."""
    by_staff: dict[str, list[Slot]] = {
        member.username: [] for member in _qualified(service, staff, None)
    }
    for slot in find_slots(
        service,
        staff,
        rooms,
        devices,
        zone,
        start_date,
        end_date,
        now,
        rules,
        every_staff=True,
    ):
        by_staff[slot.staff].append(slot)
    return by_staff


def check_slot(
    service: ServiceSpec,
    staff: Sequence[StaffCalendar],
    rooms: Sequence[RoomCalendar],
    devices: Sequence[DeviceCalendar],
    zone: ZoneInfo,
    start: datetime,
    now: datetime,
    rules: AvailabilityRules = DEFAULT_RULES,
    staff_filter: Collection[str] | None = None,
) -> SlotCheck:
    """Whether ``start`` is bookable, choosing resources exactly as ``find_slots`` does."""
    start, now = as_utc(start, "start"), as_utc(now, "now")

    def refuse(problem: SlotProblem, message: str) -> SlotCheck:
        return SlotCheck(start, None, problem, message)

    if not is_on_local_grid(start, zone, rules.grid_minutes):
        return refuse(
            SlotProblem.OFF_GRID,
            f"starts are every {rules.grid_minutes} minutes on the clock",
        )
    if start < now:
        return refuse(SlotProblem.IN_PAST, "that time has passed")
    if start < now + rules.min_notice:
        return refuse(SlotProblem.TOO_SOON, f"bookings need {_hours(rules.min_notice)} notice")
    if start >= now + rules.horizon:
        return refuse(SlotProblem.BEYOND_HORIZON, f"bookings open {rules.horizon.days} days ahead")

    needed = Interval(start, start + service.occupied)
    qualified = _qualified(service, staff, staff_filter)
    if not qualified:
        return refuse(SlotProblem.NOT_QUALIFIED, f"no qualified staff member for {service.slug}")
    working = [member for member in qualified if covers(normalise(member.working), needed)]
    if not working:
        return refuse(
            SlotProblem.OUTSIDE_HOURS,
            "outside the working hours of the qualified staff",
        )
    member = next((m for m in working if not overlaps_any(normalise(m.busy), needed)), None)
    if member is None:
        return refuse(SlotProblem.STAFF_BUSY, "the qualified staff are booked at that time")
    room = next(
        (
            room.slug
            for room in sorted(rooms, key=lambda room: room.slug)
            if room.kind == service.room_kind and not overlaps_any(normalise(room.busy), needed)
        ),
        None,
    )
    if room is None:
        return refuse(SlotProblem.NO_ROOM, f"no {service.room_kind} room is free at that time")
    device = None
    if service.needs_device:
        device = next(
            (
                device.slug
                for device in sorted(devices, key=lambda device: device.slug)
                if device.in_service and not overlaps_any(normalise(device.busy), needed)
            ),
            None,
        )
        if device is None:
            return refuse(SlotProblem.NO_DEVICE, "no pen is free at that time")
    slot = Slot(start, start + service.duration, member.username, room, device)
    return SlotCheck(start, slot, None, "bookable")


def _hours(span: timedelta) -> str:
    hours = span / timedelta(hours=1)
    return f"{hours:g} hours"


def nearest_alternatives(
    requested_start: datetime, slots: Iterable[Slot], n: int = 3
) -> list[Slot]:
    """Up to ``n`` slots at distinct starts nearest to ``requested_start``, nearest first.

    Equally near: the earlier first. Of several slots at one start, the first given is kept.
    """
    requested = as_utc(requested_start, "requested_start")
    first_at: dict[datetime, Slot] = {}
    for slot in slots:
        first_at.setdefault(slot.start, slot)
    ordered = sorted(first_at.values(), key=lambda slot: (abs(slot.start - requested), slot.start))
    return ordered[:n]
