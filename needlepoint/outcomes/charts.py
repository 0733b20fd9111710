"""Chart geometry for the hand-written SVG templates (docs/decisions/0145-svg-plots.md).

No charting library: two small charts do not justify a dependency, SVG rendered on the
server needs no script (the CSP forbids inline scripts anyway), and the same numbers fill
the accessible table next to each chart.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from needlepoint.domain.outcomes import ConcernReport, GradePoint
from needlepoint.domain.protocols import GRADES

from .wording import on_day as _day

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 90, 45, 20, 50


def words(code: str) -> str:
    """``outcome_3m`` -> "Outcome 3m"; ``acne_scars`` -> "Acne scars"."""
    return code.replace("_", " ").capitalize()


@dataclass(frozen=True)
class Tick:
    pos: float
    label: str


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class GradeChart:
    concern: str
    label: str
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]
    dots: tuple[Dot, ...]
    path: str
    sessions: tuple[Tick, ...]


def x_scale(first: date, last: date) -> tuple[float, float]:
    """Where day `first` sits and how far one day is, across the plot's width."""
    span = max((last - first).days, 1)
    return float(LEFT), (WIDTH - LEFT - RIGHT) / span


def line_path(dots: Sequence[Dot]) -> str:
    """The SVG path through the dots, in order."""
    return " ".join(f"{'M' if i == 0 else 'L'}{d.x},{d.y}" for i, d in enumerate(dots))


def session_ticks(
    session_days: Sequence[date], first: date, last: date, x_of: Callable[[date], float]
) -> tuple[Tick, ...]:
    """The treatment sessions inside the plotted days, labelled with their day in words."""
    return tuple(Tick(x_of(d), _day(d)) for d in sorted(session_days) if first <= d <= last)


def grade_chart(
    concern: str, points: Sequence[GradePoint], session_days: Sequence[date], *, today: date
) -> GradeChart:
    """Grade over time: the mildest grade at the bottom, sessions as vertical lines (an empty
    chart spans ``today``, the caller's clinic day)."""
    scale = [g for g in GRADES.get(concern, ()) if g is not None] or ["—"]
    days = [p.on for p in points] + list(session_days)
    first, last = (min(days), max(days)) if days else (today, today)
    x0, per_day = x_scale(first, last)
    plot_h = HEIGHT - TOP - BOTTOM
    step = plot_h / max(len(scale) - 1, 1)

    def y_of(grade: str | None) -> float:
        index = scale.index(grade) if grade in scale else 0
        return HEIGHT - BOTTOM - index * step

    def x_of(day: date) -> float:
        return round(x0 + (day - first).days * per_day, 1)

    dots = tuple(
        Dot(
            x_of(p.on),
            round(y_of(p.grade), 1),
            f"{_day(p.on)}: {p.grade or '—'} ({p.kind.replace('_', ' ')})",
        )
        for p in points
    )
    path = line_path(dots)
    month_ticks: list[Tick] = []
    cursor = date(first.year, first.month, 1)
    while cursor <= last:
        if cursor >= first:
            month_ticks.append(Tick(x_of(cursor), cursor.strftime("%b %Y")))
        cursor = date(cursor.year + (cursor.month == 12), cursor.month % 12 + 1, 1)
    if len(month_ticks) > 8:
        keep = len(month_ticks) // 8 + 1
        month_ticks = month_ticks[::keep]
    return GradeChart(
        concern=concern,
        label=words(concern),
        width=WIDTH,
        height=HEIGHT,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        plot_top=TOP,
        plot_bottom=HEIGHT - BOTTOM,
        y_ticks=tuple(Tick(round(y_of(g), 1), g) for g in scale),
        x_ticks=tuple(month_ticks),
        dots=dots,
        path=path,
        sessions=session_ticks(session_days, first, last, x_of),
    )


@dataclass(frozen=True)
class Bar:
    x: float
    width: float
    center: float
    y_all: float
    h_all: float
    y_improved: float
    h_improved: float
    label: str
    title: str


@dataclass(frozen=True)
class ReportChart:
    concern: str
    label: str
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    bars: tuple[Bar, ...]
    y_ticks: tuple[Tick, ...]


def report_chart(report: ConcernReport) -> ReportChart:
    """Per number of sessions: a bar of all patients with the improved part filled."""
    height = 240
    plot_bottom = height - BOTTOM
    plot_h = plot_bottom - TOP
    most = max((r.patients for r in report.rows), default=1) or 1
    slot = (WIDTH - LEFT - RIGHT) / max(len(report.rows), 1)
    bars = []
    for i, row in enumerate(report.rows):
        h_all = plot_h * row.patients / most
        h_imp = plot_h * row.improved / most
        bar_width = min(slot * 0.6, 64.0)
        center = LEFT + i * slot + slot / 2
        bars.append(
            Bar(
                x=round(center - bar_width / 2, 1),
                width=round(bar_width, 1),
                center=round(center, 1),
                y_all=round(plot_bottom - h_all, 1),
                h_all=round(h_all, 1),
                y_improved=round(plot_bottom - h_imp, 1),
                h_improved=round(h_imp, 1),
                label=str(row.sessions),
                title=f"{row.sessions} sessions: {row.improved} of {row.patients} improved",
            )
        )
    ticks = sorted({0, most, most // 2})
    return ReportChart(
        concern=report.concern,
        label=words(report.concern),
        width=WIDTH,
        height=height,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        plot_top=TOP,
        plot_bottom=plot_bottom,
        bars=tuple(bars),
        y_ticks=tuple(Tick(round(plot_bottom - plot_h * t / most, 1), str(t)) for t in ticks),
    )
