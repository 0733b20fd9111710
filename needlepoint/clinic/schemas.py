from __future__ import annotations

from decimal import Decimal
from typing import Any

from ninja import Schema

from .location_face import location_face


class ServiceOut(Schema):
    slug: str
    name: str
    description: str
    duration_minutes: int
    buffer_after_minutes: int
    room_kind: str
    needs_device: bool
    performer_roles: list[str]
    online_booking: bool
    is_treatment: bool


class LocationOut(Schema):
    slug: str
    name: str
    time_zone: str
    address: str
    phone: str
    # Added with decision 0711: the opening hours in words and an OpenStreetMap search link.
    opening_hours: str
    map_url: str

    @staticmethod
    def resolve_opening_hours(obj: Any) -> str:
        # The list endpoint reads every location's hours at once (location_faces).
        known = getattr(obj, "hours_in_words", None)
        return known if known is not None else location_face(obj).hours


class OfferingOut(Schema):
    """A service as one location offers it: its duration and price there (decision 0710)."""

    slug: str
    name: str
    duration_minutes: int
    price: Decimal | None
    currency: str
    online_booking: bool
    is_treatment: bool


class RoomOut(Schema):
    slug: str
    name: str
    kind: str
    active: bool


class DeviceOut(Schema):
    slug: str
    model: str
    serial_number: str
    status: str

    @staticmethod
    def resolve_model(obj: Any) -> str:
        return str(obj.model_name)
