"""Each report as a page reads it: charts, tables in words, and the rows of its CSV."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import wraps
from typing import Any

from needlepoint.clinic.models import Location
from needlepoint.core.labels import count_words
from needlepoint.domain.reports import Ratio, weeks_between

from . import figures
from .database import planned_for_reports
from .plots import Chart, bar_chart
from .utilisation import KINDS, ONE_OF_KIND, totals_by_kind, utilisation


@dataclass(frozen=True)
class Table:
    caption: str
    columns: list[str]
    rows: list[list[Any]]


@dataclass
class Report:
    name: str
    title: str
    lead: str
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    summary: list[tuple[str, str]] = field(default_factory=list)


def percent_words(ratio: Ratio) -> str:
    return "no figure" if ratio.percent is None else f"{ratio.percent:g}%"


def week_words(monday: date) -> str:
    return f"{monday.day} {monday:%b %Y}"


def _utilisation(start: date, end: date, locations: list[Location], group: bool) -> Report:
    rows = utilisation(start=start, end=end, locations=locations)
    report = Report(
        "utilisation",
        "Utilisation",
        "Booked time over working time, week by week (weeks start on Monday).",
    )
    for kind, weeks in totals_by_kind(rows, weeks_between(start, end)).items():
        report.charts.append(
            bar_chart(
                f"{KINDS[kind]}: booked time over working time",
                f"One bar per week from {week_words(weeks[0].week)}; the height is the share "
                "of working time that was booked.",
                [(week_words(w.week), w.share.percent) for w in weeks],
                top=100,
            )
        )
    mondays = weeks_between(start, end)
    report.tables.append(
        Table(
            "Utilisation by week, for each clinician, room and pen",
            ["What", "Name", "Location", *(f"Week of {week_words(w)}" for w in mondays)],
            [
                [ONE_OF_KIND[row.kind], row.name, row.location]
                + [percent_words(w.share) for w in row.weeks]
                for row in rows
            ],
        )
    )
    return report


def _attendance(start: date, end: date, locations: list[Location], group: bool) -> Report:
    weeks = figures.attendance(start=start, end=end, locations=locations)
    due = sum(w.due for w in weeks)
    no_shows = Ratio(sum(w.no_shows for w in weeks), due)
    late = Ratio(sum(w.late_cancellations for w in weeks), due)
    report = Report(
        "attendance",
        "No-shows and late cancellations",
        "Of the appointments due (kept, missed, or cancelled too late to rebook), how many "
        "were missed and how many were cancelled late.",
        summary=[
            ("No-show rate", f"{percent_words(no_shows)} ({no_shows.part} of {due})"),
            ("Late-cancellation rate", f"{percent_words(late)} ({late.part} of {due})"),
        ],
    )
    report.charts.append(
        bar_chart(
            "No-show rate by week",
            "One bar per week: no-shows over appointments due that week.",
            [(week_words(w.week), Ratio(w.no_shows, w.due).percent) for w in weeks],
        )
    )
    report.charts.append(
        bar_chart(
            "Late-cancellation rate by week",
            "One bar per week: late cancellations over appointments due that week.",
            [(week_words(w.week), Ratio(w.late_cancellations, w.due).percent) for w in weeks],
        )
    )
    report.tables.append(
        Table(
            "Appointments by week",
            [
                "Week of",
                "Kept",
                "No-shows",
                "Cancelled late",
                "Cancelled in time",
                "No-show rate",
                "Late-cancellation rate",
            ],
            [
                [
                    week_words(w.week),
                    w.completed,
                    w.no_shows,
                    w.late_cancellations,
                    w.early_cancellations,
                    percent_words(Ratio(w.no_shows, w.due)),
                    percent_words(Ratio(w.late_cancellations, w.due)),
                ]
                for w in weeks
            ],
        )
    )
    return report


def _rebooking(start: date, end: date, locations: list[Location], group: bool) -> Report:
    weeks = figures.rebooking(start=start, end=end, locations=locations)
    total = Ratio(sum(w.rebooked for w in weeks), sum(w.visits for w in weeks))
    report = Report(
        "rebooking",
        "Rebooking",
        "Of the visits patients came to (leaving out a course's last session), how many "
        "left with their next appointment booked.",
        summary=[("Rebooking rate", f"{percent_words(total)} ({total.part} of {total.whole})")],
    )
    report.charts.append(
        bar_chart(
            "Rebooking rate by week",
            "One bar per week: visits whose patient left with a next appointment booked.",
            [(week_words(w.week), Ratio(w.rebooked, w.visits).percent) for w in weeks],
            top=100,
        )
    )
    report.tables.append(
        Table(
            "Visits and rebookings by week",
            ["Week of", "Visits", "Left with a next appointment", "Rebooking rate"],
            [
                [
                    week_words(w.week),
                    w.visits,
                    w.rebooked,
                    percent_words(Ratio(w.rebooked, w.visits)),
                ]
                for w in weeks
            ],
        )
    )
    return report


def _days(value: float | None) -> str:
    return "no figure" if value is None else f"{value:g} days"


def _courses(start: date, end: date, locations: list[Location], group: bool) -> Report:
    found = figures.courses(start=start, end=end, locations=locations)
    spacing = found.spacing
    report = Report(
        "courses",
        "Course completion",
        "Courses that began in these dates: sessions done over sessions planned, and the time "
        "between sessions against the plan's spacing.",
        summary=[
            ("Courses begun", str(found.courses)),
            (
                "Sessions done over planned",
                f"{percent_words(found.completion)} ({found.done} of {found.planned})",
            ),
            ("Mean time between sessions", _days(spacing.mean_days)),
            ("Mean spacing the plans asked for", _days(spacing.mean_planned_days)),
            (
                "Sessions within a week of the plan's spacing",
                f"{percent_words(spacing.on_time)} ({spacing.on_time.part} of {spacing.gaps})",
            ),
        ],
    )
    report.charts.append(
        bar_chart(
            "Course completion and spacing",
            "Two bars: sessions done over planned, and sessions within a week of the plan's "
            "spacing.",
            [
                ("Sessions done", found.completion.percent),
                ("Sessions on time", spacing.on_time.percent),
            ],
            top=100,
        )
    )
    report.tables.append(Table("Courses", ["Figure", "Value"], [list(r) for r in report.summary]))
    return report


def _funnel(start: date, end: date, locations: list[Location], group: bool) -> Report:
    steps = figures.funnel(start=start, end=end, locations=locations, group=group)
    report = Report(
        "funnel",
        "From online screening to first session",
        "People who screened themselves online in these dates, how many had a consultation "
        "from that screening, and how many then had a first treatment session.",
    )
    report.charts.append(
        bar_chart(
            "New patients, step by step",
            "One bar per step: the number of people who reached it.",
            [(step.label, float(step.count)) for step in steps],
            unit="",
        )
    )
    report.tables.append(
        Table(
            "The steps",
            ["Step", "People", "Of those screened", "Of the step before"],
            [
                [s.label, s.count, percent_words(s.of_first), percent_words(s.of_previous)]
                for s in steps
            ],
        )
    )
    return report


def _outcomes(start: date, end: date, locations: list[Location], group: bool) -> Report:
    found = figures.outcomes(start=start, end=end, locations=locations)
    per_hundred = found.adverse_per_hundred
    report = Report(
        "grades",
        "Grade change and adverse events",
        "Grade change since the first grading, by the number of sessions completed when the "
        "patient was graded; adverse events per 100 sessions.",
        summary=[
            (
                "Adverse events per 100 sessions",
                "no figure"
                if per_hundred is None
                else f"{per_hundred:g} ({found.adverse_events} in {found.sessions} sessions)",
            )
        ],
    )
    report.charts.append(
        bar_chart(
            "Grades better than the first grading, by sessions completed",
            "One bar per number of sessions completed: the mean number of grades better.",
            [(count_words(g.sessions, "session"), g.mean_steps) for g in found.grade_change],
            unit="",
        )
    )
    report.tables.append(
        Table(
            "Grade change by sessions completed",
            ["Sessions completed", "Gradings", "Mean grades better"],
            [[g.sessions, g.assessments, f"{g.mean_steps:g}"] for g in found.grade_change],
        )
    )
    return report


Builder = Callable[[date, date, list[Location], bool], Report]


def _planned(build: Builder) -> Builder:
    """``build`` with its reads planned for a report (database.planned_for_reports)."""

    @wraps(build)
    def planned(start: date, end: date, locations: list[Location], group: bool) -> Report:
        with planned_for_reports():
            return build(start, end, locations, group)

    return planned


REPORTS: dict[str, tuple[str, Builder]] = {
    "utilisation": ("Utilisation of aestheticians, rooms and pens", _planned(_utilisation)),
    "attendance": ("No-shows and late cancellations", _planned(_attendance)),
    "rebooking": ("Rebooking", _planned(_rebooking)),
    "courses": ("Course completion", _planned(_courses)),
    "funnel": ("From online screening to first session", _planned(_funnel)),
    "grades": ("Grade change and adverse events", _planned(_outcomes)),
}
