"""The staff calendar as lists: the day and week pages without JavaScript (and for anyone who
prefers a list to the grid), by staff member and by room.

A week lists every appointment twice (by staff member, by room): each item is written once
here, in Python, and both tables reuse it. Through the template engine (an include, a
`{% url %}`, two filters and a tag per item, twice) a busy week's list cost ~0.5 s a page.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.template import engines
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from needlepoint.accounts.models import User
from needlepoint.clinic.clock import local_date, local_day_bounds
from needlepoint.clinic.models import Location, Room
from needlepoint.core.labels import clock_words

from . import selectors
from .models import Appointment, AppointmentStatus

SHOWN = [AppointmentStatus.BOOKED, AppointmentStatus.COMPLETED, AppointmentStatus.NO_SHOW]


def _status_badge(status: str, words: str) -> str:
    """The site's status badge (its template tag: scheduling does not import the site app),
    for the few items that are not simply booked."""
    badge = engines["django"].from_string("{% load status_badges %}{% status_badge status words %}")
    return str(badge.render({"status": status, "words": words}))


def appointment_link() -> tuple[str, str]:
    """The appointment page's address around its number: reversed once, not once a row."""
    head, _, tail = reverse("scheduling:appointment", args=[0]).rpartition("0")
    return head, tail


def appointment_item(appointment: Appointment, zone: ZoneInfo, link: tuple[str, str]) -> SafeString:
    """One list item, as scheduling/_appointment.html writes it (the day page's lists):
    the time, the patient, the service, room and pen, and the status unless booked."""
    start, end = appointment.start.astimezone(zone), appointment.end.astimezone(zone)
    pen = format_html(" · {}", appointment.device.slug) if appointment.device else ""
    badge = (
        format_html(
            " {}",
            mark_safe(_status_badge(appointment.status, appointment.get_status_display())),  # noqa: S308 (the tag escapes)
        )
        if appointment.status != "booked"
        else ""
    )
    return format_html(
        '<li class="appt appt-{}">\n  <a href="{}">\n    <time datetime="{}">{}–{}</time>\n'
        '    <span class="appt-who">{} {}</span>\n  </a>\n'
        '  <span class="appt-what">{} · {}{}{}</span>\n</li>\n',
        appointment.status,
        f"{link[0]}{appointment.pk}{link[1]}",
        start.isoformat(),
        clock_words(start),
        clock_words(end),
        appointment.patient.given_name,
        appointment.patient.family_name,
        appointment.service.name,
        appointment.room.name,
        pen,
        badge,
    )


def _staff(location: Location) -> list[User]:
    return list(
        User.objects.filter(working_hours__location=location, is_active=True)
        .distinct()
        .order_by("username")
    )


def day_lists(*, actor: User, location: Location, day: date) -> dict[str, Any]:
    bounds = local_day_bounds(location, day)
    appointments = selectors.appointments_between(
        actor=actor, location=location, start=bounds.start, end=bounds.end, statuses=SHOWN
    )
    rooms = list(location.rooms.filter(active=True).order_by("slug"))
    zone, link = location.zone, appointment_link()
    items = {a.pk: appointment_item(a, zone, link) for a in appointments}
    return {
        "day": day,
        "previous": day - timedelta(days=1),
        "next": day + timedelta(days=1),
        "staff_columns": [
            {
                "title": u.display_name,
                "items": [items[a.pk] for a in appointments if a.staff_id == u.pk],
            }
            for u in _staff(location)
        ],
        "room_columns": [
            {"title": r.name, "items": [items[a.pk] for a in appointments if a.room_id == r.pk]}
            for r in rooms
        ],
    }


def week_bounds(day: date) -> dict[str, Any]:
    """The week's Monday and the weeks before and after (the page around the grid)."""
    monday = day - timedelta(days=day.weekday())
    return {
        "monday": monday,
        "previous": monday - timedelta(days=7),
        "next": monday + timedelta(days=7),
    }


def week_lists(*, actor: User, location: Location, day: date) -> dict[str, Any]:
    monday = day - timedelta(days=day.weekday())
    days = [monday + timedelta(days=n) for n in range(7)]
    appointments = selectors.appointments_between(
        actor=actor,
        location=location,
        start=local_day_bounds(location, days[0]).start,
        end=local_day_bounds(location, days[-1]).end,
        statuses=SHOWN,
    )
    staff = _staff(location)
    rooms = list(Room.objects.filter(location=location, active=True).order_by("slug"))
    zone, link = location.zone, appointment_link()
    by_day: dict[date, list[Any]] = {d: [] for d in days}
    for appointment in appointments:
        appointment.item = appointment_item(appointment, zone, link)  # type: ignore[attr-defined]
        by_day.setdefault(local_date(location, appointment.start), []).append(appointment)
    return {
        "monday": monday,
        "previous": monday - timedelta(days=7),
        "next": monday + timedelta(days=7),
        "staff": staff,
        "rooms": rooms,
        "rows": [
            {
                "day": d,
                "cells": [[a.item for a in by_day[d] if a.staff_id == m.pk] for m in staff],
                "room_cells": [[a.item for a in by_day[d] if a.room_id == r.pk] for r in rooms],
            }
            for d in days
        ],
    }
