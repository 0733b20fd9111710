"""Reads for the staff calendar's time grid: columns, appointments and shaded time, in the
location's wall-clock time (the grid shows the clinic's day, wherever the browser is).

One feed costs the same queries for 1 appointment or 100: the appointments (patients,
services, staff, rooms, pens joined), one audit write for all of them, which of them have
started treatment, the services (for their colours), the closures, and the booking
calendars' seven reads (who works when, rooms, pens). See docs/decisions/0402.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.urls import reverse

from needlepoint.accounts.models import User
from needlepoint.clinic.clock import local_day_bounds
from needlepoint.clinic.models import Closure, Location, Service
from needlepoint.domain.time import Interval

from .models import Appointment, AppointmentStatus
from .selectors import appointments_between, booking_calendars

COLUMNS = ("staff", "room", "pen")
SERVICE_COLOURS = 8  # needlepoint.css has .np-svc-0 … .np-svc-7

# What a person reads for each state on the grid and in the legend, in the order of a visit.
STATE_LABELS = {
    "booked": "Booked",
    "checked_in": "Checked in",
    "in_treatment": "In treatment",
    "done": "Done",
    "no_show": "No-show",
    "cancelled": "Cancelled",
}
SHOWN_STATUSES = [s.value for s in AppointmentStatus]


def appointment_state(appointment: Appointment, *, started: bool) -> str:
    """The visit's state for the front desk: the stored status, refined while it is booked
    by the check-in and whether the day-of check or chart has been started."""
    if appointment.status == AppointmentStatus.COMPLETED:
        return "done"
    if appointment.status != AppointmentStatus.BOOKED:
        return str(appointment.status)
    if appointment.checked_in_at is None:
        return "booked"
    return "in_treatment" if started else "checked_in"


def started_treatment_ids(ids: list[int]) -> set[int]:
    """Which of these appointments have a day-of check or a chart (one query; the reverse
    relations keep scheduling free of a charting import)."""
    if not ids:
        return set()
    return set(
        Appointment.objects.filter(pk__in=ids)
        .filter(Q(day_of_checks__isnull=False) | Q(chart__isnull=False))
        .values_list("pk", flat=True)
        .distinct()
    )


def service_colours() -> dict[int, int]:
    """Each service's colour number: stable (by key), so a service keeps its colour."""
    ids = Service.objects.order_by("pk").values_list("pk", flat=True)
    return {pk: n % SERVICE_COLOURS for n, pk in enumerate(ids)}


def pen_name(device: Any) -> str:
    return f"{device.model_name}, serial {device.serial_number}"


def _wall(at: datetime, zone: ZoneInfo) -> str:
    """The wall-clock time at the location, without an offset (the grid's floating time)."""
    return at.astimezone(zone).replace(tzinfo=None).isoformat(timespec="minutes")


def _merged(intervals: list[Interval]) -> list[tuple[datetime, datetime]]:
    spans: list[tuple[datetime, datetime]] = []
    for interval in sorted(intervals, key=lambda i: i.start):
        if spans and interval.start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], interval.end))
        else:
            spans.append((interval.start, interval.end))
    return spans


@dataclass
class CalendarFeed:
    """What the grid draws for one location, date range and kind of column."""

    columns: str
    resources: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    closures: list[dict[str, str]] = field(default_factory=list)
    services: list[dict[str, Any]] = field(default_factory=list)
    earliest: str = "08:00"
    latest: str = "19:00"
    hidden_days: list[int] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "columns": self.columns,
            "resources": self.resources,
            "events": self.events,
            "closures": self.closures,
            "services": self.services,
            "slotMinTime": self.earliest,
            "slotMaxTime": self.latest,
            "hiddenDays": self.hidden_days,
        }


def _event(
    appointment: Appointment,
    *,
    zone: ZoneInfo,
    state: str,
    colour: int,
    resource: str,
) -> dict[str, Any]:
    device = appointment.device
    return {
        "id": str(appointment.pk),
        "resourceIds": [resource],
        "start": _wall(appointment.start, zone),
        "end": _wall(appointment.end, zone),
        "title": f"{appointment.patient.given_name} {appointment.patient.family_name}",
        "classNames": ["np-appt", f"np-svc-{colour}", f"np-state-{state}"],
        # Only a booked visit not yet under way moves; the server decides the rest.
        "editable": state == "booked",
        "extendedProps": {
            "service": appointment.service.name,
            "state": state,
            "stateLabel": STATE_LABELS[state],
            "staff": appointment.staff.display_name,
            "room": appointment.room.name,
            "pen": pen_name(device) if device is not None else "",
            "url": reverse("scheduling:appointment", args=[appointment.pk]),
            "card": reverse("scheduling:calendar_card", args=[appointment.pk]),
        },
    }


def calendar_feed(
    *, actor: User, location: Location, start_date: date, end_date: date, columns: str
) -> CalendarFeed:
    """Columns (staff by full name, rooms or pens by name), appointments of every status and
    shaded time (working hours, closures) for ``start_date``..``end_date`` (local, inclusive)."""
    zone = location.zone
    feed = CalendarFeed(columns=columns)
    calendars = booking_calendars(location=location, start_date=start_date, end_date=end_date)
    appointments = appointments_between(
        actor=actor,
        location=location,
        start=local_day_bounds(location, start_date).start,
        end=local_day_bounds(location, end_date).end,
        statuses=SHOWN_STATUSES,
    )
    started = started_treatment_ids([a.pk for a in appointments if a.checked_in_at])
    colours = service_colours()

    users = sorted(calendars.users.values(), key=lambda u: (u.display_name.lower(), u.pk))
    if columns == "room":
        rooms = sorted(calendars.room_rows.values(), key=lambda r: (r.name.lower(), r.pk))
        feed.resources = [_column(f"room-{r.pk}", r.name, "room", r.slug) for r in rooms]
    elif columns == "pen":
        pens = sorted(calendars.device_rows.values(), key=lambda d: (d.model_name, d.slug))
        feed.resources = [_column(f"pen-{d.pk}", pen_name(d), "device", d.slug) for d in pens]
    else:
        feed.resources = [
            _column(f"staff-{u.pk}", u.display_name, "staff", u.username) for u in users
        ]
    shown = {r["id"] for r in feed.resources}

    for appointment in appointments:
        resource = {
            "staff": f"staff-{appointment.staff_id}",
            "room": f"room-{appointment.room_id}",
            "pen": f"pen-{appointment.device_id}" if appointment.device_id else "",
        }[columns]
        if resource not in shown:  # e.g. a visit without a pen in the pens' columns
            continue
        state = appointment_state(appointment, started=appointment.pk in started)
        feed.events.append(
            _event(
                appointment,
                zone=zone,
                state=state,
                colour=colours.get(appointment.service_id, 0),
                resource=resource,
            )
        )

    # Working hours: each staff member's own in their column; in the rooms' and pens'
    # columns, the hours anyone works (the location is staffed then).
    working = {cal.username: list(cal.working) for cal in calendars.staff}
    if columns == "staff":
        for user in users:
            for start, end in _merged(working.get(user.username, [])):
                feed.events.append(_shade(f"staff-{user.pk}", start, end, zone, "np-working"))
    else:
        everyone = [i for spans in working.values() for i in spans]
        for start, end in _merged(everyone):
            feed.events.extend(_shade(r, start, end, zone, "np-working") for r in sorted(shown))

    for closure in Closure.objects.filter(
        location=location, date__gte=start_date, date__lte=end_date
    ).order_by("date"):
        bounds = local_day_bounds(location, closure.date)
        feed.closures.append(
            {"date": closure.date.isoformat(), "reason": closure.reason or "Closed"}
        )
        feed.events.extend(
            _shade(r, bounds.start, bounds.end, zone, "np-closed") for r in sorted(shown)
        )

    feed.services = [
        {"name": s.name, "colour": colours.get(s.pk, 0)}
        for s in Service.objects.filter(active=True).order_by("name")
    ]
    feed.earliest, feed.latest = _grid_hours(feed.events)
    feed.hidden_days = _quiet_weekdays(feed.events, start_date, end_date)
    return feed


def _quiet_weekdays(events: list[dict[str, Any]], start_date: date, end_date: date) -> list[int]:
    """In a week, the days nobody works and nothing is booked (a clinic's weekend), as the
    grid counts them (Sunday 0): hidden, so the working days get the width. A closed day
    stays shown, with its shading."""
    if start_date == end_date:
        return []
    busy = {event["start"][:10] for event in events}
    quiet = []
    day = start_date
    while day <= end_date:
        if day.isoformat() not in busy:
            quiet.append(day.isoweekday() % 7)
        day += timedelta(days=1)
    return quiet


def _column(resource: str, title: str, param: str, value: str) -> dict[str, Any]:
    """A column; ``book`` is what booking at a time in it prefills (scheduling:book's query)."""
    return {"id": resource, "title": title, "extendedProps": {"book": {param: value}}}


def _shade(resource: str, start: datetime, end: datetime, zone: ZoneInfo, kind: str) -> Any:
    return {
        "resourceIds": [resource],
        "start": _wall(start, zone),
        "end": _wall(end, zone),
        "display": "background",
        "classNames": [kind],
    }


def _grid_hours(events: list[dict[str, Any]]) -> tuple[str, str]:
    """From an hour before the first working or booked time to an hour after the last, at
    least 08:00 to 19:00 (a closed day's shading spans midnight to midnight: left out)."""
    first, last = 8, 19
    for event in events:
        if "np-closed" in event.get("classNames", ()):
            continue
        start, end = event["start"][11:16], event["end"][11:16]
        if event["start"][:10] != event["end"][:10]:
            end = "24:00"
        first = min(first, max(0, int(start[:2]) - 1))
        last = max(last, min(24, int(end[:2]) + (2 if end[3:] != "00" else 1)))
    return f"{first:02d}:00", f"{last:02d}:00"
