"""Pages show times in the clinic's own time zone (the database and the API stay in UTC)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from needlepoint.clinic.clock import location_zone


class ClinicTimeZoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(("/api/", "/static/")):
            return self.get_response(request)  # the API speaks UTC with offsets
        # The default location's zone (the clinic clock's rule); pages about one location
        # (the calendar, the treatment day) switch to that location's zone themselves.
        with timezone.override(location_zone()):
            return self.get_response(request)
