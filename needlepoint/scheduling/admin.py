from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Appointment, AppointmentSeries


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    """Appointments change through the calendar and the API (checks, audit), never here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Appointment)
class AppointmentAdmin(ReadOnly):
    list_display = ("id", "start", "service", "staff", "room", "device", "status")
    list_filter = ("status", "location", "service")
    date_hierarchy = "start"


@admin.register(AppointmentSeries)
class AppointmentSeriesAdmin(ReadOnly):
    list_display = ("id", "service", "plan", "created_at")
