"""Locations, rooms and pens."""

from __future__ import annotations

import zoneinfo

from django.db import transaction
from django.utils.text import slugify

from needlepoint.accounts.models import User
from needlepoint.audit.services import record
from needlepoint.core.errors import InvalidInput, Problems

from ..models import (
    Device,
    Location,
    Room,
    RoomKind,
)
from .common import active_set, name_taken, optional_text, required_text, unique_slug

# --- Locations -------------------------------------------------------------------------


def location_save(
    *,
    actor: User,
    name: str,
    time_zone: str,
    address: str = "",
    phone: str = "",
    location: Location | None = None,
    opening_hours: str = "",
) -> Location:
    """Add a location (``location`` None) or change one."""
    problems = Problems()
    name = required_text(problems, "name", name, 120)
    if time_zone not in zoneinfo.available_timezones():
        problems.add("time_zone", "choose the time zone the clinic's clocks show")
    phone = optional_text(problems, "phone", phone, 32)
    opening_hours = optional_text(problems, "opening_hours", opening_hours, 300)
    if name_taken(Location.objects.all(), name, other_than=location):
        problems.add("name", "another location already has this name; choose another")
    problems.raise_if_any()
    with transaction.atomic():
        adding = location is None
        if location is None:
            location = Location(slug=unique_slug(Location, name))
        location.name, location.time_zone = name, time_zone
        location.address, location.phone = (address or "").strip(), phone
        location.opening_hours = opening_hours
        location.save()
        record(
            actor=actor,
            action="location.create" if adding else "location.update",
            object_type="location",
            object_id=location.pk,
            detail={"name": name, "time_zone": time_zone},
        )
    return location


# --- Rooms -----------------------------------------------------------------------------


def room_save(
    *, actor: User, location: Location, name: str, kind: str, room: Room | None = None
) -> Room:
    """Add a room (``room`` None) or rename one; names are unique within a location."""
    problems = Problems()
    name = required_text(problems, "name", name, 120)
    if kind not in RoomKind.values:
        problems.add("kind", "choose treatment room or consultation room")
    if name_taken(Room.objects.filter(location=location), name, other_than=room):
        problems.add("name", f"{location.name} already has a room called {name}; choose another")
    problems.raise_if_any()
    with transaction.atomic():
        adding = room is None
        if room is None:
            room = Room(location=location, slug=unique_slug(Room, f"{location.slug}-{name}"))
        room.location, room.name, room.kind = location, name, kind
        room.save()
        record(
            actor=actor,
            action="room.create" if adding else "room.update",
            object_type="room",
            object_id=room.pk,
            detail={"name": name, "kind": kind},
        )
    return room


def room_set_active(*, actor: User, room: Room, active: bool) -> Room:
    """Rooms are taken out of use, never deleted: past appointments name them."""
    return active_set(
        actor=actor, item=room, active=active, object_type="room", on="reactivate", off="deactivate"
    )


# --- Pens ------------------------------------------------------------------------------


def device_create(
    *, actor: User, location: Location, label: str, model_name: str, serial_number: str
) -> Device:
    """Add a pen. Its label (e.g. "micropen-3") is what charts and the pen's sticker show."""
    problems = Problems()
    label = slugify(required_text(problems, "label", label, 50))
    model_name = required_text(problems, "model_name", model_name, 120)
    serial_number = required_text(problems, "serial_number", serial_number, 64)
    if label and Device.objects.filter(slug=label).exists():
        problems.add("label", f"another pen is labelled {label}; choose another label")
    if serial_number and Device.objects.filter(serial_number__iexact=serial_number).exists():
        problems.add("serial_number", "a pen with this serial number is already on record")
    problems.raise_if_any()
    with transaction.atomic():
        device = Device.objects.create(
            location=location, slug=label, model_name=model_name, serial_number=serial_number
        )
        record(
            actor=actor,
            action="pen.create",
            object_type="pen",
            object_id=device.pk,
            detail={"label": label, "serial_number": serial_number},
        )
    return device


def device_set_status(*, actor: User, device: Device, status: str) -> Device:
    """In service, in maintenance or retired. A pen is never deleted: charts name it."""
    if status not in Device.Status.values:
        raise InvalidInput.one("status", "choose in service, maintenance or retired")
    with transaction.atomic():
        before = device.status
        device.status = status
        device.save(update_fields=["status"])
        record(
            actor=actor,
            action="pen.status",
            object_type="pen",
            object_id=device.pk,
            detail={"from": before, "to": status},
        )
    return device
