"""Reads for the setup pages: each list in a fixed number of queries, however long."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from needlepoint.accounts.models import User
from needlepoint.accounts.roles import STAFF_ROLES
from needlepoint.charting.selectors import consent_library
from needlepoint.clinic.access import within_reach
from needlepoint.clinic.clock import local_day_bounds, location_zone
from needlepoint.clinic.models import (
    CartridgeLot,
    Closure,
    ConsentText,
    Device,
    Location,
    Room,
    ScheduleException,
    Service,
    WorkingHours,
)
from needlepoint.core.errors import NotFound
from needlepoint.core.labels import clock_words, day_words
from needlepoint.scheduling.models import Appointment, AppointmentStatus


@dataclass(frozen=True)
class Area:
    title: str
    url_name: str
    count: int
    counted: tuple[str, str]  # ("pen in service", "pens in service")
    about: str

    @property
    def count_words(self) -> str:
        return f"{self.count} {self.counted[0] if self.count == 1 else self.counted[1]}"


def areas(today: date) -> list[Area]:
    """The setup home: each area with how many rows it holds."""
    staff = User.objects.filter(role__in=STAFF_ROLES, is_active=True)
    library = consent_library()
    rooms = Room.objects.filter(active=True).count()
    return [
        Area(
            "Locations",
            "setup:locations",
            Location.objects.count(),
            ("location", "locations"),
            "Names, addresses, phone numbers and time zones.",
        ),
        Area(
            "Rooms",
            "setup:rooms",
            rooms,
            ("room in use", "rooms in use"),
            "Treatment and consultation rooms at each location.",
        ),
        Area(
            "Pens",
            "setup:pens",
            Device.objects.filter(status=Device.Status.IN_SERVICE).count(),
            ("pen in service", "pens in service"),
            "Micro-needling pens, their serial numbers and service status.",
        ),
        Area(
            "Cartridges",
            "setup:cartridges",
            CartridgeLot.objects.values("product").distinct().count(),
            ("product", "products"),
            "Needle cartridge products and their lots in stock.",
        ),
        Area(
            "Services",
            "setup:services",
            Service.objects.filter(active=True).count(),
            ("service offered", "services offered"),
            "Durations, buffers, prices and online booking.",
        ),
        Area(
            "Working hours",
            "setup:hours",
            staff.filter(working_hours__isnull=False).distinct().count(),
            ("staff member with hours", "staff members with hours"),
            "Each staff member's week, location by location.",
        ),
        Area(
            "Closures and time off",
            "setup:closures",
            Closure.objects.filter(date__gte=today).count(),
            ("closure ahead", "closures ahead"),
            "Days a location is closed, and staff time off or extra hours.",
        ),
        Area(
            "Consent texts",
            "setup:consent",
            len(library.versions),
            ("version", "versions"),
            f"The consent patients sign; version {library.current_version} in force.",
        ),
    ]


def locations(actor: Any = None) -> QuerySet[Location]:
    found = Location.objects.annotate(room_count=Count("rooms")).order_by("name")
    return _reach(found, actor, "pk")


def rooms(actor: Any = None) -> QuerySet[Room]:
    found = Room.objects.select_related("location")
    return _reach(found, actor).order_by("location__name", "-active", "name")


def pens(actor: Any = None) -> QuerySet[Device]:
    return (
        _reach(Device.objects.select_related("location"), actor)
        .annotate(chart_count=Count("charts"))
        .order_by("location__name", "slug")
    )


def services() -> QuerySet[Service]:
    return Service.objects.order_by("-active", "name")


def staff_with_hours() -> list[tuple[User, list[WorkingHours]]]:
    hours = WorkingHours.objects.select_related("location").order_by("weekday", "start_time")
    people = (
        User.objects.filter(role__in=STAFF_ROLES, is_active=True)
        .prefetch_related(Prefetch("working_hours", queryset=hours, to_attr="week"))
        .order_by("first_name", "last_name", "pk")
    )
    return [(person, list(person.week)) for person in people]  # type: ignore[attr-defined]


def staff_member(public_id: str) -> User | None:
    return User.objects.filter(public_id=public_id, role__in=STAFF_ROLES, is_active=True).first()


def week_of(staff: User) -> list[WorkingHours]:
    return list(WorkingHours.objects.filter(staff=staff).select_related("location"))


def closures_from(today: date, actor: Any = None) -> QuerySet[Closure]:
    found = Closure.objects.filter(date__gte=today).select_related("location")
    return _reach(found, actor).order_by("date")


def exceptions_from(today: date, actor: Any = None) -> QuerySet[ScheduleException]:
    return (
        _reach(ScheduleException.objects.filter(date__gte=today), actor, blank_too=True)
        .select_related("staff", "location")
        .order_by("date", "start_time")
    )


def consent_history() -> list[dict[str, Any]]:
    """Every version, newest first: from the data file, then those published here."""
    library = consent_library()
    published = {row.version: row for row in ConsentText.objects.select_related("published_by")}
    zone = location_zone()  # the clinic's (the default location's), read once
    file_versions = sorted(
        (v for v in library.versions.values() if v.version not in published),
        key=lambda v: v.effective,
    )
    in_order = [*file_versions, *(v for v in library.versions.values() if v.version in published)]
    return [
        {
            "version": version,
            "current": version.version == library.current_version,
            "published": published.get(version.version),
            "published_words": _when_words(published[version.version].published_at, zone)
            if version.version in published
            else "",
        }
        for version in reversed(in_order)
    ]


def _when_words(at: datetime, zone: Any) -> str:
    """An instant at the clinic: "Wednesday 2 December 2026, 9:30 am"."""
    local = timezone.localtime(at, zone)
    return f"{day_words(local.date())}, {clock_words(local)}"


def lots_by_product(rows: list[tuple[Any, Any]]) -> dict[str, list[tuple[Any, Any]]]:
    grouped: dict[str, list[tuple[Any, Any]]] = defaultdict(list)
    for lot, stock in rows:
        grouped[lot.product].append((lot, stock))
    return dict(sorted(grouped.items()))


def warnings_in_words(rows: list[tuple[Any, Any]], warnings: list[Any]) -> list[str]:
    """The stock warnings with dates as people write them (the report's own say 2026-12-22)."""
    by_lot = {lot.lot: (lot, stock) for lot, stock in rows}
    said = []
    for warning in warnings:
        lot, stock = by_lot.get(warning.lot, (None, None))
        if lot is None:
            said.append(warning.message)
        elif warning.code == "LOT_EXPIRING":
            said.append(f"Lot {lot.lot} ({lot.product}) expires on {lot.expiry:%A %-d %B %Y}.")
        elif warning.code == "LOT_LOW":
            said.append(f"Lot {lot.lot} ({lot.product}): only {stock.remaining} left.")
        else:
            said.append(warning.message)
    return said


def booked_on(location: Location, day: date) -> int:
    """How many appointments are still booked at the location on its local ``day``."""
    bounds = local_day_bounds(location, day)
    return Appointment.objects.filter(
        location=location,
        start__gte=bounds.start,
        start__lt=bounds.end,
        status=AppointmentStatus.BOOKED,
    ).count()


def booked_from(location: Location, day: date) -> int:
    """How many appointments are booked at the location from its local ``day`` on."""
    return Appointment.objects.filter(
        location=location,
        start__gte=local_day_bounds(location, day).start,
        status=AppointmentStatus.BOOKED,
    ).count()


# ---------------------------------------------------------------- lookups (404 when absent)


def _reach(
    query: QuerySet[Any], actor: Any, field: str = "location", *, blank_too: bool = False
) -> QuerySet[Any]:
    """Only what sits at the actor's locations (decision 0700); no actor: everything."""
    return query if actor is None else within_reach(query, actor, field=field, blank_too=blank_too)


def _one(
    query: QuerySet[Any], what: str, *, actor: Any = None, field: str = "location", **lookup: Any
) -> Any:
    """One object, NotFound (404) when absent or at a location out of the actor's reach."""
    found = _reach(query, actor, field, blank_too=what == "time off").filter(**lookup).first()
    if found is None:
        raise NotFound(f"no such {what}")
    return found


def location_named(slug: str, actor: Any = None) -> Location:
    return _one(Location.objects.all(), "location", actor=actor, field="pk", slug=slug)


def room_at(pk: int, actor: Any = None) -> Room:
    return _one(Room.objects.select_related("location"), "room", actor=actor, pk=pk)


def pen_at(pk: int, actor: Any = None) -> Device:
    return _one(Device.objects.all(), "pen", actor=actor, pk=pk)


def service_at(pk: int) -> Service:
    return _one(Service.objects.all(), "service", pk=pk)


def closure_at(pk: int, actor: Any = None) -> Closure:
    return _one(Closure.objects.select_related("location"), "closure", actor=actor, pk=pk)


def exception_at(pk: int, actor: Any = None) -> ScheduleException:
    return _one(ScheduleException.objects.all(), "time off", actor=actor, pk=pk)


def locations_by_name(actor: Any = None) -> list[Location]:
    return list(_reach(Location.objects.order_by("name"), actor, "pk"))
