"""Words for the portal's pages: a follow-up's state, a count of months."""

from __future__ import annotations

from datetime import datetime, time

from django import template

from needlepoint.core.labels import clock_words, count_words

register = template.Library()

FOLLOW_UP_STATES = {
    "proposed": "To book",
    "booked": "Booked",
    "done": "Done",
    "missed": "Missed: please book",
    "upcoming": "Not due yet",
    "due": "Due: please book",
    "dismissed": "Closed",
}


@register.filter
def followup_state(state: str) -> str:
    return FOLLOW_UP_STATES.get(str(state), str(state).replace("_", " ").capitalize())


@register.filter
def months(count: int) -> str:
    """`1` → "1 month", `6` → "6 months"."""
    return count_words(int(count), "month")


@register.filter
def clock(value: datetime | time) -> str:
    """A local time as people say it: "9:30 am"."""
    return clock_words(value)
