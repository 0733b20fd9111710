"""Small words for people that any app's pages may use (below every app in the layers)."""

from __future__ import annotations

from datetime import date, datetime, time, tzinfo


def humanise(code: object) -> str:
    """The last resort for a code nobody labelled: `day_of_check` → "Day of check"."""
    return str(code).replace("_", " ").capitalize()


def count_words(count: int, singular: str, plural: str = "") -> str:
    """`1, "month"` → "1 month"; `3, "month"` → "3 months"."""
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


def clock_words(value: datetime | time) -> str:
    """`09:30` → "9:30 am"; `14:00` → "2:00 pm" (already in the zone the reader is in).

    The one time-of-day style of every page, message and export a person reads
    (docs/decisions/0510): 12-hour clock, minutes always, "am"/"pm" in lower case without
    dots; midday is "12:00 pm", midnight "12:00 am". Templates use `{% load clock %}`."""
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


def moment_words(value: datetime, zone: tzinfo) -> str:
    """An instant as a person reads it in `zone`: "Wednesday 2 December 2026, 10:57 am"."""
    local = value.astimezone(zone)
    return f"{day_words(local.date())}, {clock_words(local)}"


def short_day_words(day: date) -> str:
    """`2026-12-02` → "2 December 2026" (for titles, where the weekday is noise)."""
    return f"{day.day} {day:%B %Y}"


# A screening's verdict as staff read it (the patient's wording is in treatment-page.yaml).
SCREENING_VERDICTS = {
    "likely_candidate": "Likely candidate",
    "needs_review": "Needs a clinician's review",
    "defer": "Not yet: screen again later",
    "not_eligible": "Not eligible",
}


def screening_verdict_label(verdict: str) -> str:
    return SCREENING_VERDICTS.get(verdict, humanise(verdict))
