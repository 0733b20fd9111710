"""The group's second location: Chicago (America/Chicago, an hour behind New York).

Its own rooms, pen, cartridge lots (one lot also stocked in New York, so a recall of it
reaches both), a closure, and who works there on which days (``people.WHERE_THEY_WORK``).
Its visits are booked by ``bookings.ensure_bookings`` for Chicago's patients; one of the
charting demo's courses is treated here. Idempotent: everything is found by its key first.
"""

from __future__ import annotations

from datetime import date, time, timedelta

from needlepoint.accounts.models import User
from needlepoint.clinic.models import (
    CartridgeLot,
    Closure,
    Device,
    Location,
    Room,
    RoomKind,
    WorkingHours,
)
from needlepoint.clinic.services import closure_add

from .clinic import CLINICIANS
from .people import WHERE_THEY_WORK

SLUG = "chicago"
# Chicago stocks New York's long-dated 2.0 mm lot too (one delivery split between them).
SHARED_LOT = ("EMP-12-2.0", "L25D220", 540)
LOTS = [
    ("EMP-12-0.5", "L25F502", 300, 30),
    (SHARED_LOT[0], SHARED_LOT[1], SHARED_LOT[2], 20),
]


def ensure_chicago() -> Location:
    location, _ = Location.objects.get_or_create(
        slug=SLUG,
        defaults={
            "name": "Needlepoint West Loop, Chicago",
            "time_zone": "America/Chicago",
            "address": "845 West Randolph Street, Suite 300, Chicago, IL 60607",
            "phone": "+1 312 555 0188",
        },
    )
    for slug, name, kind in [
        ("chicago-treatment-1", "Chicago treatment room", RoomKind.TREATMENT),
        ("chicago-consult-1", "Chicago consultation room", RoomKind.CONSULTATION),
    ]:
        Room.objects.get_or_create(
            slug=slug, defaults={"location": location, "name": name, "kind": kind}
        )
    Device.objects.get_or_create(
        slug="chicago-micropen-1",
        defaults={
            "location": location,
            "model_name": "Eclipse MicroPen EVO",
            "serial_number": "EMP-EVO-250512",
        },
    )
    return location


def ensure_chicago_lots(location: Location, today: date) -> None:
    for ref, lot, days_left, quantity in LOTS:
        CartridgeLot.objects.get_or_create(
            location=location,
            ref=ref,
            lot=lot,
            defaults={
                "product": "Eclipse MicroPen 12-needle cartridge",
                "expiry": today + timedelta(days=days_left),
                "quantity_received": quantity,
                "received_on": today - timedelta(days=30),
            },
        )


def ensure_closure(location: Location, admin: User, today: date) -> None:
    """Chicago closes for a staff training day: the second Friday from today."""
    if Closure.objects.filter(location=location).exists():
        return
    friday = today + timedelta(days=(4 - today.weekday()) % 7 + 7)
    closure_add(actor=admin, location=location, on=friday, reason="Staff training day", today=today)


def ensure_group_hours(users: dict[str, User]) -> None:
    """Each clinician's 09:00–17:00 (local) days at each location, from WHERE_THEY_WORK.

    A clinician who already has hours at a location keeps them (an older demo, or an
    admin's change): only a location they have no hours at yet is filled in."""
    locations = {loc.slug: loc for loc in Location.objects.filter(slug__in=["main", SLUG])}
    for username, places in WHERE_THEY_WORK.items():
        user = users.get(username)
        if user is None or user.role not in CLINICIANS:
            continue
        for slug, weekdays in places.items():
            location = locations.get(slug)
            if (
                location is None
                or WorkingHours.objects.filter(staff=user, location=location).exists()
            ):
                continue
            for weekday in weekdays:
                WorkingHours.objects.create(
                    staff=user,
                    location=location,
                    weekday=weekday,
                    start_time=time(9),
                    end_time=time(17),
                )
