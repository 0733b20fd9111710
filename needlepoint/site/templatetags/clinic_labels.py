"""Patient-facing labels for the protocol table's names (zones, concerns)."""

from __future__ import annotations

from django import template

from needlepoint.screening.clinic_data import current_protocols

register = template.Library()


@register.filter
def zone_label(name: str) -> str:
    """`chin_jawline` → the clinic's label for that zone ("Chin and jawline")."""
    zone = current_protocols().zones.get(str(name))
    return zone.label if zone is not None else str(name).replace("_", " ").capitalize()


@register.filter
def concern_label(name: str) -> str:
    concern = current_protocols().concerns.get(str(name))
    return concern.label if concern is not None else str(name).replace("_", " ").capitalize()


@register.filter
def words(code: str) -> str:
    """A code as words for people: `day_of_check` → "day of check"."""
    return str(code).replace("_", " ")
