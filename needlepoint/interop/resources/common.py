"""Ids and references shared by the resource builders."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

CLINIC_ORGANIZATION = "clinic"


def ref(resource_type: str, resource_id: object, display: str = "") -> dict[str, Any]:
    item: dict[str, Any] = {"reference": f"{resource_type}/{resource_id}"}
    if display:
        item["display"] = display
    return item


def fhir_id(*parts: object) -> str:
    """An id FHIR accepts ([A-Za-z0-9-.], at most 64): underscores become hyphens."""
    text = "-".join(str(p) for p in parts)
    return re.sub(r"[^A-Za-z0-9.-]", "-", text)[:64]


def instant(value: datetime) -> str:
    """A UTC instant with its offset, as FHIR's dateTime and instant want it."""
    return value.astimezone(UTC).isoformat(timespec="seconds")


def day(value: date) -> str:
    return value.isoformat()


def organization_ref() -> dict[str, Any]:
    return ref("Organization", CLINIC_ORGANIZATION)


def site_id(location_id: int) -> str:
    return fhir_id("site", location_id)


def room_id(room_id_: int) -> str:
    return fhir_id("room", room_id_)


def pen_id(device_id: int) -> str:
    return fhir_id("pen", device_id)


def lot_id(lot_pk: int) -> str:
    return fhir_id("lot", lot_pk)


def compact(resource: dict[str, Any]) -> dict[str, Any]:
    """FHIR forbids empty values: drop None, "", [] and {} (recursively)."""
    out: dict[str, Any] = {}
    for key, value in resource.items():
        if isinstance(value, dict):
            value = compact(value)
        elif isinstance(value, list):
            value = [compact(v) if isinstance(v, dict) else v for v in value]
            value = [v for v in value if v not in (None, "", {}, [])]
        if value in (None, "", {}, []):
            continue
        out[key] = value
    return out
