"""The course of micro-needling as a picture, drawn on the server from the protocol table
(decision 0512): consultation, the sessions and their spacing, results building over the
months after the last session (with the outcome visits) and maintenance.

``course_picture`` returns the numbers the template draws with (an SVG for wide screens) and
the steps in words (a list every screen shows: on a phone it is the picture, drawn by CSS).
The axis is in months but broken in three: the course, the months of results, and the
stretch to maintenance, so a 2-month course is not a speck beside a year.
"""

from __future__ import annotations

from dataclasses import dataclass

from needlepoint.core.labels import count_words
from needlepoint.domain.protocols import CourseOutline, course_outline

from .clinic_data import current_protocols

AXIS_Y = 230
FIRST_SESSION_MONTHS = 0.5  # the first session a couple of weeks after the consultation
# x of: the consultation, the first and last sessions, the last outcome visit, the axis's
# break, and maintenance (the viewBox is 1000 wide).
START_X, FIRST_X, COURSE_END_X, RESULTS_END_X, BREAK_X, MAINTENANCE_X = 60, 180, 440, 770, 840, 935
TOP_Y = 110  # the results curve's height when fully built


@dataclass(frozen=True)
class Step:
    kind: str
    title: str
    text: str


@dataclass(frozen=True)
class Mark:
    x: float
    label: str


def _range_words(low: int, high: int, unit: str) -> str:
    """(2, 6, "session") → "2 to 6 sessions"; (12, 12, "month") → "12 months"."""
    return count_words(high, unit) if low == high else f"{low} to {count_words(high, unit)}"


def _list_words(numbers: tuple[int, ...]) -> str:
    """(1, 3, 6) → "1, 3 and 6"."""
    words = [str(n) for n in numbers]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _maintenance_words(outline: CourseOutline) -> str:
    low, high = outline.maintenance_months
    return "once a year" if low == high == 12 else f"every {_range_words(low, high, 'month')}"


def course_steps(outline: CourseOutline, consultation_text: str) -> list[Step]:
    change = ""
    if outline.change_shows_days is not None:
        first, last = (round(d / 7) for d in outline.change_shows_days)
        change = f"Change begins to show {_range_words(first, last, 'week')} after a session "
        change += "and keeps building as new collagen forms."
    visits = ""
    if outline.outcome_months:
        visits = (
            f" We compare photos {_list_words(outline.outcome_months)} "
            f"{'month' if outline.outcome_months == (1,) else 'months'} after your last session."
        )
    return [
        Step("consultation", "Consultation", consultation_text),
        Step(
            "course",
            "A course of sessions",
            f"Usually {_range_words(*outline.sessions, 'session')}, "
            f"{_range_words(*outline.interval_weeks, 'week')} apart; how many depends on your "
            "skin and what you would like to improve.",
        ),
        Step("results", "Results build over months", (change + visits).strip()),
        Step(
            "maintenance",
            "Maintenance",
            f"One session {_maintenance_words(outline)} keeps the results.",
        ),
    ]


def _x(months: float, last_session: float, last_visit: float, maintenance: float) -> float:
    """Months after the consultation → x on the broken axis."""
    if months <= 0:
        return START_X
    if months <= last_session:
        share = (months - FIRST_SESSION_MONTHS) / max(last_session - FIRST_SESSION_MONTHS, 0.1)
        return FIRST_X + max(share, 0) * (COURSE_END_X - FIRST_X)
    after = months - last_session
    if after <= last_visit:
        return COURSE_END_X + after / last_visit * (RESULTS_END_X - COURSE_END_X)
    share = (after - last_visit) / max(maintenance - last_visit, 1)
    return BREAK_X + 20 + share * (MAINTENANCE_X - BREAK_X - 20)


def course_picture(consultation_text: str) -> dict[str, object]:
    outline = course_outline(current_protocols())
    sessions = outline.session_months(FIRST_SESSION_MONTHS)
    last = sessions[-1]
    last_visit = float(max(outline.outcome_months, default=6))
    maintenance = float(outline.maintenance_months[1])

    def x(months: float) -> float:
        return round(_x(months, last, last_visit, maintenance), 1)

    dots = [Mark(x(m), str(n)) for n, m in enumerate(sessions, start=1)]
    visits = [Mark(x(last + m), count_words(m, "month")) for m in outline.outcome_months]
    start, top_end = dots[0].x, x(last + last_visit)
    # Results: nothing at the first session, most of it by the last outcome visit, a little
    # more by maintenance (collagen keeps remodelling for about a year).
    rise = (
        f"M{start},{AXIS_Y} C{start + (top_end - start) * 0.45},{AXIS_Y} "
        f"{start + (top_end - start) * 0.55},{TOP_Y + 18} {top_end},{TOP_Y + 8} "
        f"L{MAINTENANCE_X - 24},{TOP_Y}"
    )
    steps = course_steps(outline, consultation_text)
    gap = dots[1].x if len(dots) > 1 else dots[0].x + 60
    return {
        "steps": steps,
        "summary": " ".join(f"{s.title}: {s.text}" for s in steps),
        "axis_y": AXIS_Y,
        "start_x": START_X,
        "dots": dots,
        "gap": {"from": dots[0].x, "to": gap, "mid": (dots[0].x + gap) / 2},
        "interval_words": f"{_range_words(*outline.interval_weeks, 'week')} apart",
        "sessions_words": _range_words(*outline.sessions, "session"),
        "visits": visits,
        "visits_mid": (visits[0].x + visits[-1].x) / 2 if visits else RESULTS_END_X,
        # The curve's line, and the same closed down to the axis for its shading.
        "rise": rise,
        "area": f"{rise} L{MAINTENANCE_X - 24},{AXIS_Y} Z",
        "course_mid": (FIRST_X + COURSE_END_X) / 2,
        "results_mid": (COURSE_END_X + RESULTS_END_X) / 2,
        "break_x": BREAK_X,
        "maintenance_x": MAINTENANCE_X,
        "maintenance_words": _maintenance_words(outline),
        "mini_dots": [12 + i * 14 for i in range(min(outline.typical_sessions, 5))],
    }
