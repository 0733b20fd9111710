"""Utilisation by week: booked time (summed in the database, grouped by local week) over
working time (the working hours, extra hours and time off, minus closures)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from django.db.models import Sum

from needlepoint.accounts.models import User
from needlepoint.accounts.roles import CLINICAL_ROLES
from needlepoint.clinic.models import Closure, Device, Location, Room, ScheduleException
from needlepoint.clinic.models import WorkingHours as HoursRow
from needlepoint.domain.reports import (
    UtilisationWeek,
    minutes_by_week,
    utilisation_by_week,
    weeks_between,
)
from needlepoint.domain.time import Closure as DomainClosure
from needlepoint.domain.time import (
    ExtraHours,
    Interval,
    TimeOff,
    WeeklyHours,
    union,
    working_intervals,
)
from needlepoint.scheduling.models import Appointment, AppointmentStatus

from .local_weeks import Milliseconds, zone_windows

# Time a no-show held is booked time: nobody else could be booked into it.
HOLDING = (AppointmentStatus.BOOKED, AppointmentStatus.COMPLETED, AppointmentStatus.NO_SHOW)
# Booked minutes by location, then resource, then the week's Monday.
BookedMinutes = dict[int, dict[int, dict[date, int]]]
KINDS = {"staff": "Aestheticians and physicians", "room": "Rooms", "device": "Pens"}
ONE_OF_KIND = {"staff": "Clinician", "room": "Room", "device": "Pen"}


@dataclass(frozen=True)
class ResourceRow:
    kind: str  # "staff", "room" or "device"
    name: str
    location: str
    weeks: list[UtilisationWeek]


def _working_by_staff(location: Location, start: date, end: date) -> dict[int, list[Interval]]:
    weekly: dict[int, dict[int, list[tuple[time, time]]]] = defaultdict(lambda: defaultdict(list))
    for staff_id, weekday, start_time, end_time in HoursRow.objects.filter(
        location=location, staff__role__in=CLINICAL_ROLES
    ).values_list("staff_id", "weekday", "start_time", "end_time"):
        weekly[staff_id][weekday].append((start_time, end_time))
    exceptions: dict[int, list[TimeOff | ExtraHours]] = defaultdict(list)
    for staff_id, day, kind, from_, to in ScheduleException.objects.filter(
        location=location, staff_id__in=list(weekly), date__gte=start, date__lte=end
    ).values_list("staff_id", "date", "kind", "start_time", "end_time"):
        if kind == ScheduleException.Kind.EXTRA_HOURS and from_ and to:
            exceptions[staff_id].append(ExtraHours(day, from_, to))
        elif kind == ScheduleException.Kind.TIME_OFF:
            exceptions[staff_id].append(TimeOff(day, from_, to))
    closures = [
        DomainClosure(day)
        for day in Closure.objects.filter(
            location=location, date__gte=start, date__lte=end
        ).values_list("date", flat=True)
    ]
    # Clinicians on the same hours without exceptions of their own share one list: worked
    # out once (a year of working time is ~300 intervals per schedule).
    by_schedule: dict[tuple[Any, ...], list[Interval]] = {}
    out = {}
    for staff_id, days in weekly.items():
        hours = WeeklyHours({k: tuple(v) for k, v in days.items()})
        key = (tuple(sorted(hours.days.items())), tuple(exceptions[staff_id]))
        if key not in by_schedule:
            by_schedule[key] = working_intervals(
                hours, exceptions[staff_id], closures, location.zone, start, end
            )
        out[staff_id] = by_schedule[key]
    return out


RESOURCE_FIELDS = ("staff_id", "room_id", "device_id")


def _booked_by_week(locations: list[Location], start: date, end: date) -> dict[str, BookedMinutes]:
    """Booked minutes per resource field ("staff_id", …), location (a clinician may work at
    two), resource and local week. One query per time zone, grouped by clinician, room and
    pen together (a clinician uses a few rooms and pens in a week, so few rows), then added
    up here per resource; minutes are rounded down once per resource and week, as before."""
    milliseconds: dict[str, dict[tuple[int, int, date], int]] = {
        f: defaultdict(int) for f in RESOURCE_FIELDS
    }
    for zone in zone_windows(locations, start, end):
        rows = (
            Appointment.objects.filter(zone.in_range(), status__in=HOLDING)
            .annotate(week=zone.week_index())
            .values("location_id", *RESOURCE_FIELDS, "week")
            .annotate(booked=Sum(Milliseconds("end", "start")))
            .order_by()
        )
        for row in rows:
            monday = zone.mondays[row["week"]]
            for field in RESOURCE_FIELDS:
                if row[field] is not None:
                    milliseconds[field][(row["location_id"], row[field], monday)] += int(
                        row["booked"]
                    )
    out: dict[str, BookedMinutes] = {}
    for field, sums in milliseconds.items():
        by_location: BookedMinutes = defaultdict(lambda: defaultdict(dict))
        for (location_id, pk, monday), total in sums.items():
            by_location[location_id][pk][monday] = total // 60_000
        out[field] = by_location
    return out


def utilisation(*, start: date, end: date, locations: list[Location]) -> list[ResourceRow]:
    """One row per aesthetician, room and pen at ``locations``; a room's or pen's working
    time is the location's open time (any clinician working there)."""
    weeks = weeks_between(start, end)
    rows: list[ResourceRow] = []
    booked_by = _booked_by_week(locations, start, end)
    for location in locations:
        zone = location.zone
        staff_hours = _working_by_staff(location, start, end)
        schedules = {id(hours): hours for hours in staff_hours.values()}  # shared lists once
        open_minutes = minutes_by_week(union(*schedules.values()), zone)
        minutes = {key: minutes_by_week(hours, zone) for key, hours in schedules.items()}
        names = {
            user.pk: user.display_name
            for user in User.objects.filter(pk__in=list(staff_hours)).order_by("first_name")
        }
        booked = booked_by["staff_id"].get(location.pk, {})
        for staff_id, name in sorted(names.items(), key=lambda item: item[1]):
            working = minutes[id(staff_hours[staff_id])]
            weekly = utilisation_by_week(weeks, booked.get(staff_id, {}), working)
            rows.append(ResourceRow("staff", name, location.name, weekly))
        for kind, field, model in (
            ("room", "room_id", Room),
            ("device", "device_id", Device),
        ):
            booked = booked_by[field].get(location.pk, {})
            for pk, label in _resources(model, location):
                weekly = utilisation_by_week(weeks, booked.get(pk, {}), open_minutes)
                rows.append(ResourceRow(kind, label, location.name, weekly))
    return rows


def _resources(model: Any, location: Location) -> list[tuple[int, str]]:
    if model is Room:
        return [
            (room.pk, room.name)
            for room in Room.objects.filter(location=location, active=True).order_by("name")
        ]
    return [
        (device.pk, f"{device.model_name} ({device.slug})")
        for device in Device.objects.filter(location=location)
        .exclude(status=Device.Status.RETIRED)
        .order_by("slug")
    ]


def totals_by_kind(rows: list[ResourceRow], weeks: list[date]) -> dict[str, list[UtilisationWeek]]:
    """Each kind's booked and working minutes added up per week (the group's line)."""
    totals: dict[str, list[UtilisationWeek]] = {}
    for kind in KINDS:
        of_kind = [row for row in rows if row.kind == kind]
        totals[kind] = [
            UtilisationWeek(
                monday,
                sum(row.weeks[i].booked_minutes for row in of_kind),
                sum(row.weeks[i].working_minutes for row in of_kind),
            )
            for i, monday in enumerate(weeks)
        ]
    return totals
