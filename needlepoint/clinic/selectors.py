from __future__ import annotations

from django.db.models import QuerySet

from .models import Device, Location, Room, Service


def public_services() -> QuerySet[Service]:
    return Service.objects.filter(active=True).order_by("name")


def service_by_slug(slug: str) -> Service | None:
    return Service.objects.filter(slug=slug, active=True).first()


def locations() -> QuerySet[Location]:
    return Location.objects.order_by("name")


def location_by_slug(slug: str) -> Location | None:
    return Location.objects.filter(slug=slug).first()


def rooms_at(location: Location) -> QuerySet[Room]:
    return Room.objects.filter(location=location).order_by("slug")


def devices_at(location: Location) -> QuerySet[Device]:
    return Device.objects.filter(location=location).order_by("slug")
