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

from .local_weeks import Milliseconds, all_zones

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


def _working_by_location(
    locations: list[Location], start: date, end: date
) -> dict[int, dict[int, list[Interval]]]:
    """Each location's clinicians' working time, read in three queries for all locations
    (hours, exceptions, closures) rather than three per location."""
    pks = [location.pk for location in locations]
    weekly: dict[tuple[int, int], dict[int, list[tuple[time, time]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for location_id, staff_id, weekday, start_time, end_time in HoursRow.objects.filter(
        location_id__in=pks, staff__role__in=CLINICAL_ROLES
    ).values_list("location_id", "staff_id", "weekday", "start_time", "end_time"):
        weekly[(location_id, staff_id)][weekday].append((start_time, end_time))
    exceptions: dict[tuple[int, int], list[TimeOff | ExtraHours]] = defaultdict(list)
    for location_id, staff_id, day, kind, from_, to in ScheduleException.objects.filter(
        location_id__in=pks,
        staff_id__in={staff_id for _, staff_id in weekly},
        date__gte=start,
        date__lte=end,
    ).values_list("location_id", "staff_id", "date", "kind", "start_time", "end_time"):
        if (location_id, staff_id) not in weekly:
            continue
        if kind == ScheduleException.Kind.EXTRA_HOURS and from_ and to:
            exceptions[(location_id, staff_id)].append(ExtraHours(day, from_, to))
        elif kind == ScheduleException.Kind.TIME_OFF:
            exceptions[(location_id, staff_id)].append(TimeOff(day, from_, to))
    closures: dict[int, list[DomainClosure]] = defaultdict(list)
    for location_id, day in Closure.objects.filter(
        location_id__in=pks, date__gte=start, date__lte=end
    ).values_list("location_id", "date"):
        closures[location_id].append(DomainClosure(day))
    by_pk = {location.pk: location for location in locations}
    # Clinicians on the same hours without exceptions of their own share one list: worked
    # out once per location (a year of working time is ~300 intervals per schedule).
    by_schedule: dict[tuple[Any, ...], list[Interval]] = {}
    out: dict[int, dict[int, list[Interval]]] = {pk: {} for pk in pks}
    for (location_id, staff_id), days in weekly.items():
        hours = WeeklyHours({k: tuple(v) for k, v in days.items()})
        own = exceptions[(location_id, staff_id)]
        key = (location_id, tuple(sorted(hours.days.items())), tuple(own))
        if key not in by_schedule:
            by_schedule[key] = working_intervals(
                hours, own, closures[location_id], by_pk[location_id].zone, start, end
            )
        out[location_id][staff_id] = by_schedule[key]
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
    zone = all_zones(locations, start, end)
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
                milliseconds[field][(row["location_id"], row[field], monday)] += int(row["booked"])
    out: dict[str, BookedMinutes] = {}
    for field, sums in milliseconds.items():
        by_location: BookedMinutes = defaultdict(lambda: defaultdict(dict))
        for (location_id, pk, monday), total in sums.items():
            by_location[location_id][pk][monday] = total // 60_000
        out[field] = by_location
    return out


def utilisation(*, start: date, end: date, locations: list[Location]) -> list[ResourceRow]:
    """One row per aesthetician, room and pen at ``locations``; a room's or pen's working
    time is the location's open time (any clinician working there). Every read covers all
    the locations at once (a fixed number of queries, not a few per location)."""
    weeks = weeks_between(start, end)
    rows: list[ResourceRow] = []
    booked_by = _booked_by_week(locations, start, end)
    working_by = _working_by_location(locations, start, end)
    names = {
        user.pk: user.display_name
        for user in User.objects.filter(
            pk__in={pk for hours in working_by.values() for pk in hours}
        ).order_by("first_name")
    }
    resources = _resources(locations)
    for location in locations:
        zone = location.zone
        staff_hours = working_by[location.pk]
        schedules = {id(hours): hours for hours in staff_hours.values()}  # shared lists once
        open_minutes = minutes_by_week(union(*schedules.values()), zone)
        minutes = {key: minutes_by_week(hours, zone) for key, hours in schedules.items()}
        booked = booked_by["staff_id"].get(location.pk, {})
        for staff_id, name in sorted(
            ((pk, names[pk]) for pk in staff_hours), key=lambda item: item[1]
        ):
            working = minutes[id(staff_hours[staff_id])]
            weekly = utilisation_by_week(weeks, booked.get(staff_id, {}), working)
            rows.append(ResourceRow("staff", name, location.name, weekly))
        for kind, field in (("room", "room_id"), ("device", "device_id")):
            booked = booked_by[field].get(location.pk, {})
            for pk, label in resources[kind].get(location.pk, []):
                weekly = utilisation_by_week(weeks, booked.get(pk, {}), open_minutes)
                rows.append(ResourceRow(kind, label, location.name, weekly))
    return rows


def _resources(locations: list[Location]) -> dict[str, dict[int, list[tuple[int, str]]]]:
    """Active rooms (by name) and pens not retired (by slug) of every location, by kind and
    location: two queries."""
    pks = [location.pk for location in locations]
    out: dict[str, dict[int, list[tuple[int, str]]]] = {"room": defaultdict(list)}
    out["device"] = defaultdict(list)
    for room in Room.objects.filter(location_id__in=pks, active=True).order_by("name", "pk"):
        out["room"][room.location_id].append((room.pk, room.name))
    for device in (
        Device.objects.filter(location_id__in=pks)
        .exclude(status=Device.Status.RETIRED)
        .order_by("slug", "pk")
    ):
        out["device"][device.location_id].append(
            (device.pk, f"{device.model_name} ({device.slug})")
        )
    return out


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
