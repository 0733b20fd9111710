"""Treatment-day records as staff read them (docs/decisions/0470-charting-words.md).

Never a rule code, enum value, username or ISO timestamp as the text a person reads: dates
and times in the location's zone in words, staff by full name, zones and answers by their
labels. A rule code may follow a message as a small reference; it is never the message.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from needlepoint.clinic.clock import clinic_today, location_zone
from needlepoint.core.labels import day_words, humanise
from needlepoint.domain.screening import TRI_STATE_VALUES
from needlepoint.scheduling.wording import clock_words, when_words
from needlepoint.screening.clinic_data import current_protocols
from needlepoint.screening.page_copy import load_treatment_page

ENDPOINT_LABELS = {
    "even_erythema": "Even redness (erythema) across the area",
    "pinpoint_bleeding": "Pinpoint bleeding",
    "not_reached": "Not reached",
}

FIELD_LABELS = {
    "consent_version": "Consent version",
    "signature": "Typed signature",
    "signature_drawing": "Drawn signature",
    "signature_kind": "How the patient signs",
    "photo_release": "Photo release",
    "device": "Pen",
    "cartridge_lot": "Cartridge lot",
    "anesthetic": "Topical anaesthetic",
    "endpoint": "Endpoint reached",
    "immediate_reactions": "Immediate reactions",
    "aftercare_given": "Aftercare instructions given",
    "notes": "Notes",
    "late_reason": "Why the chart is late",
    "topicals": "Topical products",
    "zones": "Zones",
    "product": "Product",
    "ref": "REF",
    "lot": "Lot",
    "expiry": "Expiry",
    "quantity": "Quantity",
    "reason": "Reason",
    "field": "Field",
    "value": "New value",
    "chart": "Session",
    "kind": "Type of event",
    "severity": "Severity",
    "onset": "Onset",
    "outcome": "Outcome",
    "description": "What happened",
    "actions": "Actions taken",
}

VERDICT_LABELS = {
    "likely_candidate": "Clear to treat",
    "proceed": "Clear to treat",
    "needs_review": "A physician must review first",
    "defer": "Not today: wait",
    "not_eligible": "Not eligible for micro-needling",
}

ZONE_RULE_WORDS = {
    "DEPTH_OK": "within the plan",
    "DEPTH_OUTSIDE_PLAN_RANGE": "outside the plan's range",
    "DEPTH_ABOVE_OPERATOR_CEILING": "above the operator's limit",
}

STATUS_LABELS = {"draft": "Draft, not signed", "signed": "Signed"}

ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?)?\b")
ONE_UNIT = re.compile(r"\b1 (day|week|month|year|pass|cartridge)(?:s|es)\b")


def tri_state_choices() -> list[tuple[str, str]]:
    """Yes / No / Not sure: the screening's own answers, in the screening's order."""
    labels = load_treatment_page().labels.get("tri_state", {})
    return [(value, labels.get(value, value.capitalize())) for value in TRI_STATE_VALUES]


def field_label(field: str) -> str:
    name = str(field)
    match = re.match(r"zones\[(\d+)\]", name)
    if match:
        return f"Zone {int(match.group(1)) + 1}"
    match = re.match(r"topicals\[(\d+)\]", name)
    if match:
        return f"Topical product {int(match.group(1)) + 1}"
    return FIELD_LABELS.get(name, humanise(name))


def zone_labels() -> dict[str, str]:
    return {name: zone.label for name, zone in current_protocols().zones.items()}


def endpoint_label(code: str) -> str:
    return ENDPOINT_LABELS.get(str(code), humanise(code))


def verdict_label(code: str) -> str:
    return VERDICT_LABELS.get(str(code), humanise(code))


def staff_name(user: Any) -> str:
    if user is None:
        return "nobody"
    return str(getattr(user, "display_name", "") or user)


def when(moment: datetime | None, location: Any = None) -> str:
    """ "Wednesday 2 December 2026, 10:57 am" in the location's zone."""
    if moment is None:
        return ""
    return when_words(moment, location_zone(location))


def short_when(moment: datetime | None, location: Any = None) -> str:
    """ "today at 10:57 am" for a moment of the location's today, else the whole date."""
    if moment is None:
        return ""
    local = moment.astimezone(location_zone(location))
    if local.date() == clinic_today(location):
        return f"today at {clock_words(local)}"
    return f"on {when_words(moment, location_zone(location))}"


def day(value: date | None) -> str:
    return day_words(value) if value is not None else ""


def tidy(message: str) -> str:
    """A message from the rules as a person reads it: ISO dates as words, "1 months" as
    "1 month"."""

    def as_words(match: re.Match[str]) -> str:
        year, month, dom, hour, minute = match.groups()
        try:
            the_day = date(int(year), int(month), int(dom))
        except ValueError:
            return match.group(0)
        if hour is None:
            return day_words(the_day)
        moment = datetime(the_day.year, the_day.month, the_day.day, int(hour), int(minute))
        return f"{day_words(the_day)}, {clock_words(moment)}"

    text = ISO_DATE.sub(as_words, str(message))
    return ONE_UNIT.sub(lambda m: f"1 {m.group(1)}", text)


def zone_rule_words(code: str) -> str:
    return ZONE_RULE_WORDS.get(str(code), "")


def value_words(field: str, value: Any) -> str:
    """An amendable field's value as words (an endpoint by its label, yes/no for booleans)."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if value is None or value == "":
        return "none"
    if field == "endpoint":
        return endpoint_label(value)
    return tidy(str(value))
