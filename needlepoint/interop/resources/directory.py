"""The clinic's resources: Organization, Location (the sites and their rooms), Practitioner
and PractitionerRole, HealthcareService, and Device (pens and cartridge lots)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from needlepoint.accounts.models import User
from needlepoint.clinic.models import CartridgeLot, Device, Location, Room, Service
from needlepoint.clinic.public_face import public_face

from .. import codes
from ..records import Directory
from .common import (
    CLINIC_ORGANIZATION,
    compact,
    fhir_id,
    lot_id,
    organization_ref,
    pen_id,
    ref,
    room_id,
    site_id,
)


def organization() -> dict[str, Any]:
    return {
        "resourceType": "Organization",
        "id": CLINIC_ORGANIZATION,
        "active": True,
        "name": public_face().name,  # the name the clinic set, as its pages show it
    }


def site(location: Location) -> dict[str, Any]:
    return compact(
        {
            "resourceType": "Location",
            "id": site_id(location.pk),
            "status": "active",
            "mode": "instance",
            "name": location.name,
            "physicalType": codes.concept(codes.LOCATION_TYPE, "si", "Site"),
            "telecom": [{"system": "phone", "value": location.phone}] if location.phone else [],
            "address": {"text": location.address} if location.address else None,
            "managingOrganization": organization_ref(),
        }
    )


def room(item: Room) -> dict[str, Any]:
    return {
        "resourceType": "Location",
        "id": room_id(item.pk),
        "status": "active" if item.active else "inactive",
        "mode": "instance",
        "name": item.name,
        "description": item.get_kind_display(),
        "physicalType": codes.concept(codes.LOCATION_TYPE, "ro", "Room"),
        "managingOrganization": organization_ref(),
        "partOf": ref("Location", site_id(item.location_id)),
    }


def practitioner(user: User) -> dict[str, Any]:
    name = compact(
        {
            "text": user.public_name,
            "family": user.last_name,
            "given": [user.first_name] if user.first_name else [],
        }
    )
    return compact(
        {
            "resourceType": "Practitioner",
            "id": fhir_id(user.pk),
            "active": user.is_active,
            "name": [name],
        }
    )


def practitioner_role(user: User, location_ids: list[int]) -> dict[str, Any]:
    return compact(
        {
            "resourceType": "PractitionerRole",
            "id": fhir_id(user.pk),
            "active": user.is_active,
            "practitioner": ref("Practitioner", fhir_id(user.pk)),
            "organization": organization_ref(),
            "code": [codes.concept(codes.STAFF_ROLE, user.role, str(user.get_role_display()))],
            "location": [ref("Location", site_id(pk)) for pk in location_ids],
        }
    )


def healthcare_service(service: Service, location_ids: list[int]) -> dict[str, Any]:
    return compact(
        {
            "resourceType": "HealthcareService",
            "id": fhir_id(service.pk),
            "active": service.active,
            "providedBy": organization_ref(),
            "type": [codes.concept(codes.SERVICE, service.slug, service.name)],
            "location": [ref("Location", site_id(pk)) for pk in location_ids],
            "name": service.name,
            "comment": service.description,
            "appointmentRequired": True,
            "extraDetails": _price(service.price, service.currency),
        }
    )


def _price(price: Decimal | None, currency: str) -> str:
    return f"Price: {price} {currency}" if price is not None else ""


def pen(device: Device) -> dict[str, Any]:
    return {
        "resourceType": "Device",
        "id": pen_id(device.pk),
        "status": codes.DEVICE_STATUS[device.status],
        "serialNumber": device.serial_number,
        "deviceName": [{"name": device.model_name, "type": "model-name"}],
        "type": codes.concept(codes.PROCEDURE, "microneedling", "Micro-needling pen"),
        "owner": organization_ref(),
        "location": ref("Location", site_id(device.location_id)),
    }


def cartridge_lot(lot: CartridgeLot) -> dict[str, Any]:
    return {
        "resourceType": "Device",
        "id": lot_id(lot.pk),
        "status": "active",
        "lotNumber": lot.lot,
        "expirationDate": lot.expiry.isoformat(),
        "modelNumber": lot.ref,
        "deviceName": [{"name": lot.product, "type": "user-friendly-name"}],
        "owner": organization_ref(),
        "location": ref("Location", site_id(lot.location_id)),
    }


def directory_resources(directory: Directory) -> list[dict[str, Any]]:
    """Every clinic resource, in a stable order."""
    every_site = [loc.pk for loc in directory.locations]
    items: list[dict[str, Any]] = [organization()]
    items += [site(loc) for loc in directory.locations]
    items += [room(r) for r in directory.rooms]
    for user in directory.staff:
        items.append(practitioner(user))
        items.append(practitioner_role(user, directory.staff_locations.get(user.pk, [])))
    items += [healthcare_service(s, every_site) for s in directory.services]
    items += [pen(d) for d in directory.pens]
    items += [cartridge_lot(lot) for lot in directory.lots]
    return items
