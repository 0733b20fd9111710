"""Template filters for the setup pages: values in words (see needlepoint.setup.labels)."""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from typing import Any

from django import template

from needlepoint.core.labels import clock_words as core_clock_words
from needlepoint.setup import labels

register = template.Library()


@register.filter
def zone_words(name: str) -> str:
    return labels.zone_words(name)


@register.filter
def minutes_words(minutes: int | None) -> str:
    return labels.minutes_words(minutes)


@register.simple_tag
def price_words(price: Decimal | None, currency: str = "USD") -> str:
    return labels.price_words(price, currency)


@register.filter
def clock_words(value: time | None) -> str:
    """09:30 -> "9:30 am"; 12:00 -> "12:00 pm" (the one clock style, decision 0510)."""
    return "" if value is None else core_clock_words(value)


@register.filter
def field_of(form: Any, name: str) -> Any:
    """The bound field ``name`` of ``form`` (for fields named at run time, as on the grid)."""
    return form[name]
