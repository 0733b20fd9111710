"""The reports' counts, made by the database: one grouped query per figure and location.

Dates are local to each location: a range runs from the first day's midnight to the night
after the last day, in that location's time zone. Definitions: docs/reports.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby
from operator import itemgetter
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connections
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce

from needlepoint.charting.models import AdverseEvent
from needlepoint.clinic.clock import local_day_bounds
from needlepoint.clinic.models import Location
from needlepoint.domain import reports as figures
from needlepoint.domain.outcomes import grade_steps
from needlepoint.outcomes.models import Assessment
from needlepoint.scheduling.models import Appointment, AppointmentStatus
from needlepoint.screening.models import Consultation, Screening

from .local_weeks import LocalDate, NextUtcMidnight, PlusMinutes, all_zones

# A next appointment made within this long after a visit's end was booked "as they left".
CHECK_OUT_GRACE_MINUTES = 60
DONE = AppointmentStatus.COMPLETED


def _window(location: Location, start: date, end: date) -> tuple[datetime, datetime]:
    return local_day_bounds(location, start).start, local_day_bounds(location, end).end


@dataclass(frozen=True)
class AttendanceWeek:
    week: date
    completed: int
    no_shows: int
    late_cancellations: int
    early_cancellations: int

    @property
    def due(self) -> int:
        """Appointments the clinic held a slot for to the end: kept, missed or cancelled late."""
        return self.completed + self.no_shows + self.late_cancellations


def attendance(*, start: date, end: date, locations: list[Location]) -> list[AttendanceWeek]:
    mondays = figures.weeks_between(start, end)
    weeks = [[0, 0, 0, 0] for _ in mondays]
    zone = all_zones(locations, start, end)
    rows = (
        Appointment.objects.filter(zone.in_range())
        .annotate(week=zone.week_index())
        .values("week")
        .annotate(
            completed=Count("id", filter=Q(status=DONE)),
            no_shows=Count("id", filter=Q(status=AppointmentStatus.NO_SHOW)),
            late=Count("id", filter=Q(status=AppointmentStatus.CANCELLED, late_cancellation=True)),
            early=Count(
                "id", filter=Q(status=AppointmentStatus.CANCELLED, late_cancellation=False)
            ),
        )
        .order_by()
    )
    for row in rows:
        counts = weeks[row["week"]]
        counts[0] += row["completed"]
        counts[1] += row["no_shows"]
        counts[2] += row["late"]
        counts[3] += row["early"]
    return [AttendanceWeek(w, *counts) for w, counts in zip(mondays, weeks, strict=True)]


@dataclass(frozen=True)
class RebookingWeek:
    week: date
    visits: int
    rebooked: int


def rebooking(*, start: date, end: date, locations: list[Location]) -> list[RebookingWeek]:
    """Completed visits (not a course's last session) and those whose patient left with a
    next appointment booked."""
    check_out = PlusMinutes(OuterRef("end"), CHECK_OUT_GRACE_MINUTES)
    next_booked = Appointment.objects.filter(
        patient=OuterRef("patient"), start__gt=OuterRef("end"), created_at__lte=check_out
    ).exclude(cancelled_at__lte=check_out)
    mondays = figures.weeks_between(start, end)
    weeks = [[0, 0] for _ in mondays]
    zone = all_zones(locations, start, end)
    visits = Appointment.objects.filter(zone.in_range(), status=DONE).exclude(
        plan_session=F("plan__sessions")
    )
    # The rebooked visits as one uncorrelated set (PostgreSQL joins for it once and
    # hashes the ids; SQLite fills a temporary table once), counted in the same scan
    # as the visits: one query for all zones and both columns.
    rebooked = visits.filter(Exists(next_booked)).values("id")
    for week, visited, left_booked in (
        visits.annotate(week=zone.week_index())
        .values("week")
        .annotate(visits=Count("id"), rebooked=Count("id", filter=Q(id__in=rebooked)))
        .values_list("week", "visits", "rebooked")
        .order_by()
    ):
        weeks[week][0] += visited
        weeks[week][1] += left_booked
    return [RebookingWeek(w, *counts) for w, counts in zip(mondays, weeks, strict=True)]


@dataclass(frozen=True)
class Courses:
    courses: int
    planned: int
    done: int
    spacing: figures.Spacing

    @property
    def completion(self) -> figures.Ratio:
        return figures.Ratio(self.done, self.planned)


def courses(*, start: date, end: date, locations: list[Location]) -> Courses:
    """Courses whose first completed session fell in the range at one of ``locations``.

    One query: every completed session of the courses with a completed session in the
    range (earlier sessions included, so a course begun before the range is seen as such);
    the first session (earliest start, then lowest id), the distinct sessions done and the
    gaps are worked out here over those rows."""
    windows = {location.pk: _window(location, start, end) for location in locations}
    earliest = min(since for since, _ in windows.values())
    latest = max(until for _, until in windows.values())
    active = Appointment.objects.filter(
        status=DONE, plan__isnull=False, start__gte=earliest, start__lt=latest
    ).values("plan_id")
    sessions_of_active = Appointment.objects.filter(status=DONE, plan_id__in=Subquery(active))
    fields = ("plan_id", "location_id", "plan_session", "plan__sessions", "plan__interval_weeks")
    in_order = sessions_of_active.order_by("plan_id", "start", "id")
    rows: Iterator[tuple[Any, ...]]
    if connections[sessions_of_active.db].vendor == "postgresql":
        rows = iter(
            in_order.annotate(day=LocalDate("start", "location__time_zone")).values_list(
                *fields, "day"
            )
        )
    else:
        rows = (
            (*row[:5], _local_date(row[5], row[6]))
            for row in in_order.values_list(*fields, "start", "location__time_zone")
        )
    # Each course's rows come in order of start, then id: its first is its first session;
    # that session is in the range when its local date is, at a location of the list.
    total = [0, 0, 0]
    sessions: list[tuple[int, int, date, int]] = []
    for plan, plan_rows in groupby(rows, key=itemgetter(0)):
        _, where, _, planned, interval, first_day = first = next(plan_rows)
        if where not in windows or not start <= first_day <= end:
            continue
        done = [
            (number, day) for _, _, number, _, _, day in (first, *plan_rows) if number is not None
        ]
        total[0] += 1
        total[1] += planned
        total[2] += min(len({number for number, _ in done}), planned)
        sessions.extend((plan, number, day, interval) for number, day in done)
    gaps = figures.session_gaps(sessions)
    return Courses(total[0], total[1], total[2], figures.spacing(gaps))


def _local_date(at: datetime, zone_name: str) -> date:
    return at.astimezone(ZoneInfo(zone_name)).date()


def funnel(*, start: date, end: date, locations: list[Location], group: bool) -> list[Any]:
    """Online screenings in the range → a consultation recorded from one → a first completed
    treatment session. A screening belongs to the location of a booking made from it; for
    the whole group, screenings nobody booked from count too."""
    since = min(_window(loc, start, end)[0] for loc in locations)
    until = max(_window(loc, start, end)[1] for loc in locations)
    screenings = Screening.objects.filter(
        channel=Screening.Channel.ONLINE, created_at__gte=since, created_at__lt=until
    )
    if not group:
        screenings = screenings.filter(
            Exists(Appointment.objects.filter(screening=OuterRef("pk"), location__in=locations))
        )
    counted = screenings.annotate(
        consulted=Exists(Consultation.objects.filter(screening=OuterRef("pk"))),
        treated=Exists(
            Appointment.objects.filter(
                status=DONE,
                service__is_treatment=True,
                patient__consultations__screening=OuterRef("pk"),
            )
        ),
    ).aggregate(
        n_screened=Count("pk"),
        n_consulted=Count("pk", filter=Q(consulted=True)),
        n_treated=Count("pk", filter=Q(consulted=True, treated=True)),
    )
    return figures.funnel(
        [
            ("Online screenings", counted["n_screened"]),
            ("Consultations", counted["n_consulted"]),
            ("First sessions", counted["n_treated"]),
        ]
    )


@dataclass(frozen=True)
class Outcomes:
    grade_change: list[figures.GradeChange]
    adverse_events: int
    sessions: int

    @property
    def adverse_per_hundred(self) -> float | None:
        return figures.per_hundred(self.adverse_events, self.sessions)


def outcomes(*, start: date, end: date, locations: list[Location]) -> Outcomes:
    """Grade change by sessions completed at the grading, and adverse events per 100
    completed treatment sessions. A grading belongs to the location of the patient's last
    completed treatment on or before it."""
    treated = Appointment.objects.filter(
        patient=OuterRef("patient"),
        status=DONE,
        service__is_treatment=True,
        start__lt=NextUtcMidnight(OuterRef("assessed_on")),
    )
    sessions_done = treated.order_by().values("patient").annotate(n=Count("id")).values("n")
    graded = Assessment.objects.filter(grade__isnull=False)
    in_range = graded.filter(assessed_on__gte=start, assessed_on__lte=end)
    # Each patient's and concern's baseline (first grading by date, then id), read in one
    # ordered query over the graded patients' gradings instead of two correlated
    # subqueries per grading.
    baselines: dict[tuple[int, str], tuple[int, str | None]] = {}
    for patient, concern, pk, grade in (
        graded.filter(patient_id__in=in_range.values("patient_id"))
        .order_by("patient_id", "concern", "assessed_on", "id")
        .values_list("patient_id", "concern", "id", "grade")
    ):
        baselines.setdefault((patient, concern), (pk, grade))
    # The location is compared here, not in WHERE: a filter on an annotation repeats its
    # correlated subquery there.
    wanted = {loc.pk for loc in locations}
    rows = (
        in_range.annotate(
            sessions=Coalesce(Subquery(sessions_done, output_field=IntegerField()), 0),
            where=Subquery(treated.order_by("-start").values("location_id")[:1]),
        )
        .values_list("pk", "patient_id", "concern", "where", "grade", "sessions")
        .order_by()  # the model's ordering sorted 60,000 rows on disk for nothing
    )
    change = figures.grade_change_by_sessions(
        (sessions, grade_steps(concern, baselines[(patient, concern)][1], after))
        for pk, patient, concern, where, after, sessions in rows
        if pk != baselines[(patient, concern)][0] and where in wanted
    )
    zones = all_zones(locations, start, end)
    events = AdverseEvent.objects.filter(
        chart__appointment__location__in=locations, onset__gte=start, onset__lte=end
    ).count()
    sessions = Appointment.objects.filter(
        zones.in_range(), status=DONE, service__is_treatment=True
    ).count()
    return Outcomes(change, events, sessions)
