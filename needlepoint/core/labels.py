"""Small words for people that any app's pages may use (below every app in the layers)."""

from __future__ import annotations

from datetime import date, datetime, time


def count_words(count: int, singular: str, plural: str = "") -> str:
    """`1, "month"` → "1 month"; `3, "month"` → "3 months"."""
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


def clock_words(value: datetime | time) -> str:
    """`09:30` → "9:30 am"; `14:00` → "2:00 pm" (already in the zone the reader is in)."""
    return f"{value.hour % 12 or 12}:{value.minute:02d} {'am' if value.hour < 12 else 'pm'}"


def day_words(day: date) -> str:
    """`2027-03-15` → "Monday 15 March 2027"."""
    return f"{day:%A} {day.day} {day:%B %Y}"


ASSESSMENT_KINDS = {
    "baseline": "before treatment",
    "before_session": "before a session",
    "outcome_1m": "1 month after the course",
    "outcome_3m": "3 months after the course",
    "outcome_6m": "6 months after the course",
}


def assessment_kind_label(kind: str) -> str:
    return ASSESSMENT_KINDS.get(kind, kind.replace("_", " "))
