"""The clinic admin's setup pages (issue #11)."""

from .consent import consent, consent_publish, consent_version
from .hours import closure_remove, closures, exception_remove, hours, hours_edit
from .importing import import_patients
from .location_services import location_services
from .offer import service_active, service_edit, services
from .places import (
    cartridges,
    home,
    location_edit,
    locations,
    pen_status,
    pens,
    room_active,
    room_edit,
    rooms,
)
from .public_pages import public_pages

__all__ = [
    "cartridges",
    "closure_remove",
    "closures",
    "consent",
    "consent_publish",
    "consent_version",
    "exception_remove",
    "home",
    "hours",
    "hours_edit",
    "import_patients",
    "location_edit",
    "location_services",
    "locations",
    "pen_status",
    "pens",
    "public_pages",
    "room_active",
    "room_edit",
    "rooms",
    "service_active",
    "service_edit",
    "services",
]
