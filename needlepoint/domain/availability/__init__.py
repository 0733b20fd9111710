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
from itertools import chain, islice
from operator import attrgetter
from typing import cast
from zoneinfo import ZoneInfo

from needlepoint.domain.errors import DomainError
from needlepoint.domain.time import (
    MINUTES_PER_DAY,
    Interval,
    as_utc,
    covers,
    day_bounds,
    is_on_local_grid,
    local_grid,
    normalise,
    overlaps_any,
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
_by_start = attrgetter("start")
_bounds = attrgetter("start", "end")


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
    reach = [(window.start, window.end + occupied)]

    room_starts = [
        (room.slug, _fitting_starts(reach, room.busy, occupied))
        for room in sorted(rooms, key=lambda room: room.slug)
        if room.kind == service.room_kind
    ]
    allowed = _union([starts for _, starts in room_starts])
    device_starts: list[tuple[str, list[_Span]]] = []
    if service.needs_device:
        device_starts = [
            (device.slug, _fitting_starts(reach, device.busy, occupied))
            for device in sorted(devices, key=lambda device: device.slug)
            if device.in_service
        ]
        allowed = _intersect(allowed, _union([starts for _, starts in device_starts]))
    if not allowed:
        return []

    # The grid points every resource but staff allows, inside the window (which clips the
    # start ranges to it as well): each staff member's ranges are looked up in these alone.
    grid = local_grid(window, zone, rules.grid_minutes)
    points: list[datetime] = []
    low = 0
    for first, last in allowed:
        low = bisect_left(grid, first, low)
        high = bisect_right(grid, last, low)
        points.extend(grid[low:high])
        low = high
    # Per point, the staff offered there in the order given (only the first unless
    # every_staff: a start an earlier colleague already has goes to that colleague).
    takers: list[list[StaffCalendar]] = [[] for _ in points]
    untaken = len(points)
    # Colleagues usually share one list of working intervals: convert it once.
    working_of: dict[int, list[_Span]] = {}
    for member in candidates:
        if not untaken and not every_staff:
            break  # every start is taken: nobody later in the order can be offered one
        working = working_of.get(id(member.working))
        if working is None:
            working = working_of[id(member.working)] = _clip(member.working, *reach[0])
        low, count = 0, len(points)
        for first, last in _fitting_starts(working, member.busy, occupied):
            low = bisect_left(points, first, low)
            if low == count or points[low] > last:
                continue  # no allowed point in this range: one bisect is enough
            high = bisect_right(points, last, low)
            for position in range(low, high):
                offered_to = takers[position]
                if not offered_to:
                    untaken -= 1
                    offered_to.append(member)
                elif every_staff:
                    offered_to.append(member)
            low = high

    duration = service.duration
    offered = [position for position, offered_to in enumerate(takers) if offered_to]
    starts = [points[position] for position in offered]
    room_of = _first_free(room_starts, starts)
    device_of = _first_free(device_starts, starts) if service.needs_device else None
    slots: list[Slot] = []
    # By start; within one start (every_staff) the staff keep the order they were given in.
    for position, index in enumerate(offered):
        start = starts[position]
        end = start + duration
        room = room_of[position]
        device = device_of[position] if device_of is not None else None
        for member in takers[index]:
            slots.append(Slot(start, end, member.username, room, device))
    return slots


# The engine's inner representation: (start, end) pairs of UTC datetimes, no Interval objects
# (building and validating those was most of its time). Free time is half-open like
# Interval; start ranges are closed, [first, last], the starts at which a booking fits.
_Span = tuple[datetime, datetime]


def _clip(intervals: Iterable[Interval], low: datetime, high: datetime) -> list[_Span]:
    """The normalised (sorted, merged) half-open spans of ``intervals`` within [low, high)."""
    merged: list[_Span] = []
    for interval in sorted(intervals, key=_by_start):
        start, end = interval.start, interval.end
        if end <= low or start >= high:
            continue
        if start < low:
            start = low
        if end > high:
            end = high
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _fitting_starts(
    free: Sequence[_Span], busy: Iterable[Interval], occupied: timedelta
) -> list[_Span]:
    """Closed ranges of the starts ``s`` with [s, s + occupied) inside ``free`` and clear of
    ``busy``: subtraction and fitting in one sweep. ``free`` is normalised; ``busy`` any order.

    A free gap [a, b) accepts exactly the starts in [a, b - occupied].
    """
    cuts = sorted(map(_bounds, busy))
    count = len(cuts)
    ranges: list[_Span] = []
    j = 0
    for low, high in free:
        # Cuts ending before this free span can't affect it or any later one.
        while j < count and cuts[j][1] <= low:
            j += 1
        cursor = low
        for cut_start, cut_end in islice(cuts, j, None):
            if cut_start >= high:
                break
            if cut_start > cursor:
                last = cut_start - occupied
                if last >= cursor:
                    ranges.append((cursor, last))
            if cut_end > cursor:
                cursor = cut_end
        if cursor < high:
            last = high - occupied
            if last >= cursor:
                ranges.append((cursor, last))
    return ranges


def _union(groups: Iterable[list[_Span]]) -> list[_Span]:
    """The union of closed ranges, sorted and with overlapping ranges merged."""
    merged: list[_Span] = []
    for first, last in sorted(chain.from_iterable(groups)):
        if merged and first <= merged[-1][1]:
            if last > merged[-1][1]:
                merged[-1] = (merged[-1][0], last)
        else:
            merged.append((first, last))
    return merged


def _intersect(a: list[_Span], b: list[_Span]) -> list[_Span]:
    """The intersection of two sorted lists of disjoint closed ranges (a linear sweep)."""
    result: list[_Span] = []
    i = j = 0
    len_a, len_b = len(a), len(b)
    while i < len_a and j < len_b:
        a_first, a_last = a[i]
        b_first, b_last = b[j]
        first = a_first if a_first > b_first else b_first
        if a_last <= b_last:
            if first <= a_last:
                result.append((first, a_last))
            i += 1
        else:
            if first <= b_last:
                result.append((first, b_last))
            j += 1
    return result


def _first_free(named_starts: list[tuple[str, list[_Span]]], starts: list[datetime]) -> list[str]:
    """For each of the sorted ``starts``, the first resource (in the order given) whose start
    ranges contain it: each resource's ranges are bisected into the starts, never a scan of
    every resource for every start, and resources after the last one needed aren't read."""
    chosen: list[str | None] = [None] * len(starts)
    missing = len(starts)
    for name, ranges in named_starts:
        if not missing:
            break
        low, count = 0, len(starts)
        for first, last in ranges:
            low = bisect_left(starts, first, low)
            if low == count or starts[low] > last:
                continue
            high = bisect_right(starts, last, low)
            for position in range(low, high):
                if chosen[position] is None:
                    chosen[position] = name
                    missing -= 1
            low = high
    if missing:
        # Unreachable: callers only ask about starts inside the union of these ranges.
        raise LookupError(f"no resource accepts {starts[chosen.index(None)]}")
    return cast(list[str], chosen)


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
