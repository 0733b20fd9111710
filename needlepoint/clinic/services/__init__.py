"""Writes to the clinic's setup: locations, rooms, pens, services, staff hours, closures,
time off, consent texts, the public pages' name and picture. Each write is one transaction
with its audit event; a refusal is an ``InvalidInput`` naming the field, so a page can show
it beside that field."""

from .common import WEEKDAYS
from .consent_texts import consent_text_publish
from .hours import (
    WeekBlock,
    closure_add,
    closure_remove,
    schedule_exception_add,
    schedule_exception_remove,
    working_week_set,
)
from .offer import ServiceTerms, service_save, service_set_active
from .offerings import OfferingTerms, offering_field, offerings_set
from .places import device_create, device_set_status, location_save, room_save, room_set_active
from .public_pages import public_pages_save

__all__ = [
    "WEEKDAYS",
    "OfferingTerms",
    "ServiceTerms",
    "WeekBlock",
    "closure_add",
    "closure_remove",
    "consent_text_publish",
    "device_create",
    "device_set_status",
    "location_save",
    "offering_field",
    "offerings_set",
    "public_pages_save",
    "room_save",
    "room_set_active",
    "schedule_exception_add",
    "schedule_exception_remove",
    "service_save",
    "service_set_active",
    "working_week_set",
]
