"""The free times and a refusal's alternatives, in words, for the staff booking pages."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone

from needlepoint.clinic.access import require_at
from needlepoint.clinic.current import current_location
from needlepoint.clinic.models import Location, Service
from needlepoint.clinic.selectors import location_by_slug
from needlepoint.core.errors import InvalidInput
from needlepoint.core.inputs import parse_date
from needlepoint.domain.time import local_to_utc

from . import selectors, services
from .wording import pen_name, place_words, when_words


def booking_location(request: HttpRequest, data: Any) -> Location:
    """The location the form names; without one (or an unknown one), where the staff member
    is working now (the header's switcher, else the clinic's default location)."""
    slug = (data.get("location") or "")[:100]
    found = location_by_slug(slug) if slug else None
    if found is not None:
        # A location the staff member may not act at is as unknown as a made-up one.
        require_at(request.user, found, "location")
    location = found or current_location(request)
    if location is None:
        raise Http404("No such location.")
    return location


def parse_start(text: str, location: Location) -> datetime | None:
    """A start from a form or the calendar: ISO with an offset, or local wall-clock time;
    None for anything else (the page then asks to choose one of the free times)."""
    try:
        moment = datetime.fromisoformat(text.strip()[:64]) if text and text.strip() else None
        if moment is not None and moment.tzinfo is None:
            moment = local_to_utc(moment.date(), moment.time(), location.zone)
        if moment is not None:  # a date the calendar shows (core.inputs' bounds)
            parse_date(moment.astimezone(location.zone).date(), "start")
    except (ValueError, OverflowError, InvalidInput):
        return None
    return moment


def free_times(
    *,
    actor: Any,
    service: Service,
    location: Location,
    day: date,
    staff: str = "",
    room: str = "",
    device: str = "",
    chosen: datetime | None = None,
    exclude: int | None = None,
) -> list[dict[str, Any]]:
    """The day's free times, in words; with a room or pen asked for, the times it is free."""
    spec = selectors.service_spec(service, location)
    calendars = selectors.booking_calendars(
        location=location,
        start_date=day,
        end_date=day,
        reach=spec.occupied,
        exclude_appointment_ids=[exclude] if exclude else (),
    )
    # Only the room and pen asked for, as the booking will then take them.
    asked = dataclasses.replace(
        calendars,
        rooms=[r for r in calendars.rooms if room in ("", r.slug)],
        devices=[d for d in calendars.devices if device in ("", d.slug) or not spec.needs_device],
    )
    slots = asked.slots(
        spec,
        now=timezone.now(),
        rules=services.rules_for(actor),
        staff_filter=[staff] if staff else None,
    )
    shown = []
    for slot in slots:
        member = calendars.users.get(slot.staff)
        place = place_words(
            staff=member.display_name if member else "a colleague",
            room=calendars.room_rows[slot.room].name if slot.room in calendars.room_rows else "",
            pen=pen_name(calendars.device_rows[slot.device]) if slot.device else "",
        )
        shown.append(
            {
                "value": slot.start.isoformat(),
                "label": f"{when_words(slot.start, location.zone)} {place}",
                "checked": chosen is not None and slot.start == chosen,
            }
        )
    return shown


def alternatives_in_words(conflict: dict[str, Any], location: Location, resources: Any) -> None:
    """A refusal's nearest free times, in words (the service answers with slugs)."""
    names = {u.username: u.display_name for u in resources.staff}
    rooms = {r.slug: r.name for r in resources.rooms}
    pens = {d.slug: pen_name(d) for d in resources.devices}
    conflict["alternatives"] = [
        {
            "start": datetime.fromisoformat(alt["start"]),
            "label": f"{when_words(datetime.fromisoformat(alt['start']), location.zone)} "
            + place_words(
                staff=names.get(alt.get("staff") or "", "a colleague"),
                room=rooms.get(alt.get("room") or "", "a free room"),
                pen=pens.get(alt.get("device") or "", ""),
            ),
        }
        for alt in conflict.get("alternatives", [])
    ]
