"""The spacing rule for one session of a course booked or moved on its own (no database)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from needlepoint.domain.errors import DomainError
from needlepoint.domain.spacing import HeldSession, check_spacing, earliest_spaced

MARCH_1 = date(2027, 3, 1)


def test_a_session_five_days_after_the_previous_on_a_four_weekly_plan_is_too_close():
    verdict = check_spacing(
        day=MARCH_1 + timedelta(days=5),
        held=[HeldSession(1, MARCH_1)],
        min_gap_weeks=4,
        not_before=MARCH_1,
    )
    assert verdict is not None
    assert verdict.neighbour == HeldSession(1, MARCH_1)
    assert verdict.earliest == date(2027, 3, 29)


def test_exactly_the_minimum_gap_is_allowed():
    held = [HeldSession(1, MARCH_1)]
    assert (
        check_spacing(day=date(2027, 3, 29), held=held, min_gap_weeks=4, not_before=MARCH_1) is None
    )


def test_a_course_without_other_dated_sessions_allows_any_day():
    assert check_spacing(day=MARCH_1, held=[], min_gap_weeks=4, not_before=MARCH_1) is None


def test_a_session_squeezed_before_a_later_booked_one_is_too_close_to_it():
    held = [HeldSession(1, MARCH_1), HeldSession(3, date(2027, 5, 3))]
    verdict = check_spacing(
        day=date(2027, 4, 26), held=held, min_gap_weeks=4, not_before=date(2027, 3, 2)
    )
    assert verdict is not None
    assert verdict.neighbour.index == 3
    # Between 1 March and 3 May there is room: 29 March to 5 April keeps both gaps.
    assert verdict.earliest == date(2027, 3, 29)


def test_the_earliest_date_skips_past_sessions_too_close_together_to_fit_between():
    held = [HeldSession(1, MARCH_1), HeldSession(2, date(2027, 4, 5))]
    assert earliest_spaced(not_before=MARCH_1, held=held, min_gap_weeks=4) == date(2027, 5, 3)


def test_a_gap_under_a_week_is_refused():
    with pytest.raises(DomainError):
        check_spacing(day=MARCH_1, held=[], min_gap_weeks=0, not_before=MARCH_1)


days = st.integers(min_value=0, max_value=200).map(lambda n: MARCH_1 + timedelta(days=n))


@settings(deadline=None)  # the machine is shared; the work is tiny
@given(
    held=st.lists(days, max_size=5).map(
        lambda ds: [HeldSession(i + 1, d) for i, d in enumerate(ds)]
    ),
    not_before=days,
    weeks=st.integers(min_value=1, max_value=8),
)
def test_the_earliest_spaced_date_keeps_every_gap_and_no_earlier_date_does(held, not_before, weeks):
    earliest = earliest_spaced(not_before=not_before, held=held, min_gap_weeks=weeks)
    assert earliest >= not_before
    assert (
        check_spacing(day=earliest, held=held, min_gap_weeks=weeks, not_before=not_before) is None
    )
    for offset in range((earliest - not_before).days):
        day = not_before + timedelta(days=offset)
        verdict = check_spacing(day=day, held=held, min_gap_weeks=weeks, not_before=not_before)
        assert verdict is not None and verdict.earliest == earliest
