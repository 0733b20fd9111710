"""Screening and consultation records as words for people (decision 0465): verdicts,
determinations, answers, concerns, zones and instants, never their codes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from needlepoint.clinic.clock import location_zone
from needlepoint.core.labels import day_words, humanise, moment_words, screening_verdict_label

from .clinic_data import current_protocols
from .models import Determination
from .page_copy import load_treatment_page


def when(value: datetime | None) -> str:
    """An instant in the clinic's zone: "Wednesday 2 December 2026, 10:57 am"."""
    return moment_words(value, location_zone()) if value else ""


def on_day(value: date | str | None) -> str:
    """A day (or its ISO text, as results keep it): "Monday 15 March 2027"."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            return day_words(date.fromisoformat(value[:10]))
        except ValueError:
            return value
    return day_words(value)


def determination_label(code: object) -> str:
    return dict(Determination.choices).get(str(code), humanise(code))


def verdict_label(code: object) -> str:
    """A verdict as staff read it ("Likely candidate"); the patient's pages keep their copy."""
    return screening_verdict_label(str(code))


def concern_label(code: object) -> str:
    concern = current_protocols().concerns.get(str(code))
    if concern is not None:
        return concern.label
    return load_treatment_page().labels["concerns"].get(str(code), humanise(code))


def zone_label(code: object) -> str:
    zone = current_protocols().zones.get(str(code))
    return zone.label if zone is not None else humanise(code)


def _value_words(field: str, value: Any, labels: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(_value_words(field, v, labels) for v in value)
    text = str(value)
    for group in (field, "tri_state", "diabetes"):
        found = labels.get(group, {}).get(text)
        if found:
            return str(found)
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        return on_day(text)
    return humanise(text) if "_" in text else text


def answer_rows(answers: dict[str, Any]) -> list[tuple[str, str]]:
    """Each answer as (the question as asked, the answer in the words offered)."""
    copy = load_treatment_page()
    rows = []
    for field, value in answers.items():
        try:
            text = copy.question(field).text
        except KeyError:
            text = humanise(field)
        rows.append((text, _value_words(field, value, copy.labels)))
    return rows


def concern_words(concerns: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A consultation's graded concerns with the protocol table's labels for them."""
    table = current_protocols()
    rows = []
    for item in concerns:
        concern = table.concerns.get(str(item.get("concern")))
        grade = item.get("grade")
        grade_label = ""
        if concern is not None and grade is not None:
            grade_label = next((g.label for g in concern.grades if str(g.grade) == str(grade)), "")
        rows.append(
            {
                "label": concern_label(item.get("concern")),
                "grade": grade,
                "grade_label": grade_label,
            }
        )
    return rows
