"""Writes to the clinic's setup: locations, rooms, pens, services, staff hours, closures,
time off and consent texts. Each write is one transaction with its audit event; a refusal
is an ``InvalidInput`` naming the field, so a page can show it beside that field."""

from __future__ import annotations

import zoneinfo
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from needlepoint.accounts.models import User
from needlepoint.accounts.roles import STAFF_ROLES, Role
from needlepoint.audit.services import record
from needlepoint.core.errors import Conflict, InvalidInput, Problems
from needlepoint.domain.charting import CONSENT_SECTIONS, parse_consent
from needlepoint.domain.errors import DataError

from .models import (
    Closure,
    ConsentText,
    Device,
    Location,
    Room,
    RoomKind,
    ScheduleException,
    Service,
    WorkingHours,
)
from .selectors import CONSENT_TEXTS_CACHE_KEY

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _required(problems: Problems, field: str, value: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        problems.add(field, "is required")
    elif len(value) > limit:
        problems.add(field, f"is too long (at most {limit} characters)")
    return value


def _unique_slug(model: Any, text: str, *, exclude: int | None = None) -> str:
    base = slugify(text)[:40] or "item"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exclude(pk=exclude).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


# --- Locations -------------------------------------------------------------------------


def location_save(
    *,
    actor: User,
    name: str,
    time_zone: str,
    address: str = "",
    phone: str = "",
    location: Location | None = None,
) -> Location:
    """Add a location (``location`` None) or change one."""
    problems = Problems()
    name = _required(problems, "name", name, 120)
    if time_zone not in zoneinfo.available_timezones():
        problems.add("time_zone", "choose the time zone the clinic's clocks show")
    phone = (phone or "").strip()
    if len(phone) > 32:
        problems.add("phone", "is too long (at most 32 characters)")
    taken = Location.objects.filter(name__iexact=name)
    if location is not None:
        taken = taken.exclude(pk=location.pk)
    if name and taken.exists():
        problems.add("name", "another location already has this name; choose another")
    problems.raise_if_any()
    with transaction.atomic():
        adding = location is None
        if location is None:
            location = Location(slug=_unique_slug(Location, name))
        location.name, location.time_zone = name, time_zone
        location.address, location.phone = (address or "").strip(), phone
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
    name = _required(problems, "name", name, 120)
    if kind not in RoomKind.values:
        problems.add("kind", "choose treatment room or consultation room")
    taken = Room.objects.filter(location=location, name__iexact=name)
    if room is not None:
        taken = taken.exclude(pk=room.pk)
    if name and taken.exists():
        problems.add("name", f"{location.name} already has a room called {name}; choose another")
    problems.raise_if_any()
    with transaction.atomic():
        adding = room is None
        if room is None:
            room = Room(location=location, slug=_unique_slug(Room, f"{location.slug}-{name}"))
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
    with transaction.atomic():
        room.active = active
        room.save(update_fields=["active"])
        record(
            actor=actor,
            action="room.reactivate" if active else "room.deactivate",
            object_type="room",
            object_id=room.pk,
        )
    return room


# --- Pens ------------------------------------------------------------------------------


def device_create(
    *, actor: User, location: Location, label: str, model_name: str, serial_number: str
) -> Device:
    """Add a pen. Its label (e.g. "micropen-3") is what charts and the pen's sticker show."""
    problems = Problems()
    label = slugify(_required(problems, "label", label, 50))
    model_name = _required(problems, "model_name", model_name, 120)
    serial_number = _required(problems, "serial_number", serial_number, 64)
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


# --- Services --------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceTerms:
    name: str
    description: str
    duration_minutes: int
    buffer_after_minutes: int
    room_kind: str
    needs_device: bool
    performer_roles: Sequence[str]
    online_booking: bool
    is_treatment: bool
    price: Decimal | None
    currency: str = "USD"


def service_save(*, actor: User, terms: ServiceTerms, service: Service | None = None) -> Service:
    """Add a service (``service`` None) or change its terms."""
    problems = Problems()
    name = _required(problems, "name", terms.name, 120)
    if not 5 <= terms.duration_minutes <= 480:
        problems.add("duration_minutes", "must be between 5 and 480 minutes")
    if terms.buffer_after_minutes < 0:
        problems.add("buffer_after_minutes", "cannot be negative; enter 0 for no buffer")
    elif terms.buffer_after_minutes > 240:
        problems.add("buffer_after_minutes", "must be at most 240 minutes")
    if terms.room_kind not in RoomKind.values:
        problems.add("room_kind", "choose the kind of room the service needs")
    allowed = set(STAFF_ROLES)
    if not terms.performer_roles or not set(terms.performer_roles) <= allowed:
        problems.add("performer_roles", "choose at least one staff role who performs it")
    if terms.price is not None and (terms.price < 0 or terms.price >= Decimal("1000000")):
        problems.add("price", "must be between 0 and 999999.99; leave empty if not priced")
    if len(terms.currency or "") != 3 or not terms.currency.isalpha():
        problems.add("currency", "must be a three-letter currency code such as USD")
    taken = Service.objects.filter(name__iexact=name)
    if service is not None:
        taken = taken.exclude(pk=service.pk)
    if name and taken.exists():
        problems.add("name", "another service already has this name; choose another")
    problems.raise_if_any()
    with transaction.atomic():
        adding = service is None
        if service is None:
            service = Service(slug=_unique_slug(Service, name))
        service.name, service.description = name, (terms.description or "").strip()
        service.duration_minutes = terms.duration_minutes
        service.buffer_after_minutes = terms.buffer_after_minutes
        service.room_kind, service.needs_device = terms.room_kind, terms.needs_device
        service.performer_roles = [r for r in Role.values if r in set(terms.performer_roles)]
        service.online_booking, service.is_treatment = terms.online_booking, terms.is_treatment
        service.price, service.currency = terms.price, terms.currency.upper()
        service.save()
        record(
            actor=actor,
            action="service.create" if adding else "service.update",
            object_type="service",
            object_id=service.pk,
            detail={"name": name, "duration_minutes": terms.duration_minutes},
        )
    return service


def service_set_active(*, actor: User, service: Service, active: bool) -> Service:
    """Services are withdrawn, never deleted: appointments and plans name them."""
    with transaction.atomic():
        service.active = active
        service.save(update_fields=["active"])
        record(
            actor=actor,
            action="service.reactivate" if active else "service.withdraw",
            object_type="service",
            object_id=service.pk,
        )
    return service


# --- Working hours ---------------------------------------------------------------------


@dataclass(frozen=True)
class WeekBlock:
    weekday: int
    location: Location
    start: time | None
    end: time | None

    @property
    def field(self) -> str:
        """The block's name on the week grid: ``monday-main``."""
        return f"{WEEKDAYS[self.weekday]}-{self.location.slug}"


def working_week_set(*, actor: User, staff: User, blocks: Sequence[WeekBlock]) -> int:
    """Replace a staff member's weekly hours with one block per day and location (a block
    with neither time is a day off there). Returns how many blocks the week now has."""
    if staff.role not in STAFF_ROLES or not staff.is_active:
        raise Conflict("Working hours are for active staff members.")
    problems = Problems()
    kept: list[tuple[WeekBlock, time, time]] = []
    for block in blocks:
        if block.start is None and block.end is None:
            continue
        if block.start is None:
            problems.add(f"{block.field}-start", "enter the start time, or clear both times")
        elif block.end is None:
            problems.add(f"{block.field}-end", "enter the end time, or clear both times")
        elif block.end <= block.start:
            problems.add(f"{block.field}-end", "must be after the start time")
        else:
            kept.append((block, block.start, block.end))
    for i, (one, one_start, one_end) in enumerate(kept):
        for other, other_start, other_end in kept[i + 1 :]:
            if one.weekday == other.weekday and one_start < other_end and other_start < one_end:
                problems.add(
                    f"{other.field}-start",
                    f"overlaps the hours at {one.location.name} that day; "
                    "a person works at one place at a time",
                )
    problems.raise_if_any()
    with transaction.atomic():
        WorkingHours.objects.filter(staff=staff).delete()
        WorkingHours.objects.bulk_create(
            WorkingHours(
                staff=staff, location=b.location, weekday=b.weekday, start_time=s, end_time=e
            )
            for b, s, e in kept
        )
        record(
            actor=actor,
            action="working_hours.set",
            object_type="staff",
            object_id=staff.pk,
            detail={"blocks": [f"{b.field} {s:%H:%M}-{e:%H:%M}" for b, s, e in kept]},
        )
    return len(kept)


# --- Closures and time off -------------------------------------------------------------


def closure_add(*, actor: User, location: Location, on: date, reason: str, today: date) -> Closure:
    problems = Problems()
    if on < today:
        problems.add("date", "is in the past; choose today or a later day")
    reason = (reason or "").strip()
    if len(reason) > 200:
        problems.add("reason", "is too long (at most 200 characters)")
    if Closure.objects.filter(location=location, date=on).exists():
        problems.add("date", f"{location.name} is already closed that day")
    problems.raise_if_any()
    with transaction.atomic():
        closure = Closure.objects.create(location=location, date=on, reason=reason)
        record(
            actor=actor,
            action="closure.add",
            object_type="closure",
            object_id=closure.pk,
            detail={"location": location.slug, "date": on.isoformat()},
        )
    return closure


def closure_remove(*, actor: User, closure: Closure) -> None:
    """A closure names no other row, so removing it (reopening the day) deletes it."""
    with transaction.atomic():
        record(
            actor=actor,
            action="closure.remove",
            object_type="closure",
            object_id=closure.pk,
            detail={"location": closure.location.slug, "date": closure.date.isoformat()},
        )
        closure.delete()


def schedule_exception_add(
    *,
    actor: User,
    staff: User,
    location: Location,
    on: date,
    kind: str,
    start: time | None,
    end: time | None,
    note: str,
    today: date,
) -> ScheduleException:
    """Time off (a whole day when no times are given) or extra hours on one date."""
    problems = Problems()
    if staff.role not in STAFF_ROLES:
        problems.add("staff", "choose a staff member")
    if kind not in ScheduleException.Kind.values:
        problems.add("kind", "choose time off or extra hours")
    if on < today:
        problems.add("date", "is in the past; choose today or a later day")
    if (start is None) != (end is None):
        problems.add("end" if end is None else "start", "enter both times, or neither")
    elif start is None and kind == ScheduleException.Kind.EXTRA_HOURS:
        problems.add("start", "extra hours need a start and an end time")
    elif start is not None and end is not None and end <= start:
        problems.add("end", "must be after the start time")
    note = (note or "").strip()
    if len(note) > 200:
        problems.add("note", "is too long (at most 200 characters)")
    problems.raise_if_any()
    with transaction.atomic():
        exception = ScheduleException.objects.create(
            staff=staff,
            location=location,
            date=on,
            kind=kind,
            start_time=start,
            end_time=end,
            note=note,
        )
        record(
            actor=actor,
            action="schedule_exception.add",
            object_type="schedule_exception",
            object_id=exception.pk,
            detail={"staff": staff.pk, "date": on.isoformat(), "kind": kind},
        )
    return exception


def schedule_exception_remove(*, actor: User, exception: ScheduleException) -> None:
    with transaction.atomic():
        record(
            actor=actor,
            action="schedule_exception.remove",
            object_type="schedule_exception",
            object_id=exception.pk,
            detail={"staff": exception.staff_id, "date": exception.date.isoformat()},
        )
        exception.delete()


# --- Consent texts ---------------------------------------------------------------------


def consent_text_publish(
    *,
    actor: User,
    version: str,
    sections: Mapping[str, tuple[str, str]],
    note: str,
    known_versions: Sequence[str],
    today: date,
    now: datetime | None = None,
) -> ConsentText:
    """Publish a new consent text version; patients sign it from now on. Versions already
    published (``known_versions``: the data file's and earlier ones) are never changed."""
    problems = Problems()
    version = _required(problems, "version", version, 64)
    if version and (
        version in known_versions or ConsentText.objects.filter(version=version).exists()
    ):
        problems.add("version", f"version {version} already exists; name the new version")
    if len(note or "") > 300:
        problems.add("note", "is too long (at most 300 characters)")
    raw_sections = {
        key: {"title": sections.get(key, ("", ""))[0], "text": sections.get(key, ("", ""))[1]}
        for key in CONSENT_SECTIONS
    }
    raw = {
        "current": version or "new",
        "versions": [{"version": version or "new", "effective": today, "sections": raw_sections}],
        "photo_release": {"version": "check", "text": "check"},
    }
    try:
        parsed = parse_consent(raw).current
    except DataError as exc:
        # ("versions", 0, "sections", key, "title"|"text") -> "key-title"
        path = [str(p) for p in exc.path[3:5]]
        problems.add("-".join(path) if len(path) == 2 else "version", str(exc))
        parsed = None
    problems.raise_if_any()
    assert parsed is not None
    with transaction.atomic():
        published = ConsentText.objects.create(
            version=version,
            effective=today,
            sections=[{"key": s.key, "title": s.title, "text": s.text} for s in parsed.sections],
            text_hash=parsed.text_hash,
            note=(note or "").strip(),
            published_by=actor,
            published_at=now or timezone.now(),
        )
        record(
            actor=actor,
            action="consent_text.publish",
            object_type="consent_text",
            object_id=published.pk,
            detail={"version": version, "text_hash": published.text_hash},
        )
        # Dropped now (this request reads its own write) and again once committed (a reader
        # in between may have cached the list without it).
        cache.delete(CONSENT_TEXTS_CACHE_KEY)
        transaction.on_commit(lambda: cache.delete(CONSENT_TEXTS_CACHE_KEY))
    return published
