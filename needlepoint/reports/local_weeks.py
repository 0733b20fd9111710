"""Local weeks and lengths worked out by the database without a Python call per row.

Django's ``TruncWeek(tzinfo=...)`` and datetime subtraction are Python functions SQLite
calls once per row (~25,000 calls per grouped query over a year at 50,000 appointments).
Instead, each week's boundaries are computed here once, in Python, as UTC instants of the
local Mondays' midnights (so summer time is right), and the database only compares the
start with them in nested ``CASE WHEN start < monday_k THEN … ELSE … END``.
Locations that share a time zone share the boundaries, so a report makes one query per
zone, not per location (docs/decisions/0671-reports-bucket-weeks-by-utc-bounds.md).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Case, DateField, DateTimeField, Func, IntegerField, Q, Value, When
from django.db.models.expressions import Expression

from needlepoint.clinic.clock import location_zone
from needlepoint.clinic.models import Location
from needlepoint.domain.reports import weeks_between
from needlepoint.domain.time import day_bounds

ONE_WEEK = timedelta(days=7)


@dataclass(frozen=True)
class ZoneWindow:
    """Locations of one time zone and the range's local weeks there, as UTC instants."""

    locations: list[Location]
    since: datetime  # the first day's local midnight
    until: datetime  # the midnight after the last day
    mondays: list[date]
    boundaries: list[datetime]  # local midnight of every Monday after the first week's

    def in_range(self, field: str = "start") -> Q:
        return Q(
            location__in=self.locations, **{f"{field}__gte": self.since, f"{field}__lt": self.until}
        )

    def week_index(self, field: str = "start") -> Expression:
        """The index in ``mondays`` of the local week ``field`` falls in (rows in range):
        nested CASEs that halve the weeks each time, so ~6 comparisons a row for a year."""

        def weeks(first: int, last: int) -> Expression:
            if first == last:
                return Value(first, output_field=IntegerField())
            middle = (first + last + 1) // 2  # week ``middle`` begins at boundaries[middle - 1]
            return Case(
                When(
                    **{f"{field}__lt": self.boundaries[middle - 1]}, then=weeks(first, middle - 1)
                ),
                default=weeks(middle, last),
                output_field=IntegerField(),
            )

        return weeks(0, len(self.mondays) - 1)


def zone_windows(locations: list[Location], start: date, end: date) -> list[ZoneWindow]:
    """``locations`` grouped by time zone, each group with its range and week boundaries."""
    by_zone: dict[str, list[Location]] = defaultdict(list)
    zones = {}
    for location in locations:
        zone = location_zone(location)
        by_zone[zone.key].append(location)
        zones[zone.key] = zone
    mondays = weeks_between(start, end)
    windows = []
    for key, members in sorted(by_zone.items()):
        zone = zones[key]
        windows.append(
            ZoneWindow(
                locations=members,
                since=day_bounds(start, zone).start,
                until=day_bounds(end, zone).end,
                mondays=mondays,
                boundaries=[day_bounds(monday, zone).start for monday in mondays[1:]],
            )
        )
    return windows


@dataclass(frozen=True)
class AllZones:
    """Every zone's locations and weeks in one query: rows in any zone's range, and the
    week index by the row's location (one scan of the appointments, not one per zone)."""

    windows: list[ZoneWindow]

    @property
    def mondays(self) -> list[date]:
        return self.windows[0].mondays

    def in_range(self, field: str = "start") -> Q:
        return reduce(or_, (window.in_range(field) for window in self.windows))

    def week_index(self, field: str = "start") -> Expression:
        *others, last = self.windows
        if not others:
            return last.week_index(field)
        return Case(
            *(When(location__in=w.locations, then=w.week_index(field)) for w in others),
            default=last.week_index(field),
            output_field=IntegerField(),
        )


def all_zones(locations: list[Location], start: date, end: date) -> AllZones:
    return AllZones(zone_windows(locations, start, end))


class Milliseconds(Func):
    """``end - start`` in whole milliseconds, an integer the database sums exactly."""

    output_field = IntegerField()
    arity = 2

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # julianday() is native C and exact to the millisecond for Django's stored text.
        return self.as_sql(
            compiler,
            connection,
            template="CAST(ROUND((julianday(%(expressions)s)) * 86400000.0) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="CAST(ROUND(EXTRACT(EPOCH FROM (%(expressions)s)) * 1000) AS BIGINT)",
            arg_joiner=" - ",
            **extra,
        )


class PlusMinutes(Func):
    """``at`` plus whole minutes, computed natively: Django's own datetime arithmetic on
    SQLite is a Python function called per row. On SQLite the result is text to the
    millisecond, compared with the stored text as Django's own filters compare."""

    output_field = DateTimeField()

    def __init__(self, at: Any, minutes: int) -> None:
        self.minutes = minutes
        super().__init__(at)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"strftime(%s, {sql}, %s)", [
            "%Y-%m-%d %H:%M:%f",
            *params,
            f"+{self.minutes} minutes",
        ]

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql} + make_interval(mins => %s))", [*params, self.minutes]


class NextUtcMidnight(Func):
    """The UTC midnight after a date: ``start < NextUtcMidnight(day)`` is ``start__date <=
    day`` (the database's zone is UTC) without a Python call per row on SQLite."""

    output_field = DateTimeField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        # Django stores datetimes as "YYYY-MM-DD HH:MM:SS…": any of them on day D sorts
        # before the bare next day's "YYYY-MM-DD" and any later one after it.
        return f"date({sql}, '+1 day')", params

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(({sql} + 1)::timestamp AT TIME ZONE 'UTC')", params


class LocalDate(Func):
    """PostgreSQL only: the date of ``at`` in the time zone named by ``zone`` (a column),
    read as a plain date (converting each timestamp with its zone in Python cost ~1 s
    per 66,000 rows at 500,000 appointments)."""

    output_field = DateField()
    arity = 2

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="((%(expressions)s))::date", arg_joiner=" AT TIME ZONE "
        )
