from __future__ import annotations

from typing import Any

from ninja import Schema


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
