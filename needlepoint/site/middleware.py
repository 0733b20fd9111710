"""Pages show times in the clinic's own time zone (the database and the API stay in UTC)."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from needlepoint.clinic.models import Location


def clinic_zone() -> zoneinfo.ZoneInfo:
    """The zone of the clinic's first location: what a single-location clinic shows everywhere.

    Pages about one location (the calendar, the treatment day) switch to that location's
    zone themselves; this is the default for everything else."""
    name = Location.objects.order_by("pk").values_list("time_zone", flat=True).first()
    try:
        return zoneinfo.ZoneInfo(name) if name else zoneinfo.ZoneInfo("UTC")
    except zoneinfo.ZoneInfoNotFoundError:
        return zoneinfo.ZoneInfo("UTC")


class ClinicTimeZoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(("/api/", "/static/")):
            return self.get_response(request)  # the API speaks UTC with offsets
        with timezone.override(clinic_zone()):
            return self.get_response(request)
