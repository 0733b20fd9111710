"""Outcome values as clinic staff read them: scales, grades, GAIS and visit kinds in words.

The grade labels and scale names come from the protocol table in force (protocols.md, "Severity
scales by concern"); the GAIS wording is the domain's (reference §5), used exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from types import MappingProxyType

from needlepoint.clinic.clock import location_zone
from needlepoint.domain.outcomes import GAIS_LABELS
from needlepoint.domain.protocols import ProtocolTable
from needlepoint.scheduling.wording import day_words, when_words
from needlepoint.screening.clinic_data import current_protocols

KIND_LABELS = MappingProxyType(
    {
        "baseline": "Baseline, before the first session",
        "before_session": "Before a session of the course",
        "outcome_1m": "Outcome visit, 1 month after the course",
        "outcome_3m": "Outcome visit, 3 months after the course",
        "outcome_6m": "Outcome visit, 6 months after the course",
    }
)


# The protocol table's scale names that do not read as a scale on their own.
SCALE_WORDS = MappingProxyType({"none": "not graded", "type": "graded by type, not severity"})


def _grade_label(grade: str, label: str) -> str:
    """ "1" + "macular" -> "1: macular"; "rubra" + "rubra (new, red)" -> "Rubra (new, red)"."""
    if label.lower().startswith(grade.lower()):
        return label[:1].upper() + label[1:]
    return f"{grade}: {label}"


@dataclass(frozen=True)
class ConcernScale:
    """One concern as the grading form shows it: its name, its scale, its grades."""

    name: str
    label: str
    scale: str
    grades: tuple[tuple[str, str], ...]  # (value, "1: macular"); empty when not graded


def concern_scales(table: ProtocolTable | None = None) -> list[ConcernScale]:
    table = table or current_protocols()
    scales = []
    for name, concern in table.concerns.items():
        graded = [g for g in concern.grades if g.grade is not None]
        scales.append(
            ConcernScale(
                name=name,
                label=concern.label,
                scale=SCALE_WORDS.get(concern.scale, concern.scale),
                grades=tuple((str(g.grade), _grade_label(str(g.grade), g.label)) for g in graded),
            )
        )
    return scales


def gais_choices() -> list[tuple[str, str]]:
    return [(str(n), f"{n}: {label}") for n, label in GAIS_LABELS.items()]


def grade_words(concern: str, grade: str | None, table: ProtocolTable | None = None) -> str:
    """A grade with its label; pass ``table`` when naming many (each lookup is a query)."""
    table = table or current_protocols()
    found = table.concerns.get(concern)
    if found is None:
        return grade or "not graded"
    for g in found.grades:
        if g.grade == grade:
            return _grade_label(g.grade, g.label) if g.grade is not None else g.label
    return grade or "not graded"


def concern_words(concern: str, table: ProtocolTable | None = None) -> str:
    found = (table or current_protocols()).concerns.get(concern)
    return found.label if found is not None else concern.replace("_", " ").capitalize()


def gais_words(gais: int | None) -> str:
    if gais is None or gais not in GAIS_LABELS:
        return "—"
    return f"{gais}: {GAIS_LABELS[gais]}"


def on_day(day: date) -> str:
    """Thursday 3 December 2026."""
    return day_words(day)


def at_moment(moment: datetime) -> str:
    """Thursday 3 December 2026, 9:30 am, in the clinic's zone."""
    return when_words(moment, location_zone())
