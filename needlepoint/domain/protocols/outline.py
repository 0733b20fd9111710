"""A course of micro-needling in outline, for the public pages' picture (decision 0512).

Every number comes from the protocol table: the fewest and most sessions its courses
recommend, how far apart, when change shows after a session, the outcome visits after the
last session and how often maintenance follows. The "typical" course (the commonest
default) is the one the picture draws.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from needlepoint.domain.protocols.table import ProtocolTable

NEXT_SESSION = "next_session"
WEEKS_PER_MONTH = 52 / 12


@dataclass(frozen=True)
class CourseOutline:
    sessions: tuple[int, int]
    interval_weeks: tuple[int, int]
    typical_sessions: int
    typical_interval_weeks: int
    change_shows_days: tuple[int, int] | None
    outcome_months: tuple[int, ...]
    maintenance_months: tuple[int, int]

    def session_months(self, first: float) -> tuple[float, ...]:
        """When the typical course's sessions fall, in months after the consultation."""
        step = self.typical_interval_weeks / WEEKS_PER_MONTH
        return tuple(first + i * step for i in range(self.typical_sessions))


def _commonest(values: list[int]) -> int:
    """The most frequent value; the smaller one on a tie (the lighter course)."""
    counted = Counter(values)
    return min(counted, key=lambda v: (-counted[v], v))


def course_outline(table: ProtocolTable) -> CourseOutline:
    courses = list(table.courses.values())
    sessions = [c.sessions for c in courses]
    intervals = [c.interval_weeks for c in courses]
    maintenance = [c.maintenance_months for c in courses]
    change = next(
        (
            (s.first_day, s.last_day)
            for s in table.follow_up.after_session
            if s.kind == NEXT_SESSION
        ),
        None,
    )
    return CourseOutline(
        sessions=(min(sessions), max(sessions)),
        interval_weeks=(min(intervals), max(intervals)),
        typical_sessions=_commonest(sessions),
        typical_interval_weeks=_commonest(intervals),
        change_shows_days=change,
        outcome_months=tuple(sorted({f.months for f in table.follow_up.after_course})),
        maintenance_months=(min(maintenance), max(maintenance)),
    )
