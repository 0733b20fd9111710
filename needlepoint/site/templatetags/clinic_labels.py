"""Patient-facing labels for the protocol table's names (zones, concerns)."""

from __future__ import annotations

from django import template

from needlepoint.screening.clinic_data import current_protocols
from needlepoint.screening.models import Determination
from needlepoint.site.patient_sections import VERDICT_WORDS

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


@register.filter
def verdict_words(code: str) -> str:
    """A screening verdict as staff say it: `needs_review` → "Needs a clinician's review"."""
    return VERDICT_WORDS.get(str(code), words(code).capitalize())


@register.filter
def determination_words(code: str) -> str:
    """A consultation's determination by its label: `not_candidate` → "Not a candidate"."""
    labels = dict(Determination.choices)
    return str(labels.get(str(code), words(code).capitalize()))
