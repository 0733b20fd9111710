"""When a treatment-day step may be taken, judged by the session's local date.

The day-of check belongs to the day of the session: not before it (the answers would be
about another day) and not after it (a check recorded afterwards checks nothing). The chart
is written on the day; written later it is a late entry, kept with the reason it is late.
Nothing here reads the clock: callers pass the clinic's local ``today``.
Decision: docs/decisions/0201-treatment-day-belongs-to-its-date.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from needlepoint.domain.charting.rules import (
    LATE_ENTRY_REASON_REQUIRED,
    SESSION_DAY_PASSED,
    SESSION_NOT_YET,
)

MAX_LATE_REASON = 2000


class Timing(StrEnum):
    BEFORE = "before"
    ON_THE_DAY = "on_the_day"
    AFTER = "after"


@dataclass(frozen=True)
class TimingRefusal:
    rule: str
    message: str
    field: str = ""  # set when the refusal is about a value the caller can supply (422)


def timing(session_date: date, today: date) -> Timing:
    if today < session_date:
        return Timing.BEFORE
    if today == session_date:
        return Timing.ON_THE_DAY
    return Timing.AFTER


def long_date(day: date) -> str:
    """3 December 2026: how a date reads on a page and in a message."""
    return f"{day.day} {day:%B %Y}"


def day_of_check_refusal(session_date: date, today: date) -> TimingRefusal | None:
    """Why the day-of check may not be recorded ``today``, or None."""
    when = timing(session_date, today)
    if when is Timing.BEFORE:
        return TimingRefusal(
            SESSION_NOT_YET,
            f"This session is on {long_date(session_date)}; take the day-of check on that day.",
        )
    if when is Timing.AFTER:
        return TimingRefusal(
            SESSION_DAY_PASSED,
            f"The day of this session ({long_date(session_date)}) has passed; the day-of "
            "check is taken on the day. If the session did not take place, book a new one.",
        )
    return None


def chart_refusal(session_date: date, today: date, late_reason: str) -> TimingRefusal | None:
    """Why the session may not be charted ``today`` (with ``late_reason``), or None."""
    when = timing(session_date, today)
    if when is Timing.BEFORE:
        return TimingRefusal(
            SESSION_NOT_YET,
            f"This session is on {long_date(session_date)}; chart it on that day, after "
            "the day-of check.",
        )
    if when is Timing.AFTER and not late_reason.strip():
        return TimingRefusal(
            LATE_ENTRY_REASON_REQUIRED,
            f"the session was on {long_date(session_date)}: a chart written after its day "
            "is a late entry; give the reason it is written late",
            field="late_reason",
        )
    if len(late_reason.strip()) > MAX_LATE_REASON:
        return TimingRefusal(
            "VALUE_INVALID", f"keep it under {MAX_LATE_REASON} characters", field="late_reason"
        )
    return None


def sign_refusal(session_date: date, today: date) -> TimingRefusal | None:
    """A chart is never signed before its session's day (signing later is allowed: the
    chart's content, not the signature, is what a late entry marks)."""
    if timing(session_date, today) is Timing.BEFORE:
        return TimingRefusal(
            SESSION_NOT_YET,
            f"This session is on {long_date(session_date)}; sign its chart on or after that day.",
        )
    return None
