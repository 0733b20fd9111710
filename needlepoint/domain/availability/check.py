"""Checking one requested start, choosing resources exactly as ``find_slots`` does."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from needlepoint.domain.time import (
    Interval,
    as_utc,
    covers,
    is_on_local_grid,
    normalise,
    overlaps_any,
)

from .resources import (
    DEFAULT_RULES,
    AvailabilityRules,
    DeviceCalendar,
    RoomCalendar,
    ServiceSpec,
    Slot,
    SlotCheck,
    SlotProblem,
    StaffCalendar,
    _qualified,
)


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
