from django.contrib import admin

from .models import (
    CartridgeLot,
    Closure,
    Device,
    Location,
    Room,
    ScheduleException,
    Service,
    WorkingHours,
)


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "time_zone", "phone"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "kind", "location", "active"]
    list_filter = ["location", "kind", "active"]


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ["slug", "model_name", "serial_number", "status", "location"]
    list_filter = ["status", "location"]
    search_fields = ["slug", "serial_number"]


@admin.register(CartridgeLot)
class CartridgeLotAdmin(admin.ModelAdmin):
    list_display = ["product", "ref", "lot", "expiry", "quantity_received", "location"]
    list_filter = ["location", "product"]
    search_fields = ["lot", "ref"]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "slug",
        "duration_minutes",
        "buffer_after_minutes",
        "room_kind",
        "needs_device",
        "online_booking",
        "is_treatment",
        "active",
    ]
    list_filter = ["room_kind", "needs_device", "online_booking", "active"]


@admin.register(WorkingHours)
class WorkingHoursAdmin(admin.ModelAdmin):
    list_display = ["staff", "location", "weekday", "start_time", "end_time"]
    list_filter = ["location", "weekday", "staff"]


@admin.register(ScheduleException)
class ScheduleExceptionAdmin(admin.ModelAdmin):
    list_display = ["staff", "date", "kind", "start_time", "end_time", "note"]
    list_filter = ["kind", "staff"]
    date_hierarchy = "date"


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ["location", "date", "reason"]
    date_hierarchy = "date"
