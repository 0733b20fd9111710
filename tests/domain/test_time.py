"""Intervals, their algebra, and local working hours through DST (no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from needlepoint.domain.errors import DomainError
from needlepoint.domain.time import (
    Closure,
    ExtraHours,
    Interval,
    TimeOff,
    WeeklyHours,
    covered_duration,
    covers,
    day_bounds,
    intersect,
    is_on_local_grid,
    local_grid,
    local_to_utc,
    normalise,
    overlaps_any,
    subtract,
    union,
    working_intervals,
)

NEW_YORK = ZoneInfo("America/New_York")
SPRING_FORWARD = date(2027, 3, 14)  # 02:00 EST -> 03:00 EDT
FALL_BACK = date(2027, 11, 7)  # 02:00 EDT -> 01:00 EST
NINE_TO_FIVE = WeeklyHours.same_every(range(7), time(9), time(17))
BASE = datetime(2027, 1, 4, tzinfo=UTC)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def minutes(start: int, end: int) -> Interval:
    return Interval(BASE + timedelta(minutes=start), BASE + timedelta(minutes=end))


def hours_in(zone: ZoneInfo, hours: WeeklyHours, first: date, last: date) -> list[Interval]:
    return working_intervals(hours, [], [], zone, first, last)


# --- Interval -----------------------------------------------------------------------------


def test_interval_refuses_naive_datetimes() -> None:
    with pytest.raises(DomainError) as caught:
        Interval(datetime(2027, 1, 1, 9), utc(2027, 1, 1, 10))
    assert caught.value.code == "naive_datetime"


def test_interval_refuses_empty_or_inverted_spans() -> None:
    with pytest.raises(DomainError):
        Interval(utc(2027, 1, 1, 9), utc(2027, 1, 1, 9))
    with pytest.raises(DomainError):
        Interval(utc(2027, 1, 1, 10), utc(2027, 1, 1, 9))


def test_interval_is_normalised_to_utc() -> None:
    local = datetime(2027, 1, 4, 9, tzinfo=NEW_YORK)
    interval = Interval(local, local + timedelta(hours=1))
    assert interval.start == utc(2027, 1, 4, 14)
    assert interval.start.tzinfo is UTC


def test_touching_intervals_do_not_overlap_but_merge() -> None:
    assert not minutes(0, 60).overlaps(minutes(60, 120))
    assert normalise([minutes(60, 120), minutes(0, 60)]) == [minutes(0, 120)]


def test_contains_is_half_open() -> None:
    hour = minutes(0, 60)
    assert hour.contains(hour.start)
    assert not hour.contains(hour.end)
    assert hour.contains(minutes(10, 60))


def test_subtract_cuts_holes_and_edges() -> None:
    assert subtract([minutes(0, 100)], [minutes(10, 20), minutes(90, 120)]) == [
        minutes(0, 10),
        minutes(20, 90),
    ]


def test_covers_and_overlaps_any_use_the_normalised_list() -> None:
    free = normalise([minutes(0, 30), minutes(60, 90)])
    assert covers(free, minutes(60, 90))
    assert not covers(free, minutes(20, 70))
    assert overlaps_any(free, minutes(89, 100))
    assert not overlaps_any(free, minutes(30, 60))


# --- Interval algebra properties (checked against minute points) -------------------------

spans = st.tuples(st.integers(0, 200), st.integers(1, 60)).map(lambda p: minutes(p[0], p[0] + p[1]))
interval_lists = st.lists(spans, max_size=8)
ALGEBRA = settings(max_examples=150, deadline=None)


def points(intervals: list[Interval]) -> set[int]:
    return {
        minute
        for interval in intervals
        for minute in range(
            int((interval.start - BASE) / timedelta(minutes=1)),
            int((interval.end - BASE) / timedelta(minutes=1)),
        )
    }


def is_canonical(intervals: list[Interval]) -> bool:
    return all(a.end < b.start for a, b in pairwise(intervals))


@ALGEBRA
@given(interval_lists)
def test_normalise_is_idempotent_canonical_and_keeps_every_point(
    a: list[Interval],
) -> None:
    merged = normalise(a)
    assert normalise(merged) == merged
    assert is_canonical(merged)
    assert points(merged) == points(a)


@ALGEBRA
@given(interval_lists, interval_lists)
def test_subtract_then_union_restores_the_base(a: list[Interval], b: list[Interval]) -> None:
    remainder = subtract(a, b)
    assert is_canonical(remainder)
    assert points(remainder) == points(a) - points(b)
    assert union(remainder, intersect(a, b)) == normalise(a)


@ALGEBRA
@given(interval_lists, interval_lists)
def test_intersect_is_commutative_and_pointwise(a: list[Interval], b: list[Interval]) -> None:
    both = intersect(a, b)
    assert both == intersect(b, a)
    assert is_canonical(both)
    assert points(both) == points(a) & points(b)


@ALGEBRA
@given(interval_lists, interval_lists)
def test_lengths_add_up(a: list[Interval], b: list[Interval]) -> None:
    assert covered_duration(a) == covered_duration(subtract(a, b)) + covered_duration(
        intersect(a, b)
    )
    assert covered_duration(union(a, b)) + covered_duration(intersect(a, b)) == (
        covered_duration(a) + covered_duration(b)
    )


@ALGEBRA
@given(interval_lists, spans)
def test_covers_and_overlaps_any_agree_with_points(a: list[Interval], probe: Interval) -> None:
    merged = normalise(a)
    assert covers(merged, probe) == (points([probe]) <= points(merged))
    assert overlaps_any(merged, probe) == bool(points([probe]) & points(merged))
    assert overlaps_any(merged, probe) == any(probe.overlaps(other) for other in a)


# --- Working hours -----------------------------------------------------------------------


def test_weekly_hours_refuse_inverted_spans_and_bad_weekdays() -> None:
    with pytest.raises(DomainError):
        WeeklyHours({0: ((time(17), time(9)),)})
    with pytest.raises(DomainError):
        WeeklyHours({7: ((time(9), time(17)),)})


def test_a_nine_to_five_shift_stays_nine_local_across_spring_forward() -> None:
    saturday, sunday, monday = hours_in(
        NEW_YORK,
        NINE_TO_FIVE,
        SPRING_FORWARD - timedelta(days=1),
        SPRING_FORWARD + timedelta(1),
    )
    assert saturday.start == utc(2027, 3, 13, 14)  # 09:00 EST = UTC-5
    assert sunday.start == utc(2027, 3, 14, 13)  # 09:00 EDT = UTC-4
    assert monday.start == utc(2027, 3, 15, 13)
    for shift in (saturday, sunday, monday):
        assert shift.start.astimezone(NEW_YORK).time() == time(9)
        assert shift.end.astimezone(NEW_YORK).time() == time(17)
        assert shift.duration == timedelta(hours=8)
    assert saturday.start.astimezone(NEW_YORK).utcoffset() == timedelta(hours=-5)
    assert sunday.start.astimezone(NEW_YORK).utcoffset() == timedelta(hours=-4)
    assert day_bounds(SPRING_FORWARD, NEW_YORK).duration == timedelta(hours=23)


def test_a_nine_to_five_shift_stays_nine_local_across_fall_back() -> None:
    saturday, sunday = hours_in(NEW_YORK, NINE_TO_FIVE, FALL_BACK - timedelta(days=1), FALL_BACK)
    assert saturday.start == utc(2027, 11, 6, 13)  # 09:00 EDT
    assert sunday.start == utc(2027, 11, 7, 14)  # 09:00 EST
    assert sunday.start.astimezone(NEW_YORK).time() == time(9)
    assert sunday.duration == timedelta(hours=8)
    assert day_bounds(FALL_BACK, NEW_YORK).duration == timedelta(hours=25)


def test_a_local_time_skipped_by_spring_forward_moves_to_the_jump() -> None:
    assert local_to_utc(SPRING_FORWARD, time(2, 30), NEW_YORK) == utc(2027, 3, 14, 7)
    early = WeeklyHours({6: ((time(2, 30), time(5)),)})
    (shift,) = hours_in(NEW_YORK, early, SPRING_FORWARD, SPRING_FORWARD)
    assert shift == Interval(utc(2027, 3, 14, 7), utc(2027, 3, 14, 9))  # 03:00-05:00 EDT


def test_a_shift_entirely_inside_the_skipped_hour_vanishes() -> None:
    ghost = WeeklyHours({6: ((time(2), time(2, 45)),)})
    assert hours_in(NEW_YORK, ghost, SPRING_FORWARD, SPRING_FORWARD) == []


def test_an_ambiguous_local_time_means_its_first_occurrence() -> None:
    assert local_to_utc(FALL_BACK, time(1, 30), NEW_YORK) == utc(2027, 11, 7, 5, 30)  # EDT
    night = WeeklyHours({6: ((time(0), time(3)),)})
    (shift,) = hours_in(NEW_YORK, night, FALL_BACK, FALL_BACK)
    assert shift.duration == timedelta(hours=4)


def test_a_closure_removes_the_day_even_with_extra_hours() -> None:
    monday = date(2027, 1, 4)
    worked = working_intervals(
        NINE_TO_FIVE,
        [ExtraHours(monday, time(18), time(20))],
        [Closure(monday, "holiday")],
        NEW_YORK,
        monday,
        monday + timedelta(days=1),
    )
    assert [shift.start.astimezone(NEW_YORK).date() for shift in worked] == [date(2027, 1, 5)]


def test_partial_time_off_splits_the_shift() -> None:
    monday = date(2027, 1, 4)
    worked = working_intervals(
        NINE_TO_FIVE,
        [TimeOff(monday, time(12), time(13))],
        [],
        NEW_YORK,
        monday,
        monday,
    )
    assert [
        (s.start.astimezone(NEW_YORK).time(), s.end.astimezone(NEW_YORK).time()) for s in worked
    ] == [
        (time(9), time(12)),
        (time(13), time(17)),
    ]


def test_whole_day_time_off_on_a_dst_day_removes_all_of_it() -> None:
    worked = working_intervals(
        NINE_TO_FIVE, [TimeOff(FALL_BACK)], [], NEW_YORK, FALL_BACK, FALL_BACK
    )
    assert worked == []


def test_extra_hours_open_a_day_off_and_extend_a_working_day() -> None:
    weekdays_only = WeeklyHours.same_every(range(5), time(9), time(17))
    saturday, monday = date(2027, 1, 9), date(2027, 1, 11)
    worked = working_intervals(
        weekdays_only,
        [
            ExtraHours(saturday, time(10), time(14)),
            ExtraHours(monday, time(17), time(19)),
        ],
        [],
        NEW_YORK,
        saturday,
        monday,
    )
    assert [s.duration for s in worked] == [timedelta(hours=4), timedelta(hours=10)]


def test_time_off_needs_both_ends_or_neither() -> None:
    with pytest.raises(DomainError):
        TimeOff(date(2027, 1, 4), time(9), None)


def test_an_inverted_date_range_is_refused() -> None:
    with pytest.raises(DomainError) as caught:
        working_intervals(NINE_TO_FIVE, [], [], NEW_YORK, date(2027, 1, 5), date(2027, 1, 4))
    assert caught.value.code == "invalid_date_range"


whole_hour_spans = st.tuples(st.integers(0, 22), st.integers(1, 6)).map(
    lambda p: (time(p[0]), time(min(p[0] + p[1], 23)))
)


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(st.integers(0, 6), st.lists(whole_hour_spans, min_size=1, max_size=2)),
    st.sampled_from([SPRING_FORWARD, FALL_BACK, date(2027, 6, 1)]),
)
def test_working_time_matches_the_wall_clock_minute_by_minute(
    days: dict[int, list[tuple[time, time]]], around: date
) -> None:
    # With boundaries on whole hours, "working" is exactly "the local wall-clock time falls in
    # a span of that local weekday", even on DST days: a brute-force reference.
    hours = WeeklyHours({day: tuple(spans) for day, spans in days.items()})
    first, last = around - timedelta(days=1), around + timedelta(days=1)
    worked = hours_in(NEW_YORK, hours, first, last)
    instant = day_bounds(first, NEW_YORK).start
    while instant < day_bounds(last, NEW_YORK).end:
        local = instant.astimezone(NEW_YORK)
        expected = any(
            start <= local.time() < end for start, end in hours.spans_on(local.weekday())
        )
        assert any(shift.contains(instant) for shift in worked) == expected, local
        instant += timedelta(minutes=15)


# --- Local grid -----------------------------------------------------------------------------


def test_the_grid_follows_local_clock_through_the_repeated_hour() -> None:
    grid = local_grid(day_bounds(FALL_BACK, NEW_YORK), NEW_YORK, 60)
    assert len(grid) == 25
    labels = [point.astimezone(NEW_YORK).strftime("%H:%M%z") for point in grid[:4]]
    assert labels == ["00:00-0400", "01:00-0400", "01:00-0500", "02:00-0500"]


def test_the_grid_skips_the_missing_hour() -> None:
    grid = local_grid(day_bounds(SPRING_FORWARD, NEW_YORK), NEW_YORK, 15)
    assert len(grid) == 23 * 4
    assert all(is_on_local_grid(point, NEW_YORK, 15) for point in grid)


def test_the_grid_is_aligned_to_local_time_in_a_quarter_hour_zone() -> None:
    kathmandu = ZoneInfo("Asia/Kathmandu")  # UTC+05:45
    grid = local_grid(day_bounds(date(2027, 1, 4), kathmandu), kathmandu, 60)
    assert grid[0].minute == 15
    assert {point.astimezone(kathmandu).minute for point in grid} == {0}


def test_a_grid_that_does_not_divide_a_day_is_refused() -> None:
    with pytest.raises(DomainError):
        local_grid(day_bounds(date(2027, 1, 4), NEW_YORK), NEW_YORK, 7)


@pytest.mark.parametrize(
    "zone_name",
    ["America/New_York", "Europe/London", "Australia/Lord_Howe", "America/Santiago"],
)
def test_every_transition_day_maps_monotonically_and_keeps_its_grid(
    zone_name: str,
) -> None:
    # Lord Howe shifts by 30 minutes; Santiago jumps at midnight, so its day starts at 01:00.
    zone = ZoneInfo(zone_name)
    changes = [
        day
        for day in (date(2027, 1, 1) + timedelta(days=n) for n in range(365))
        if day_bounds(day, zone).duration != timedelta(hours=24)
    ]
    assert len(changes) == 2
    for day in changes:
        bounds = day_bounds(day, zone)
        walls = [time(hour, minute) for hour in range(24) for minute in range(0, 60, 5)]
        instants = [local_to_utc(day, wall, zone) for wall in walls]
        assert instants == sorted(instants)
        assert all(bounds.contains(instant) for instant in instants)
        grid = local_grid(bounds, zone, 15)
        assert len(grid) == bounds.duration / timedelta(minutes=15)
        assert all(is_on_local_grid(point, zone, 15) for point in grid)
