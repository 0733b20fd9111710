"""The treatment page copy and the screening questions' wording (data/treatment-page.yaml).

Copy, not clinical rules: the parser only checks shape, and that the screening asks every
field of the contract exactly once with a label for every choice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from django.conf import settings

from needlepoint.data.loading import parse_data_file
from needlepoint.domain.errors import DataError
from needlepoint.domain.screening import (
    ANSWER_FIELDS,
    AREAS,
    CONCERNS,
    DIABETES_VALUES,
    NEXT_STEPS,
    TRI_STATE_VALUES,
    VERDICTS,
)
from needlepoint.domain.screening.policy import REASON_VERDICTS

FORM_FIELDS: tuple[str, ...] = (*ANSWER_FIELDS, "planned_date", "consent_to_store")

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Section:
    id: str
    heading: str
    paragraphs: tuple[str, ...]
    bullets: tuple[str, ...]
    # Who may not be treated: the lead-in of each verdict group and the words for each rule
    # code. Which group a condition is stated under comes from the policy in force, never
    # from here (docs/decisions/0260-treatment-page-states-the-policy.md).
    groups: Mapping[str, str] = field(default_factory=dict)
    conditions: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Question:
    field: str
    text: str
    help: str


@dataclass(frozen=True)
class Step:
    title: str
    intro: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class TreatmentPage:
    version: str
    title: str
    lead: str
    sections: tuple[Section, ...]
    candidate_heading: str
    candidate_text: str
    book_heading: str
    book_text: str
    screening_intro: str
    steps: tuple[Step, ...]
    labels: Mapping[str, Mapping[str, str]]

    def question(self, field: str) -> Question:
        for step in self.steps:
            for question in step.questions:
                if question.field == field:
                    return question
        raise KeyError(field)


def _map(value: object, path: KeyPath, required: tuple[str, ...], optional: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    if not isinstance(value, Mapping):
        raise DataError(path, "must be a mapping of keys to values")
    for key in value:
        if key not in (*required, *optional):
            raise DataError((*path, key), f"unknown key {key!r}")
    for key in required:
        if key not in value:
            raise DataError(path, f"{key!r} is missing")
    return value


def _text(value: object, path: KeyPath) -> str:
    if not isinstance(value, str) or not value.strip():
        raise DataError(path, "must be a non-empty text (quote it if it contains ': ')")
    return value.strip()


def _texts(value: object, path: KeyPath) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise DataError(path, "must be a list of texts")
    return tuple(_text(item, (*path, i)) for i, item in enumerate(value))


def _groups(value: object, path: KeyPath) -> Mapping[str, str]:
    entry = _map(value, path, (), REASON_VERDICTS)
    return MappingProxyType({v: _text(entry[v], (*path, v)) for v in REASON_VERDICTS if v in entry})


def _conditions(value: object, path: KeyPath) -> Mapping[str, str]:
    if not isinstance(value, Mapping):
        raise DataError(path, "must be a mapping of rule codes to the words for them")
    found = {}
    for code, words in value.items():
        if not isinstance(code, str) or not code.isupper():
            raise DataError((*path, str(code)), "must be a rule code of the policy (UPPER_CASE)")
        found[code] = _text(words, (*path, code))
    return MappingProxyType(found)


_LABEL_SETS: dict[str, tuple[str, ...]] = {
    "tri_state": TRI_STATE_VALUES,
    "diabetes": DIABETES_VALUES,
    "concerns": CONCERNS,
    "areas": AREAS,
    "verdicts": VERDICTS,
    "next_steps": NEXT_STEPS,
}


def parse_treatment_page(raw: Any) -> TreatmentPage:
    keys = (
        "version",
        "title",
        "lead",
        "sections",
        "candidate_heading",
        "candidate_text",
        "book_heading",
        "book_text",
        "screening",
    )
    top = _map(raw, (), keys)
    sections = []
    if not isinstance(top["sections"], list) or not top["sections"]:
        raise DataError(("sections",), "must be a non-empty list")
    for i, item in enumerate(top["sections"]):
        path: KeyPath = ("sections", i)
        entry = _map(
            item, path, ("id", "heading"), ("paragraphs", "bullets", "groups", "conditions")
        )
        sections.append(
            Section(
                _text(entry["id"], (*path, "id")),
                _text(entry["heading"], (*path, "heading")),
                _texts(entry.get("paragraphs", []), (*path, "paragraphs")),
                _texts(entry.get("bullets", []), (*path, "bullets")),
                _groups(entry.get("groups", {}), (*path, "groups")),
                _conditions(entry.get("conditions", {}), (*path, "conditions")),
            )
        )
    screening = _map(top["screening"], ("screening",), ("intro", "steps", "labels"))
    steps = []
    seen: set[str] = set()
    if not isinstance(screening["steps"], list) or not screening["steps"]:
        raise DataError(("screening", "steps"), "must be a non-empty list")
    for i, item in enumerate(screening["steps"]):
        path = ("screening", "steps", i)
        entry = _map(item, path, ("title", "questions"), ("intro",))
        questions = []
        if not isinstance(entry["questions"], list) or not entry["questions"]:
            raise DataError((*path, "questions"), "must be a non-empty list")
        for j, q in enumerate(entry["questions"]):
            qpath: KeyPath = (*path, "questions", j)
            qe = _map(q, qpath, ("field", "text"), ("help",))
            field = _text(qe["field"], (*qpath, "field"))
            if field not in FORM_FIELDS:
                raise DataError((*qpath, "field"), f"unknown screening field {field!r}")
            if field in seen:
                raise DataError((*qpath, "field"), f"{field} is asked twice")
            seen.add(field)
            help_text = _text(qe["help"], (*qpath, "help")) if "help" in qe else ""
            questions.append(Question(field, _text(qe["text"], (*qpath, "text")), help_text))
        intro = _text(entry["intro"], (*path, "intro")) if "intro" in entry else ""
        steps.append(Step(_text(entry["title"], (*path, "title")), intro, tuple(questions)))
    missing = [f for f in FORM_FIELDS if f not in seen]
    if missing:
        raise DataError(("screening", "steps"), f"no step asks {', '.join(missing)}")
    labels_raw = _map(screening["labels"], ("screening", "labels"), tuple(_LABEL_SETS))
    labels = {}
    for name, values in _LABEL_SETS.items():
        lpath: KeyPath = ("screening", "labels", name)
        entry = _map(labels_raw[name], lpath, values)
        labels[name] = {v: _text(entry[v], (*lpath, v)) for v in values}
    return TreatmentPage(
        version=_text(top["version"], ("version",)),
        title=_text(top["title"], ("title",)),
        lead=_text(top["lead"], ("lead",)),
        sections=tuple(sections),
        candidate_heading=_text(top["candidate_heading"], ("candidate_heading",)),
        candidate_text=_text(top["candidate_text"], ("candidate_text",)),
        book_heading=_text(top["book_heading"], ("book_heading",)),
        book_text=_text(top["book_text"], ("book_text",)),
        screening_intro=_text(screening["intro"], ("screening", "intro")),
        steps=tuple(steps),
        labels=labels,
    )


_page_cache: dict[tuple[str, int], TreatmentPage] = {}


def load_treatment_page() -> TreatmentPage:
    """The page copy, re-read when the file changes (keyed by path and mtime)."""
    file = Path(settings.NEEDLEPOINT_TREATMENT_PAGE_FILE)
    try:
        key = (str(file), file.stat().st_mtime_ns)
    except OSError:
        key = (str(file), 0)
    if key not in _page_cache:
        _page_cache.clear()
        _page_cache[key] = parse_data_file(file, parse_treatment_page)
    return _page_cache[key]
