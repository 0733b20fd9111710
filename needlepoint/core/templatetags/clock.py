"""The one way a page writes a time of day: "9:30 am" (docs/decisions/0510).

`{% load clock %}` then `{{ start|clock }}`, `{{ start|moment }}` ("Monday 15 March 2027,
9:30 am"), `{{ start|clock_range:end }}` ("9:30 am–10:15 am"). Like Django's `|date` and
`|time`, an aware datetime is first put in the active time zone (the clinic's, on pages);
Django's own "a" format would write "a.m.", which no page uses.
"""

from __future__ import annotations

from datetime import datetime, time

from django import template
from django.utils import timezone

from needlepoint.core.labels import clock_words, day_words

register = template.Library()


@register.filter(expects_localtime=True)
def clock(value: datetime | time | None) -> str:
    """`14:30` → "2:30 pm"; empty for nothing."""
    return clock_words(value) if isinstance(value, (datetime, time)) else ""


@register.filter(expects_localtime=True)
def clock_range(start: datetime | time | None, end: datetime | time | None) -> str:
    """`09:00`, `09:45` → "9:00 am–9:45 am"."""
    if start is None or end is None:
        return ""
    # Only the filtered value is localised by Django; the argument is localised here.
    if isinstance(end, datetime) and timezone.is_aware(end):
        end = timezone.localtime(end)
    return f"{clock(start)}–{clock(end)}"


@register.filter(expects_localtime=True)
def moment(value: datetime | None) -> str:
    """An instant as people read it: "Monday 15 March 2027, 9:30 am"."""
    if not isinstance(value, datetime):
        return ""
    return f"{day_words(value.date())}, {clock_words(value)}"
