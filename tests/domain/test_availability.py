"""Free slots across staff, room and pen; checked against a minute-by-minute reference."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from needlepoint.domain.availability import (
    AvailabilityRules,
    DeviceCalendar,
    RoomCalendar,
    ServiceSpec,
    Slot,
    SlotProblem,
    StaffCalendar,
    booking_window,
    check_slot,
    find_slots,
    nearest_alternatives,
    slots_by_staff,
)
from needlepoint.domain.errors import DomainError
from needlepoint.domain.time import (
    Interval,
    WeeklyHours,
    day_bounds,
    fitting_starts,
    intersect,
    local_grid,
    subtract,
    union,
    working_intervals,
)

NEW_YORK = ZoneInfo("America/New_York")
MONDAY = date(2027, 1, 4)
SPRING_FORWARD = date(2027, 3, 14)
FALL_BACK = date(2027, 11, 7)
LONG_AGO = datetime(2026, 12, 1, tzinfo=UTC)
QUALIFIED = frozenset({"aesthetician", "physician"})
FACIAL = ServiceSpec("microneedling-face", 60, 15, "treatment", True, QUALIFIED)
CONSULTATION = ServiceSpec("consultation", 30, 0, "consult", False, frozenset({"physician"}))
TREATMENT_ROOM = RoomCalendar("room-1", "treatment")
PEN = DeviceCalendar("pen-1", in_service=True)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=NEW_YORK).astimezone(UTC)


def between(day: date, start: tuple[int, int], end: tuple[int, int]) -> Interval:
    return Interval(local(day, *start), local(day, *end))


def nine_to_five(day: date = MONDAY) -> list[Interval]:
    return [between(day, (9, 0), (17, 0))]


def member(
    username: str = "anna",
    role: str = "aesthetician",
    working: Sequence[Interval] | None = None,
    busy: Sequence[Interval] = (),
) -> StaffCalendar:
    return StaffCalendar(username, role, nine_to_five() if working is None else working, busy)


def slots(
    service: ServiceSpec = FACIAL,
    staff: Sequence[StaffCalendar] | None = None,
    rooms: Sequence[RoomCalendar] = (TREATMENT_ROOM,),
    devices: Sequence[DeviceCalendar] = (PEN,),
    day: date = MONDAY,
    now: datetime | None = None,
    rules: AvailabilityRules | None = None,
    **options: Any,
) -> list[Slot]:
    return find_slots(
        service,
        [member()] if staff is None else staff,
        rooms,
        devices,
        NEW_YORK,
        day,
        day,
        local(day - timedelta(days=7), 0) if now is None else now,
        rules or AvailabilityRules(),
        **options,
    )


def local_starts(found: Sequence[Slot]) -> list[str]:
    return [slot.start.astimezone(NEW_YORK).strftime("%H:%M") for slot in found]


# --- Shape of the slots -------------------------------------------------------------------


def test_slots_fill_the_shift_on_the_local_quarter_hour() -> None:
    found = slots()
    assert local_starts(found)[0] == "09:00"
    assert local_starts(found)[-1] == "15:45"  # 15:45 + 60 min + 15 min buffer = 17:00
    assert len(found) == 28
    first = found[0]
    assert first == Slot(local(MONDAY, 9), local(MONDAY, 10), "anna", "room-1", "pen-1")


def test_the_reported_end_leaves_out_the_buffer() -> None:
    assert all(slot.end - slot.start == timedelta(minutes=60) for slot in slots())


def test_a_service_with_a_buffer_cannot_start_an_hour_before_another_booking() -> None:
    booked = between(MONDAY, (11, 0), (12, 15))  # an existing 60 + 15 booking at 11:00
    starts = local_starts(slots(staff=[member(busy=[booked])]))
    assert "10:00" not in starts  # its own buffer would run into the 11:00 booking
    assert "09:45" in starts  # ends, buffer included, exactly at 11:00
    assert "12:00" not in starts
    assert "12:15" in starts  # the existing booking's buffer is over


def test_a_busy_room_shapes_slots_like_busy_staff() -> None:
    room = RoomCalendar("room-1", "treatment", busy=[between(MONDAY, (11, 0), (12, 15))])
    starts = local_starts(slots(rooms=[room]))
    assert "09:45" in starts and "10:00" not in starts and "12:15" in starts


def test_a_coarser_grid_is_a_setting() -> None:
    starts = local_starts(slots(rules=AvailabilityRules(grid_minutes=30)))
    assert starts[:3] == ["09:00", "09:30", "10:00"]


# --- Notice and horizon ---------------------------------------------------------------------


def test_min_notice_hides_starts_that_are_too_soon() -> None:
    sunday_evening = local(MONDAY - timedelta(days=1), 22)
    assert local_starts(slots(now=sunday_evening))[0] == "10:00"  # 12 hours later
    assert slots(now=local(MONDAY, 8)) == []


def test_the_horizon_hides_starts_too_far_ahead() -> None:
    rules = AvailabilityRules(horizon=timedelta(days=3))
    friday_noon = local(MONDAY - timedelta(days=3), 12)
    assert local_starts(slots(now=friday_noon, rules=rules))[-1] == "11:45"
    assert slots(now=LONG_AGO, rules=rules) == []


def test_rules_refuse_a_grid_that_does_not_divide_a_day() -> None:
    with pytest.raises(DomainError):
        AvailabilityRules(grid_minutes=25)


# --- Resources -------------------------------------------------------------------------------


def test_a_pen_in_maintenance_is_not_used() -> None:
    maintenance = [between(MONDAY, (9, 0), (13, 0))]
    pens = [
        DeviceCalendar("pen-1", True, busy=maintenance),
        DeviceCalendar("pen-2", True),
    ]
    found = slots(devices=pens)
    assert {slot.device for slot in found if slot.start < local(MONDAY, 12)} == {"pen-2"}
    assert (
        slots(devices=[DeviceCalendar("pen-1", True, busy=[between(MONDAY, (0, 0), (23, 0))])])
        == []
    )


def test_a_pen_out_of_service_is_never_offered() -> None:
    assert slots(devices=[DeviceCalendar("pen-1", in_service=False)]) == []


def test_a_service_without_a_pen_needs_none() -> None:
    physician = member("dr-lee", "physician")
    consult_room = RoomCalendar("consult-1", "consult")
    found = slots(CONSULTATION, [physician], [consult_room], devices=[])
    assert found and all(slot.device is None for slot in found)


def test_only_rooms_of_the_right_kind_are_used() -> None:
    consult_room = RoomCalendar("a-consult", "consult")
    assert slots(rooms=[consult_room]) == []
    assert {slot.room for slot in slots(rooms=[consult_room, TREATMENT_ROOM])} == {"room-1"}


def test_unqualified_roles_are_excluded() -> None:
    clerk = member("frank", "front_desk")
    assert slots(staff=[clerk]) == []
    assert {slot.staff for slot in slots(staff=[clerk, member("anna")])} == {"anna"}


def test_staff_are_chosen_in_the_order_given_and_rooms_by_slug() -> None:
    rooms = [RoomCalendar("room-b", "treatment"), RoomCalendar("room-a", "treatment")]
    found = slots(staff=[member("bea"), member("anna")], rooms=rooms)
    assert {(slot.staff, slot.room) for slot in found} == {("bea", "room-a")}


def test_the_next_staff_member_covers_when_the_first_is_busy() -> None:
    bea = member("bea", busy=[between(MONDAY, (9, 0), (12, 0))])
    found = slots(staff=[bea, member("anna")])
    assert found[0].staff == "anna" and found[0].start == local(MONDAY, 9)
    assert next(slot for slot in found if slot.staff == "bea").start == local(MONDAY, 12)


def test_every_staff_lists_each_member_at_each_start() -> None:
    team = [member("bea"), member("anna")]
    found = slots(staff=team, every_staff=True)
    assert len(found) == 56
    assert [slot.staff for slot in found[:2]] == ["bea", "anna"]
    by_staff = slots_by_staff(
        FACIAL, team, [TREATMENT_ROOM], [PEN], NEW_YORK, MONDAY, MONDAY, LONG_AGO
    )
    assert {name: len(found) for name, found in by_staff.items()} == {
        "bea": 28,
        "anna": 28,
    }


def test_a_staff_filter_keeps_only_the_named_members() -> None:
    team = [member("bea"), member("anna")]
    assert {slot.staff for slot in slots(staff=team, staff_filter={"anna"})} == {"anna"}
    assert {slot.staff for slot in slots(staff=team, staff_filter="anna")} == {"anna"}


# --- DST --------------------------------------------------------------------------------------


@pytest.mark.parametrize("change", [SPRING_FORWARD, FALL_BACK])
def test_slots_start_at_nine_local_on_both_sides_of_a_dst_change(change: date) -> None:
    for day in (change - timedelta(days=1), change, change + timedelta(days=1)):
        found = slots(staff=[member(working=nine_to_five(day))], day=day)
        assert local_starts(found)[0] == "09:00"
        assert local_starts(found)[-1] == "15:45"
        assert len(found) == 28
    before = slots(
        staff=[member(working=nine_to_five(change - timedelta(days=1)))],
        day=change - timedelta(days=1),
    )
    after = slots(staff=[member(working=nine_to_five(change))], day=change)
    assert before[0].start.time() != after[0].start.time()  # the UTC offsets differ


def test_the_repeated_autumn_hour_offers_both_quarter_hours() -> None:
    night = working_intervals(
        WeeklyHours({6: ((time(0), time(3)),)}), [], [], NEW_YORK, FALL_BACK, FALL_BACK
    )
    short = ServiceSpec("touch-up", 15, 0, "treatment", False, QUALIFIED)
    found = slots(short, [member(working=night)], day=FALL_BACK)
    labels = [slot.start.astimezone(NEW_YORK).strftime("%H:%M%z") for slot in found]
    assert labels.count("01:15-0400") == 1 and labels.count("01:15-0500") == 1
    assert len(found) == 16  # four hours of quarter hours


# --- Checking one start ---------------------------------------------------------------------


def check(start: datetime, **overrides: Any) -> SlotProblem | None:
    arguments: dict[str, Any] = {
        "service": FACIAL,
        "staff": [member()],
        "rooms": [TREATMENT_ROOM],
        "devices": [PEN],
        "zone": NEW_YORK,
        "start": start,
        "now": LONG_AGO,
    } | overrides
    return check_slot(**arguments).problem


def test_check_slot_accepts_a_free_start_with_the_same_resources_as_find_slots() -> None:
    result = check_slot(
        FACIAL,
        [member()],
        [TREATMENT_ROOM],
        [PEN],
        NEW_YORK,
        local(MONDAY, 9),
        LONG_AGO,
    )
    assert result.bookable and result.problem is None
    assert result.slot == slots()[0]


def test_check_slot_names_each_problem() -> None:
    nine = local(MONDAY, 9)
    assert check(local(MONDAY, 9, 5)) is SlotProblem.OFF_GRID
    assert check(nine, now=nine + timedelta(hours=1)) is SlotProblem.IN_PAST
    assert check(nine, now=nine - timedelta(hours=1)) is SlotProblem.TOO_SOON
    assert check(nine, now=nine - timedelta(days=200)) is SlotProblem.BEYOND_HORIZON
    assert check(nine, staff=[member(role="front_desk")]) is SlotProblem.NOT_QUALIFIED
    assert check(nine, staff_filter={"nobody"}) is SlotProblem.NOT_QUALIFIED
    assert check(local(MONDAY, 16)) is SlotProblem.OUTSIDE_HOURS  # the buffer runs past 17:00
    assert check(nine, staff=[member(busy=[between(MONDAY, (10, 0), (11, 0))])]) is (
        SlotProblem.STAFF_BUSY
    )
    assert check(nine, rooms=[RoomCalendar("c", "consult")]) is SlotProblem.NO_ROOM
    assert check(nine, devices=[DeviceCalendar("pen-1", False)]) is SlotProblem.NO_DEVICE


def test_nearest_alternatives_are_the_closest_distinct_starts() -> None:
    found = slots(staff=[member("bea"), member("anna")], every_staff=True)
    requested = local(MONDAY, 12, 5)
    nearest = nearest_alternatives(requested, found)
    assert local_starts(nearest) == ["12:00", "12:15", "11:45"]
    assert nearest[0].staff == "bea"
    assert nearest_alternatives(requested, [], n=3) == []


# --- Against a minute-by-minute reference -----------------------------------------------------

MINUTE = timedelta(minutes=1)


def covered_minutes(intervals: Sequence[Interval]) -> set[datetime]:
    covered: set[datetime] = set()
    for interval in intervals:
        instant = interval.start
        while instant < interval.end:
            covered.add(instant)
            instant += MINUTE
    return covered


def reference_slots(
    service: ServiceSpec,
    staff: Sequence[StaffCalendar],
    rooms: Sequence[RoomCalendar],
    devices: Sequence[DeviceCalendar],
    first: date,
    last: date,
    now: datetime,
    rules: AvailabilityRules,
    staff_filter: Collection[str] | None,
    every_staff: bool,
) -> list[Slot]:
    """The specification, spelled out one minute at a time with no interval algebra."""
    working = {m.username: covered_minutes(m.working) for m in staff}
    busy = {m.username: covered_minutes(m.busy) for m in staff}
    room_busy = {r.slug: covered_minutes(r.busy) for r in rooms}
    device_busy = {d.slug: covered_minutes(d.busy) for d in devices}
    found: list[Slot] = []
    start, stop = day_bounds(first, NEW_YORK).start, day_bounds(last, NEW_YORK).end
    while start < stop:
        wall = start.astimezone(NEW_YORK)
        needed = [start + MINUTE * n for n in range(int(service.occupied / MINUTE))]
        on_grid = (wall.hour * 60 + wall.minute) % rules.grid_minutes == 0
        in_window = now + rules.min_notice <= start < now + rules.horizon
        room = next(
            (
                r.slug
                for r in sorted(rooms, key=lambda r: r.slug)
                if r.kind == service.room_kind and not room_busy[r.slug] & set(needed)
            ),
            None,
        )
        device = next(
            (
                d.slug
                for d in sorted(devices, key=lambda d: d.slug)
                if d.in_service and not device_busy[d.slug] & set(needed)
            ),
            None,
        )
        resources_free = room is not None and (device is not None or not service.needs_device)
        if on_grid and in_window and resources_free and room is not None:
            for m in staff:
                if (
                    m.role in service.qualified_roles
                    and (staff_filter is None or m.username in staff_filter)
                    and set(needed) <= working[m.username]
                    and not busy[m.username] & set(needed)
                ):
                    pen = device if service.needs_device else None
                    found.append(Slot(start, start + service.duration, m.username, room, pen))
                    if not every_staff:
                        break
        start += MINUTE
    return found


def _quarter(index: int) -> time:
    return time(index // 4, index % 4 * 15)


@st.composite
def calendars(draw: st.DrawFn) -> dict[str, Any]:
    first = draw(st.sampled_from([SPRING_FORWARD, FALL_BACK, date(2027, 6, 2)]))
    last = first + timedelta(days=draw(st.integers(0, 1)))
    origin = day_bounds(first, NEW_YORK).start
    span_minutes = int((day_bounds(last, NEW_YORK).end - origin) / MINUTE)

    def intervals(max_size: int) -> list[Interval]:
        pairs = draw(
            st.lists(
                st.tuples(st.integers(0, span_minutes // 5), st.integers(1, 36)),
                max_size=max_size,
            )
        )
        return [Interval(origin + MINUTE * 5 * a, origin + MINUTE * 5 * (a + b)) for a, b in pairs]

    def weekly_hours() -> WeeklyHours:
        # Quarter hours of the local day; the last one (23:45) is the latest possible end.
        quarters = st.tuples(st.integers(0, 90), st.integers(1, 40)).map(
            lambda p: (p[0], min(p[0] + p[1], 95))
        )
        days = draw(
            st.dictionaries(
                st.integers(0, 6),
                st.lists(quarters, min_size=1, max_size=2),
                min_size=4,
            )
        )
        return WeeklyHours(
            {
                day: tuple((_quarter(a), _quarter(b)) for a, b in spans)
                for day, spans in days.items()
            }
        )

    names = ["anna", "bea", "cy"][: draw(st.integers(1, 3))]
    staff = [
        StaffCalendar(
            name,
            draw(st.sampled_from(["aesthetician", "physician", "aesthetician", "front_desk"])),
            working_intervals(weekly_hours(), [], [], NEW_YORK, first, last) + intervals(2),
            intervals(4),
        )
        for name in names
    ]
    rooms = [
        RoomCalendar(
            slug,
            draw(st.sampled_from(["treatment", "treatment", "consult"])),
            intervals(3),
        )
        for slug in ["room-c", "room-a", "room-b"][: draw(st.integers(1, 3))]
    ]
    devices = [
        DeviceCalendar(slug, draw(st.integers(0, 3)) > 0, intervals(3))
        for slug in ["pen-2", "pen-1", "pen-3"][: draw(st.integers(0, 3))]
    ]
    service = ServiceSpec(
        "service",
        draw(st.integers(1, 12)) * 5,
        draw(st.sampled_from([0, 5, 10, 15, 30])),
        "treatment",
        draw(st.booleans()),
        QUALIFIED,
    )
    notice = timedelta(hours=draw(st.integers(0, 12)))
    rules = AvailabilityRules(
        grid_minutes=draw(st.sampled_from([5, 15, 30, 60])),
        min_notice=notice,
        horizon=notice + timedelta(hours=draw(st.integers(1, 60))),
    )
    return {
        "service": service,
        "staff": staff,
        "rooms": rooms,
        "devices": devices,
        "first": first,
        "last": last,
        "now": origin + MINUTE * 15 * draw(st.integers(-96, 48)),
        "rules": rules,
        "staff_filter": draw(st.none() | st.sets(st.sampled_from(names))),
        "every_staff": draw(st.booleans()),
    }


@settings(max_examples=70, deadline=None)
@given(calendars())
def test_find_slots_matches_the_minute_by_minute_reference(
    calendar: dict[str, Any],
) -> None:
    c = calendar
    found = find_slots(
        c["service"],
        c["staff"],
        c["rooms"],
        c["devices"],
        NEW_YORK,
        c["first"],
        c["last"],
        c["now"],
        c["rules"],
        c["staff_filter"],
        every_staff=c["every_staff"],
    )
    assert found == reference_slots(**c)


@settings(max_examples=40, deadline=None)
@given(calendars(), st.integers(0, 10_000))
def test_check_slot_agrees_with_find_slots(calendar: dict[str, Any], pick: int) -> None:
    c = calendar | {"every_staff": False}
    expected = {slot.start: slot for slot in reference_slots(**c)}
    window = Interval(day_bounds(c["first"], NEW_YORK).start, day_bounds(c["last"], NEW_YORK).end)
    start = window.start + MINUTE * 5 * (pick % int(window.duration / (MINUTE * 5)))
    result = check_slot(
        c["service"],
        c["staff"],
        c["rooms"],
        c["devices"],
        NEW_YORK,
        start,
        c["now"],
        c["rules"],
        c["staff_filter"],
    )
    assert result.slot == expected.get(start)
    assert (result.problem is None) == result.bookable


# --- The fast path against the interval algebra, to the microsecond ----------------------------


def algebra_slots(
    service: ServiceSpec,
    staff: Sequence[StaffCalendar],
    rooms: Sequence[RoomCalendar],
    devices: Sequence[DeviceCalendar],
    first: date,
    last: date,
    now: datetime,
    rules: AvailabilityRules,
    every_staff: bool,
) -> list[Slot]:
    """The engine as it was before it worked on bare (start, end) pairs: the public interval
    algebra of ``domain.time`` (union, intersect, subtract, fitting_starts) on Intervals."""
    window = booking_window(NEW_YORK, first, last, now, rules)
    candidates = [m for m in staff if m.role in service.qualified_roles]
    if window is None or not candidates:
        return []
    occupied = service.occupied
    reach = [Interval(window.start, window.end + occupied)]

    def starts_of(busy: Sequence[Interval]) -> list[Interval]:
        return fitting_starts(subtract(reach, busy), occupied)

    named_rooms = [
        (r.slug, starts_of(r.busy))
        for r in sorted(rooms, key=lambda r: r.slug)
        if r.kind == service.room_kind
    ]
    allowed = intersect([window], union(*(s for _, s in named_rooms)))
    named_devices: list[tuple[str, list[Interval]]] = []
    if service.needs_device:
        named_devices = [
            (d.slug, starts_of(d.busy))
            for d in sorted(devices, key=lambda d: d.slug)
            if d.in_service
        ]
        allowed = intersect(allowed, union(*(s for _, s in named_devices)))

    def first_free(named: list[tuple[str, list[Interval]]], start: datetime) -> str:
        return next(name for name, starts in named if any(s.contains(start) for s in starts))

    grid = local_grid(window, NEW_YORK, rules.grid_minutes)
    offered_before: list[Interval] = []
    found: list[Slot] = []
    for m in candidates:
        free = subtract(intersect(m.working, reach), m.busy)
        member_starts = intersect(fitting_starts(free, occupied), allowed)
        offered = member_starts
        if not every_staff:
            offered = subtract(member_starts, offered_before)
            offered_before = union(offered_before, member_starts)
        for starts in offered:
            for start in (point for point in grid if starts.contains(point)):
                room = first_free(named_rooms, start)
                device = first_free(named_devices, start) if service.needs_device else None
                found.append(Slot(start, start + service.duration, m.username, room, device))
    found.sort(key=lambda slot: slot.start)
    return found


@st.composite
def microsecond_calendars(draw: st.DrawFn) -> dict[str, Any]:
    """Bounds a few microseconds either side of grid points and of each other's ends, so gaps
    that are exactly the occupied time, or one microsecond short, are common; busy lists come
    unsorted and overlapping, and colleagues share one working list."""
    first = draw(st.sampled_from([SPRING_FORWARD, FALL_BACK, date(2027, 6, 2)]))
    last = first + timedelta(days=draw(st.integers(0, 1)))
    origin = day_bounds(first, NEW_YORK).start
    quarters = int((day_bounds(last, NEW_YORK).end - origin) / timedelta(minutes=15))
    jitter = st.sampled_from([0, 0, 0, 1, -1, 2, 59_999_999])

    def instant() -> datetime:
        micro = timedelta(microseconds=draw(jitter))
        return origin + timedelta(minutes=15) * draw(st.integers(0, quarters)) + micro

    def intervals(max_size: int) -> list[Interval]:
        found = []
        for _ in range(draw(st.integers(0, max_size))):
            start = instant()
            length = timedelta(minutes=15) * draw(st.integers(0, 8))
            length += timedelta(microseconds=draw(st.sampled_from([1, 0, -1, 2])))
            if length > timedelta(0):
                found.append(Interval(start, start + length))
        return found

    shared_working = intervals(6)
    staff = [
        StaffCalendar(
            name,
            draw(st.sampled_from(["aesthetician", "physician", "front_desk"])),
            shared_working if draw(st.booleans()) else intervals(6),
            intervals(5),
        )
        for name in ["anna", "bea", "cy"][: draw(st.integers(1, 3))]
    ]
    rooms = [
        RoomCalendar(slug, draw(st.sampled_from(["treatment", "consult"])), intervals(4))
        for slug in ["room-b", "room-a"][: draw(st.integers(1, 2))]
    ]
    devices = [
        DeviceCalendar(slug, draw(st.integers(0, 3)) > 0, intervals(4))
        for slug in ["pen-2", "pen-1"][: draw(st.integers(0, 2))]
    ]
    service = ServiceSpec(
        "service",
        draw(st.sampled_from([15, 30, 60])),
        draw(st.sampled_from([0, 15])),
        "treatment",
        draw(st.booleans()),
        QUALIFIED,
    )
    return {
        "service": service,
        "staff": staff,
        "rooms": rooms,
        "devices": devices,
        "first": first,
        "last": last,
        "now": origin + MINUTE * 15 * draw(st.integers(-96, 48)) - timedelta(hours=12),
        "rules": AvailabilityRules(grid_minutes=draw(st.sampled_from([15, 30]))),
        "every_staff": draw(st.booleans()),
    }


@settings(max_examples=150, deadline=None)
@given(microsecond_calendars())
def test_find_slots_matches_the_interval_algebra_to_the_microsecond(
    calendar: dict[str, Any],
) -> None:
    c = calendar
    found = find_slots(
        c["service"],
        c["staff"],
        c["rooms"],
        c["devices"],
        NEW_YORK,
        c["first"],
        c["last"],
        c["now"],
        c["rules"],
        every_staff=c["every_staff"],
    )
    assert found == algebra_slots(**c)
