"""Finding slots: the booking window, every bookable start, by staff, and the nearest ones."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from needlepoint.domain.errors import DomainError
from needlepoint.domain.time import Interval, as_utc, day_bounds, local_grid

from .resources import (
    DEFAULT_RULES,
    AvailabilityRules,
    DeviceCalendar,
    RoomCalendar,
    ServiceSpec,
    Slot,
    StaffCalendar,
    _qualified,
)
from .spans import _clip, _first_free, _fitting_starts, _intersect, _Span, _union


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
    untaken = count = len(points)
    # One per start: next_untaken[p] leads (through a chain shortened as it is walked) to
    # the first start at or after p nobody has yet, so each start is claimed once instead
    # of every colleague walking every start of their ranges (most already taken).
    next_untaken = list(range(count + 1))
    # Colleagues usually share one list of working intervals: convert it once.
    working_of: dict[int, list[_Span]] = {}
    for member in candidates:
        if not untaken and not every_staff:
            break  # every start is taken: nobody later in the order can be offered one
        working = working_of.get(id(member.working))
        if working is None:
            working = working_of[id(member.working)] = _clip(member.working, *reach[0])
        low = 0
        for first, last in _fitting_starts(working, member.busy, occupied):
            low = bisect_left(points, first, low)
            if low == count or points[low] > last:
                continue  # no allowed point in this range: one bisect is enough
            high = bisect_right(points, last, low)
            if every_staff:
                for position in range(low, high):
                    takers[position].append(member)
            else:
                position = _untaken_from(next_untaken, low)
                while position < high:
                    takers[position].append(member)
                    untaken -= 1
                    next_untaken[position] = position + 1
                    position = _untaken_from(next_untaken, position + 1)
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


def _untaken_from(next_untaken: list[int], position: int) -> int:
    """The first untaken start at or after ``position`` (``len`` when none), halving the
    chain on the way so later walks are short."""
    while next_untaken[position] != position:
        next_untaken[position] = next_untaken[next_untaken[position]]
        position = next_untaken[position]
    return position


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
