"""The staff calendar as lists: the day and week pages without JavaScript (and for anyone who
prefers a list to the grid), by staff member and by room."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from needlepoint.accounts.models import User
from needlepoint.clinic.clock import local_date, local_day_bounds
from needlepoint.clinic.models import Location, Room

from . import selectors
from .models import AppointmentStatus

SHOWN = [AppointmentStatus.BOOKED, AppointmentStatus.COMPLETED, AppointmentStatus.NO_SHOW]


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
    return {
        "day": day,
        "previous": day - timedelta(days=1),
        "next": day + timedelta(days=1),
        "staff_columns": [
            {"title": u.display_name, "items": [a for a in appointments if a.staff_id == u.pk]}
            for u in _staff(location)
        ],
        "room_columns": [
            {"title": r.name, "items": [a for a in appointments if a.room_id == r.pk]}
            for r in rooms
        ],
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
    by_day: dict[date, list[Any]] = {d: [] for d in days}
    for appointment in appointments:
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
                "cells": [[a for a in by_day[d] if a.staff_id == m.pk] for m in staff],
                "room_cells": [[a for a in by_day[d] if a.room_id == r.pk] for r in rooms],
            }
            for d in days
        ],
    }
