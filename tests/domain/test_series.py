"""Courses of sessions planned over supplied free slots (no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from needlepoint.domain.availability import Slot
from needlepoint.domain.errors import DomainError
from needlepoint.domain.series import (
    SeriesFailure,
    SeriesPlan,
    SeriesPreferences,
    plan_series,
)

NEW_YORK = ZoneInfo("America/New_York")
MONDAY = date(2027, 1, 4)
WEEK = timedelta(weeks=1)


def slot(day: date, hour: int = 10, staff: str = "anna") -> Slot:
    start = datetime.combine(day, time(hour), tzinfo=NEW_YORK).astimezone(UTC)
    return Slot(start, start + timedelta(hours=1), staff, "room-1", "pen-1")


def tuesdays(first: date, count: int, **kwargs: Any) -> list[Slot]:
    return [slot(first + WEEK * n, **kwargs) for n in range(count)]


def plan(
    slots: list[Slot],
    sessions: int = 3,
    weeks: tuple[int, int, int] = (3, 4, 6),
    earliest: date = MONDAY,
    horizon: date = date(2027, 12, 31),
    preferences: SeriesPreferences | None = None,
) -> SeriesPlan | SeriesFailure:
    interval_min, interval_default, interval_max = weeks
    return plan_series(
        sessions=sessions,
        interval_default_weeks=interval_default,
        interval_min_weeks=interval_min,
        interval_max_weeks=interval_max,
        earliest_start=datetime.combine(earliest, time(0), tzinfo=NEW_YORK),
        horizon_end=datetime.combine(horizon, time(0), tzinfo=NEW_YORK),
        slots=slots,
        zone=NEW_YORK,
        preferences=preferences,
    )


def dates_of(result: SeriesPlan | SeriesFailure) -> list[date]:
    assert isinstance(result, SeriesPlan), result
    return [s.start.astimezone(NEW_YORK).date() for s in result.slots]


def failure(result: SeriesPlan | SeriesFailure) -> SeriesFailure:
    assert isinstance(result, SeriesFailure), result
    return result


TUESDAYS = tuesdays(date(2027, 1, 5), 40)


def test_sessions_land_on_the_default_interval_when_free() -> None:
    result = plan(TUESDAYS)
    assert dates_of(result) == [date(2027, 1, 5), date(2027, 2, 2), date(2027, 3, 2)]
    assert isinstance(result, SeriesPlan) and result.gaps_days == (28, 28)


def test_the_gap_is_counted_in_local_days_across_dst() -> None:
    result = plan(TUESDAYS, sessions=4, earliest=date(2027, 2, 15))
    assert dates_of(result)[1:3] == [date(2027, 3, 16), date(2027, 4, 13)]
    assert isinstance(result, SeriesPlan) and result.gaps_days == (28, 28, 28)


def test_the_first_session_waits_until_a_complete_course_fits() -> None:
    slots = [
        slot(date(2027, 1, 5)),
        slot(date(2027, 1, 12)),
        *tuesdays(date(2027, 2, 23), 10),
    ]
    # From Jan 5 the second session would need Feb 2-Feb 16, where nothing is free.
    result = plan(slots, sessions=2, weeks=(4, 4, 6))
    assert dates_of(result) == [date(2027, 1, 12), date(2027, 2, 23)]


def test_a_later_session_backtracks_off_the_default_interval() -> None:
    mondays = [MONDAY, date(2027, 1, 18), date(2027, 2, 1), date(2027, 2, 8)]
    # Feb 1 is the default four weeks after Jan 4, but no third session fits after it.
    result = plan([slot(day) for day in mondays], weeks=(2, 4, 6))
    assert dates_of(result) == [MONDAY, date(2027, 1, 18), date(2027, 2, 8)]


def test_equally_near_dates_prefer_the_earlier() -> None:
    slots = [slot(MONDAY), slot(MONDAY + 3 * WEEK), slot(MONDAY + 5 * WEEK)]
    assert dates_of(plan(slots, sessions=2, weeks=(3, 4, 5)))[1] == MONDAY + 3 * WEEK


def test_the_earliest_slot_of_the_day_is_used() -> None:
    slots = [slot(MONDAY, 15), slot(MONDAY, 9)]
    result = plan(slots, sessions=1)
    assert isinstance(result, SeriesPlan)
    assert result.slots[0] == slot(MONDAY, 9)


def test_slots_before_the_earliest_start_are_ignored() -> None:
    assert dates_of(plan(TUESDAYS, sessions=1, earliest=date(2027, 1, 6)))[0] == date(2027, 1, 12)


def test_no_slots_at_all_fails_on_the_first_session() -> None:
    result = failure(plan([], horizon=date(2027, 3, 1)))
    assert (result.session, result.code) == (1, "no_free_slot")
    assert result.reason == "session 1: no free slot between 2027-01-04 and 2027-02-28"


def test_a_failure_names_the_session_and_its_window() -> None:
    result = failure(plan(tuesdays(date(2027, 1, 5), 6), weeks=(3, 4, 5)))
    assert result.session == 3
    assert result.code == "no_free_slot"
    assert result.reason == "session 3: no free slot between 2027-02-23 and 2027-03-09"
    assert [s.start.date() for s in result.placed] == [
        date(2027, 1, 5),
        date(2027, 2, 2),
    ]


def test_a_failure_past_the_horizon_says_so() -> None:
    result = failure(plan(TUESDAYS, weeks=(3, 4, 5), horizon=date(2027, 2, 10)))
    assert (result.session, result.code) == (3, "beyond_horizon")
    assert "after the booking horizon ends on 2027-02-09" in result.reason


def test_a_failure_blames_the_preferences_when_other_slots_are_free() -> None:
    slots = tuesdays(date(2027, 1, 5), 6) + tuesdays(date(2027, 2, 16), 10, staff="bea")
    result = failure(plan(slots, weeks=(3, 4, 5), preferences=SeriesPreferences(staff="anna")))
    assert (result.session, result.code) == (3, "no_slot_matching_preferences")
    assert result.reason.endswith("between 2027-02-23 and 2027-03-09 for staff anna")


def test_preferences_pick_staff_weekday_and_time_of_day() -> None:
    slots = [
        slot(MONDAY, 10, "bea"),
        slot(MONDAY + timedelta(days=1), 10, "anna"),
        slot(MONDAY + timedelta(days=2), 8, "anna"),
        slot(MONDAY + timedelta(days=2), 11, "anna"),
    ]
    wanted = SeriesPreferences(staff="anna", weekdays={2}, time_from=time(9), time_until=time(12))
    result = plan(slots, sessions=1, preferences=wanted)
    assert isinstance(result, SeriesPlan)
    assert result.slots == (slot(MONDAY + timedelta(days=2), 11, "anna"),)


def test_a_slot_function_is_asked_once_for_the_local_dates() -> None:
    asked: list[tuple[date, date]] = []

    def find_day_slots(first: date, last: date) -> list[Slot]:
        asked.append((first, last))
        return TUESDAYS

    result = plan_series(
        sessions=2,
        interval_default_weeks=4,
        interval_min_weeks=3,
        interval_max_weeks=6,
        earliest_start=datetime(2027, 1, 4, 12, tzinfo=UTC),
        horizon_end=datetime(2027, 6, 1, 4, tzinfo=UTC),  # 2027-06-01 00:00 EDT
        slots=find_day_slots,
        zone=NEW_YORK,
    )
    assert asked == [(date(2027, 1, 4), date(2027, 5, 31))]
    assert isinstance(result, SeriesPlan)


@pytest.mark.parametrize(
    ("sessions", "weeks"),
    [(0, (3, 4, 6)), (3, (5, 4, 6)), (3, (3, 7, 6)), (3, (0, 4, 6))],
)
def test_impossible_course_rules_are_refused(sessions: int, weeks: tuple[int, int, int]) -> None:
    with pytest.raises(DomainError) as caught:
        plan(TUESDAYS, sessions=sessions, weeks=weeks)
    assert caught.value.code == "invalid_series"


def test_preferences_refuse_bad_weekdays_and_windows() -> None:
    with pytest.raises(DomainError):
        SeriesPreferences(weekdays={7})
    with pytest.raises(DomainError):
        SeriesPreferences(time_from=time(12), time_until=time(9))


# --- Against a brute-force search -----------------------------------------------------------


def every_chain(days: list[date], sessions: int, low: int, high: int) -> list[list[date]]:
    chains = [[day] for day in days]
    for _ in range(sessions - 1):
        chains = [
            [*chain, day]
            for chain in chains
            for day in days
            if low <= (day - chain[-1]).days <= high
        ]
    return chains


@st.composite
def courses(draw: st.DrawFn) -> dict[str, Any]:
    offsets = draw(st.sets(st.integers(0, 100), min_size=2, max_size=24))
    slots = [
        slot(
            MONDAY + timedelta(days=n),
            draw(st.sampled_from([9, 14])),
            draw(st.sampled_from(["anna", "bea"])),
        )
        for n in sorted(offsets)
    ]
    low = draw(st.integers(1, 3))
    default = draw(st.integers(low, low + 2))
    high = draw(st.integers(default, default + 2))
    staff = draw(st.sampled_from([None, "anna"]))
    return {
        "slots": slots,
        "sessions": draw(st.integers(1, 4)),
        "weeks": (low, default, high),
        "staff": staff,
    }


@settings(max_examples=150, deadline=None)
@given(courses())
def test_the_plan_is_the_first_chain_a_backtracking_search_finds(
    course: dict[str, Any],
) -> None:
    low, default, high = (7 * weeks for weeks in course["weeks"])
    preferences = SeriesPreferences(staff=course["staff"])
    result = plan(
        course["slots"],
        course["sessions"],
        course["weeks"],
        horizon=date(2027, 6, 1),
        preferences=preferences,
    )
    usable = [s for s in course["slots"] if preferences.accepts(s, NEW_YORK)]
    days = sorted({s.start.astimezone(NEW_YORK).date() for s in usable})
    chains = every_chain(days, course["sessions"], low, high)

    def search_order(chain: list[date]) -> list[int]:
        key = [chain[0].toordinal()]
        for earlier, later in pairwise(chain):
            key += [abs((later - earlier).days - default), later.toordinal()]
        return key

    if not chains:
        placed = failure(result)
        longest = max(
            (n for n in range(1, course["sessions"]) if every_chain(days, n, low, high)),
            default=0,
        )
        assert placed.session == longest + 1
        assert placed.reason.startswith(f"session {placed.session}: ")
        return
    chosen = dates_of(result)
    assert chosen == min(chains, key=search_order)
    assert isinstance(result, SeriesPlan)
    assert all(low <= gap <= high for gap in result.gaps_days)
    assert all(s in usable for s in result.slots)
