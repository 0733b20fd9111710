"""Spacing between the sessions of one course, for a session booked or moved on its own.

``series.plan_series`` spaces a whole course when it is booked at once; this is the rule for
one session at a time (booked, rescheduled, taken from the waitlist): its date must be at
least the plan's minimum gap away from every other session of the course that is booked or
done. Gaps are local calendar days (weeks x 7), as in ``series``, so a DST change doesn't
shift them. Only the minimum is enforced: a session later than the maximum gap is a late
session, still better held than not (docs/decisions/0210).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from needlepoint.domain.errors import DomainError


@dataclass(frozen=True)
class HeldSession:
    """Another session of the course that has a date: booked for it, or done on it."""

    index: int
    day: date


@dataclass(frozen=True)
class TooClose:
    """``day`` is nearer than ``min_gap_weeks`` to ``neighbour``; ``earliest`` is the first
    date on or after the ``not_before`` given that keeps the gap to every held session."""

    day: date
    neighbour: HeldSession
    min_gap_weeks: int
    earliest: date


def earliest_spaced(*, not_before: date, held: Iterable[HeldSession], min_gap_weeks: int) -> date:
    """The first date on or after ``not_before`` at least the gap away from every held one.

    One pass in date order suffices: a candidate only ever moves later, and once it lies a
    full gap before a held session it lies a full gap before every later one too.
    """
    gap = _gap(min_gap_weeks)
    candidate = not_before
    for session in sorted(held, key=lambda s: s.day):
        if abs(candidate - session.day) < gap:
            candidate = session.day + gap
    return candidate


def check_spacing(
    *, day: date, held: Iterable[HeldSession], min_gap_weeks: int, not_before: date
) -> TooClose | None:
    """None when ``day`` keeps the minimum gap to every held session of the course; else the
    nearest session it is too close to and the earliest date (from ``not_before``) that is
    not."""
    gap = _gap(min_gap_weeks)
    sessions = list(held)
    too_close = [s for s in sessions if abs(day - s.day) < gap]
    if not too_close:
        return None
    nearest = min(too_close, key=lambda s: (abs(day - s.day), s.day))
    return TooClose(
        day=day,
        neighbour=nearest,
        min_gap_weeks=min_gap_weeks,
        earliest=earliest_spaced(not_before=not_before, held=sessions, min_gap_weeks=min_gap_weeks),
    )


def _gap(min_gap_weeks: int) -> timedelta:
    if min_gap_weeks < 1:
        raise DomainError("the minimum gap is at least one week", code="invalid_series")
    return timedelta(weeks=min_gap_weeks)
