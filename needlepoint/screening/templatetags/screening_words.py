"""Template filters that turn screening, consultation and plan codes into words
(decision 0465). Staff pages in screening and treatments load them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import template

from needlepoint.core.labels import count_words, short_day_words

from .. import words

register = template.Library()


@register.filter
def moment(value: datetime | None) -> str:
    """ "Wednesday 2 December 2026, 10:57 am" in the clinic's zone."""
    return words.when(value)


@register.filter
def day(value: date | str | None) -> str:
    """ "Monday 15 March 2027"."""
    return words.on_day(value)


@register.filter
def short_day(value: date | datetime | None) -> str:
    """ "2 December 2026" (titles)."""
    if isinstance(value, datetime):
        value = value.astimezone(words.location_zone()).date()
    return short_day_words(value) if value else ""


@register.filter
def determination(code: Any) -> str:
    return words.determination_label(code)


@register.filter
def verdict(code: Any) -> str:
    return words.verdict_label(code)


@register.filter
def concern(code: Any) -> str:
    return words.concern_label(code)


@register.filter
def zone(code: Any) -> str:
    return words.zone_label(code)


@register.filter
def counted(count: int, unit: str) -> str:
    """`{{ 1|counted:"month" }}` → "1 month"; `{{ 3|counted:"week" }}` → "3 weeks"."""
    return count_words(int(count), unit)


@register.filter
def person(user: Any) -> str:
    """Staff by their full name (their role if they have none), never the sign-in name."""
    if user is None:
        return ""
    return str(getattr(user, "public_name", "") or user.get_full_name())
