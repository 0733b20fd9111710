"""A message that names a day is timely for a while after it; a late outcome-visit reminder
is replaced once by the missed-visit message; later nothing is sent."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from needlepoint.domain.reminders import (
    DROP,
    SEND,
    SEND_MISSED_INSTEAD,
    message_timeliness,
)

DUE = date(2025, 11, 27)


def verdict(kind: str, late_days: int) -> str:
    return message_timeliness(kind, about=DUE, today=DUE + timedelta(days=late_days)).action


@pytest.mark.parametrize(
    ("late_days", "action"),
    [(-7, SEND), (0, SEND), (7, SEND), (8, SEND_MISSED_INSTEAD), (28, SEND_MISSED_INSTEAD)],
)
def test_an_outcome_visit_reminder_goes_out_up_to_a_week_late_then_as_missed(late_days, action):
    assert verdict("outcome_visit", late_days) == action


def test_an_outcome_visit_reminder_a_year_late_is_dropped_with_a_reason():
    result = message_timeliness("outcome_visit", about=DUE, today=date(2026, 12, 2))
    assert result.action == DROP and "too late" in result.reason and not result.send


def test_the_missed_visit_message_itself_is_dropped_after_four_weeks():
    assert verdict("outcome_visit_missed", 28) == SEND
    assert verdict("outcome_visit_missed", 29) == DROP


def test_a_maintenance_recall_stays_timely_for_a_month():
    assert verdict("maintenance_recall", 30) == SEND
    assert verdict("maintenance_recall", 31) == DROP


def test_aftercare_is_timely_for_the_three_aftercare_days_only():
    assert verdict("aftercare", 1) == SEND
    assert verdict("aftercare", 3) == SEND
    assert verdict("aftercare", 4) == DROP


@given(st.sampled_from(["confirmation", "reminder_48h", "waitlist_offer"]), st.integers(-400, 4000))
def test_kinds_with_their_own_rules_are_not_judged_here(kind, late_days):
    assert verdict(kind, late_days) == SEND


@given(
    st.sampled_from(["outcome_visit", "outcome_visit_missed", "maintenance_recall", "aftercare"]),
    st.integers(0, 4000),
)
def test_once_dropped_a_message_stays_dropped(kind, late_days):
    if verdict(kind, late_days) == DROP:
        assert verdict(kind, late_days + 1) == DROP
