"""The clinic reports' figures, as pure functions over counts and plain rows.

The database does the counting (grouped by week or by location); these functions turn the
counts into the figures that docs/reports.md defines, so a figure's definition lives in one
place and is tested without a database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from .time import Interval

# A session counts as on time when it falls within this many days of the plan's spacing.
ON_TIME_TOLERANCE_DAYS = 7


@dataclass(frozen=True)
class Ratio:
    """``part`` out of ``whole``; no value when there is nothing to divide by."""

    part: int
    whole: int

    @property
    def value(self) -> float | None:
        return self.part / self.whole if self.whole else None

    @property
    def percent(self) -> float | None:
        value = self.value
        return None if value is None else round(value * 100, 1)


def week_start(day: date) -> date:
    """The Monday of ``day``'s week (weeks run Monday to Sunday)."""
    return day - timedelta(days=day.weekday())


def weeks_between(start: date, end: date) -> list[date]:
    """The Mondays of every week that has a day from ``start`` to ``end`` (both included)."""
    weeks = []
    monday = week_start(start)
    while monday <= end:
        weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


def minutes_by_week(intervals: Iterable[Interval], zone: ZoneInfo) -> dict[date, int]:
    """Minutes of ``intervals`` per local week, each interval counted in the week it starts in
    (working blocks never cross a local midnight)."""
    totals: dict[date, int] = {}
    for interval in intervals:
        week = week_start(interval.start.astimezone(zone).date())
        minutes = int(interval.duration.total_seconds() // 60)
        totals[week] = totals.get(week, 0) + minutes
    return totals


@dataclass(frozen=True)
class UtilisationWeek:
    week: date
    booked_minutes: int
    working_minutes: int

    @property
    def share(self) -> Ratio:
        return Ratio(self.booked_minutes, self.working_minutes)


def utilisation_by_week(
    weeks: Sequence[date], booked: Mapping[date, int], working: Mapping[date, int]
) -> list[UtilisationWeek]:
    """Booked minutes over working minutes for each week (weeks with neither are kept, as 0
    over 0, so a chart's weeks line up)."""
    return [UtilisationWeek(week, booked.get(week, 0), working.get(week, 0)) for week in weeks]


def per_hundred(count: int, sessions: int) -> float | None:
    """``count`` per 100 sessions, to one decimal; no value without sessions."""
    return round(count * 100 / sessions, 1) if sessions else None


@dataclass(frozen=True)
class FunnelStep:
    label: str
    count: int
    of_first: Ratio
    of_previous: Ratio


def funnel(steps: Sequence[tuple[str, int]]) -> list[FunnelStep]:
    """Each step's count, as a share of the first step and of the step before it."""
    if not steps:
        return []
    first = steps[0][1]
    out = []
    previous = first
    for label, count in steps:
        out.append(FunnelStep(label, count, Ratio(count, first), Ratio(count, previous)))
        previous = count
    return out


@dataclass(frozen=True)
class SessionGap:
    """The days between two consecutive sessions of a course, and the plan's spacing."""

    days: int
    planned_days: int


def session_gaps(rows: Iterable[tuple[int, int, date, int]]) -> list[SessionGap]:
    """Gaps between consecutive completed sessions of each course.

    ``rows`` are (course, session number, local date, the plan's interval in weeks). A gap
    is counted only between session n-1 and n when both were completed.
    """
    done: dict[tuple[int, int], tuple[date, int]] = {}
    for course, number, day, interval_weeks in rows:
        done[(course, number)] = (day, interval_weeks)
    gaps = []
    for (course, number), (day, interval_weeks) in sorted(done.items()):
        before = done.get((course, number - 1))
        if before is not None:
            gaps.append(SessionGap((day - before[0]).days, interval_weeks * 7))
    return gaps


@dataclass(frozen=True)
class Spacing:
    gaps: int
    mean_days: float | None
    mean_planned_days: float | None
    on_time: Ratio


def spacing(gaps: Sequence[SessionGap]) -> Spacing:
    """Mean days between sessions against the plan's, and the share within the tolerance."""
    if not gaps:
        return Spacing(0, None, None, Ratio(0, 0))
    on_time = sum(1 for gap in gaps if abs(gap.days - gap.planned_days) <= ON_TIME_TOLERANCE_DAYS)
    return Spacing(
        gaps=len(gaps),
        mean_days=round(sum(gap.days for gap in gaps) / len(gaps), 1),
        mean_planned_days=round(sum(gap.planned_days for gap in gaps) / len(gaps), 1),
        on_time=Ratio(on_time, len(gaps)),
    )


@dataclass(frozen=True)
class GradeChange:
    sessions: int
    assessments: int
    mean_steps: float | None


def grade_change_by_sessions(rows: Iterable[tuple[int, int]]) -> list[GradeChange]:
    """Mean grade steps improved, grouped by sessions completed at the assessment.

    ``rows`` are (sessions completed, grade steps better than baseline).
    """
    groups: dict[int, list[int]] = {}
    for sessions, steps in rows:
        groups.setdefault(sessions, []).append(steps)
    return [
        GradeChange(sessions, len(steps), round(sum(steps) / len(steps), 2))
        for sessions, steps in sorted(groups.items())
    ]
