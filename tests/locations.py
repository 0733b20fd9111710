"""A second location for practice-group tests: Chicago (America/Chicago, an hour behind New
York), with its own rooms and pen, and the given clinicians working there Mon-Fri
9:00 am-5:00 pm Chicago time."""

from __future__ import annotations

from datetime import time
from typing import Any

CHICAGO_ADDRESS = "200 West Loop Street, Floor 3\nChicago, IL 60606"


def add_chicago(staff: list[Any], *, opening_hours: str = "") -> Any:
    from needlepoint.clinic.models import Device, Location, Room, RoomKind, WorkingHours

    location = Location.objects.create(
        slug="chicago",
        name="Needlepoint Chicago",
        time_zone="America/Chicago",
        address=CHICAGO_ADDRESS,
        phone="+1 555 0300",
        opening_hours=opening_hours,
    )
    Room.objects.create(
        location=location, slug="chi-treatment-1", name="Chicago room 1", kind=RoomKind.TREATMENT
    )
    Room.objects.create(
        location=location, slug="chi-consult-1", name="Chicago consult", kind=RoomKind.CONSULTATION
    )
    Device.objects.create(
        location=location,
        slug="chi-pen-1",
        model_name="Eclipse MicroPen EVO",
        serial_number="EMP-EVO-CHI-001",
    )
    for user in staff:
        for weekday in range(5):
            WorkingHours.objects.create(
                staff=user,
                location=location,
                weekday=weekday,
                start_time=time(9),
                end_time=time(17),
            )
    return location


def stop_offering(service_slug: str, location: Any) -> None:
    from needlepoint.clinic.models import Service, ServiceOffering

    ServiceOffering.objects.update_or_create(
        location=location,
        service=Service.objects.get(slug=service_slug),
        defaults={"offered": False},
    )


def set_terms(service_slug: str, location: Any, *, minutes: int | None, price: Any = None) -> None:
    from needlepoint.clinic.models import Service, ServiceOffering

    ServiceOffering.objects.update_or_create(
        location=location,
        service=Service.objects.get(slug=service_slug),
        defaults={"offered": True, "duration_minutes": minutes, "price": price},
    )
