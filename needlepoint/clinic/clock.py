"""The clinic clock: the one answer to "what day is it at the clinic?" (docs/decisions/0309).

Every location keeps its own IANA zone (a group's locations may sit in different zones). When
no location is named, the default is the clinic's first location by primary key; a clinic with
no location yet (or whose tables do not exist yet) uses ``settings.TIME_ZONE`` (UTC).

Nothing here depends on the request's active time zone, so a page and an ``/api/`` call (where
the time-zone middleware is skipped) get the same date for the same instant. Services take
``today``/``now`` from their caller or from here, never from ``timezone.localdate()``.
"""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from needlepoint.domain.time import Interval, day_bounds

from .models import Location


def _fallback_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def default_location() -> Location | None:
    """The location meant when none is named: the first by primary key (None without one).

    For a page or a date with no location chosen; a request field that leaves the location
    blank means the clinic's only one instead (``clinic.selectors.location_in_field``)."""
    try:
        return Location.objects.order_by("pk").first()
    except DatabaseError:  # before the first migration (checks at startup, `migrate` itself)
        return None


def location_zone(location: Location | None = None) -> zoneinfo.ZoneInfo:
    """The location's zone; without a location, the default location's (see the module)."""
    where = location if location is not None else default_location()
    if where is None:
        return _fallback_zone()
    try:
        return zoneinfo.ZoneInfo(where.time_zone)
    except zoneinfo.ZoneInfoNotFoundError:
        if location is not None:
            raise
        return _fallback_zone()  # a default zone since removed from tzdata: still serve pages


def local_date(location: Location | None, at: datetime) -> date:
    """The calendar day at the location when the aware instant ``at`` happens."""
    return timezone.localtime(at, location_zone(location)).date()


def clinic_today(location: Location | None = None, *, now: datetime | None = None) -> date:
    """Today at the location (the default location when None), at ``now`` or the present."""
    return local_date(location, now if now is not None else timezone.now())


def local_day_bounds(location: Location | None, day: date) -> Interval:
    """The UTC interval of the location's local calendar ``day`` (23 or 25 hours on DST days)."""
    return day_bounds(day, location_zone(location))
