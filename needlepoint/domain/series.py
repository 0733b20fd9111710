"""A course of N sessions: the earliest chain of free slots with every gap in the window.

Gaps are counted in local calendar days between session dates (weeks x 7), so a course that
crosses a DST change still lands on the same weekday. Because the minimum gap is at least a
week, sessions never compete for time with each other: each only has to be a free slot.

Tie-breaking, which is also the order a backtracking search would try things in:

1. the earliest first session that can start a complete chain;
2. each next session on the date nearest to the default interval after the previous one
   (equally near: the earlier date), among dates from which the rest can still be placed;
3. on a chosen date, the earliest preferred slot (and, at one start, the first given).

Instead of backtracking, a backward pass marks, for every session and date, whether the rest
of the course fits after it; choices then never need undoing, and the work is linear in the
number of sessions times the number of dates with a slot.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from needlepoint.domain.availability import Slot
from needlepoint.domain.errors import DomainError
from needlepoint.domain.time import as_utc

SlotSource = Sequence[Slot] | Callable[[date, date], Sequence[Slot]]
_WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class SeriesPreferences:
    """What the patient asked for; a slot must satisfy every preference that is set.

    The time window applies to the local start time: ``time_from`` <= start < ``time_until``.
    """

    staff: str | None = None
    weekdays: Collection[int] | None = None
    time_from: time | None = None
    time_until: time | None = None

    def __post_init__(self) -> None:
        if self.weekdays is not None:
            if not set(self.weekdays) <= set(range(7)):
                raise DomainError("weekdays are 0 (Monday) to 6", code="invalid_preferences")
            object.__setattr__(self, "weekdays", frozenset(self.weekdays))
        if (
            self.time_from is not None
            and self.time_until is not None
            and not self.time_from < self.time_until
        ):
            raise DomainError(
                "the time window must end after it starts", code="invalid_preferences"
            )

    def accepts(self, slot: Slot, zone: ZoneInfo) -> bool:
        local = slot.start.astimezone(zone)
        return (
            (self.staff is None or slot.staff == self.staff)
            and (self.weekdays is None or local.weekday() in self.weekdays)
            and (self.time_from is None or local.time() >= self.time_from)
            and (self.time_until is None or local.time() < self.time_until)
        )

    def describe(self) -> str:
        parts = []
        if self.staff is not None:
            parts.append(f"staff {self.staff}")
        if self.weekdays is not None:
            parts.append("on " + "/".join(_WEEKDAY_NAMES[day] for day in sorted(self.weekdays)))
        if self.time_from is not None or self.time_until is not None:
            start = self.time_from.strftime("%H:%M") if self.time_from else "start of day"
            until = self.time_until.strftime("%H:%M") if self.time_until else "end of day"
            parts.append(f"starting {start}-{until}")
        return ", ".join(parts)


@dataclass(frozen=True)
class SeriesPlan:
    slots: tuple[Slot, ...]
    gaps_days: tuple[int, ...]


@dataclass(frozen=True)
class SeriesFailure:
    """``session`` is 1-based; ``placed`` is the best chain of the sessions before it.

    ``code`` is one of ``no_free_slot``, ``no_slot_matching_preferences``, ``beyond_horizon``.
    The window is the one after ``placed``; no other arrangement of those sessions helps.
    """

    session: int
    code: str
    reason: str
    window_start: date
    window_end: date
    placed: tuple[Slot, ...]


def plan_series(
    *,
    sessions: int,
    interval_default_weeks: int,
    interval_min_weeks: int,
    interval_max_weeks: int,
    earliest_start: datetime,
    horizon_end: datetime,
    slots: SlotSource,
    zone: ZoneInfo,
    preferences: SeriesPreferences | None = None,
) -> SeriesPlan | SeriesFailure:
    """The earliest course of ``sessions`` slots starting in [earliest_start, horizon_end).

    ``slots`` are free slots (each individually conflict-free), or a function the planner
    calls once with the local first and last date (both included) to get them. Pass every
    (start, staff) combination when a staff preference is set, or the preferred member may be
    hidden behind a colleague offered at the same start.
    """
    if sessions < 1:
        raise DomainError("a course has at least one session", code="invalid_series")
    if not 1 <= interval_min_weeks <= interval_default_weeks <= interval_max_weeks:
        raise DomainError(
            "intervals must satisfy 1 <= min <= default <= max weeks",
            code="invalid_series",
        )
    earliest, horizon = (
        as_utc(earliest_start, "earliest_start"),
        as_utc(horizon_end, "horizon_end"),
    )
    if not earliest < horizon:
        raise DomainError("the horizon must end after the earliest start", code="invalid_series")
    preferences = preferences or SeriesPreferences()
    first_day = earliest.astimezone(zone).date()
    last_day = (horizon - timedelta(microseconds=1)).astimezone(zone).date()
    supplied = slots(first_day, last_day) if callable(slots) else slots
    in_range = sorted(
        (slot for slot in supplied if earliest <= slot.start < horizon),
        key=lambda s: s.start,
    )

    course = _Course(
        by_day=_earliest_per_day(
            (slot for slot in in_range if preferences.accepts(slot, zone)), zone
        ),
        min_gap=7 * interval_min_weeks,
        default_gap=7 * interval_default_weeks,
        max_gap=7 * interval_max_weeks,
    )
    chain = course.best_chain(sessions)
    if chain is not None:
        return course.plan(chain)
    return course.explain_failure(sessions, in_range, preferences, zone, first_day, last_day)


def _earliest_per_day(slots: Iterable[Slot], zone: ZoneInfo) -> dict[date, Slot]:
    by_day: dict[date, Slot] = {}
    for slot in slots:
        by_day.setdefault(slot.start.astimezone(zone).date(), slot)
    return by_day


class _Course:
    """Free dates (with their chosen slot) and the gap rules, in local calendar days."""

    def __init__(self, by_day: dict[date, Slot], min_gap: int, default_gap: int, max_gap: int):
        self.by_day = by_day
        self.days = sorted(by_day)
        self.min_gap, self.default_gap, self.max_gap = min_gap, default_gap, max_gap

    def _window(self, day: date) -> tuple[date, date]:
        return day + timedelta(days=self.min_gap), day + timedelta(days=self.max_gap)

    def _within_window(self, day: date, candidates: list[date]) -> list[date]:
        first, last = self._window(day)
        return candidates[bisect_left(candidates, first) : bisect_right(candidates, last)]

    def _finishable(self, sessions: int) -> list[list[date]]:
        """For each session, the dates it can be held on with the rest still fitting after."""
        days = self.days
        finishable = [days]
        for _ in range(sessions - 1):
            later = finishable[0]
            finishable.insert(0, [day for day in days if self._within_window(day, later)])
        return finishable

    def best_chain(self, sessions: int) -> list[date] | None:
        finishable = self._finishable(sessions)
        if not finishable[0]:
            return None
        chain = [finishable[0][0]]
        for options in finishable[1:]:
            previous = chain[-1]
            chain.append(
                min(
                    self._within_window(previous, options),
                    key=lambda day: (
                        abs((day - previous).days - self.default_gap),
                        day,
                    ),
                )
            )
        return chain

    def plan(self, chain: list[date]) -> SeriesPlan:
        gaps = tuple((later - earlier).days for earlier, later in pairwise(chain))
        return SeriesPlan(slots=tuple(self.by_day[day] for day in chain), gaps_days=gaps)

    def _has_predecessor(self, day: date, earlier: list[date]) -> bool:
        index = bisect_left(earlier, day - timedelta(days=self.max_gap))
        return index < len(earlier) and earlier[index] <= day - timedelta(days=self.min_gap)

    def _placeable_count(self, sessions: int) -> int:
        """How many leading sessions some chain can hold (forward reachability)."""
        reachable = self.days
        for count in range(sessions):
            if not reachable:
                return count
            earlier = reachable
            reachable = [day for day in self.days if self._has_predecessor(day, earlier)]
        return sessions

    def explain_failure(
        self,
        sessions: int,
        in_range: Sequence[Slot],
        preferences: SeriesPreferences,
        zone: ZoneInfo,
        first_day: date,
        last_day: date,
    ) -> SeriesFailure:
        placed_count = self._placeable_count(sessions)
        placed_days = self.best_chain(placed_count) if placed_count else []
        placed = tuple(self.by_day[day] for day in placed_days or [])
        session = placed_count + 1
        if placed_days:
            window_start, window_end = self._window(placed_days[-1])
        else:
            window_start, window_end = first_day, last_day

        def fail(code: str, reason: str) -> SeriesFailure:
            message = f"session {session}: {reason}"
            return SeriesFailure(session, code, message, window_start, window_end, placed)

        if window_start > last_day:
            return fail(
                "beyond_horizon",
                f"needs a date from {window_start} to {window_end}, "
                f"after the booking horizon ends on {last_day}",
            )
        searched_end = min(window_end, last_day)
        cut_short = f" (the booking horizon ends on {last_day})" if window_end > last_day else ""
        free_in_window = any(
            window_start <= slot.start.astimezone(zone).date() <= searched_end for slot in in_range
        )
        wanted = preferences.describe()
        if free_in_window and wanted:
            return fail(
                "no_slot_matching_preferences",
                f"no free slot between {window_start} and {searched_end} for {wanted}{cut_short}",
            )
        return fail(
            "no_free_slot",
            f"no free slot between {window_start} and {searched_end}{cut_short}",
        )
