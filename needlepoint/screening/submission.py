"""A self-screening as submitted (API JSON or web form) -> validated domain values.

One parser for both entry points so that the API and the form agree on every message, and
so a request with several problems is answered with all of them at once (422), never one
per round trip: pydantic would stop at type errors before the date checks could run.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from needlepoint.core.errors import FieldProblem, InvalidInput
from needlepoint.domain.screening import (
    ANSWER_FIELDS,
    DATE_FIELDS,
    Answers,
    validate_answers,
)

OPTIONAL_FIELDS = ("planned_date",)
REQUIRED_FIELDS = (*ANSWER_FIELDS, "consent_to_store")
KNOWN_FIELDS = (*REQUIRED_FIELDS, *OPTIONAL_FIELDS)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Submission:
    answers: Answers
    planned_date: date
    consent_to_store: bool

    def answers_json(self) -> dict[str, Any]:
        """The answers with contract names, as stored and shown to staff."""
        out: dict[str, Any] = {}
        for name in ANSWER_FIELDS:
            value = getattr(self.answers, name)
            if isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = list(value)
            out[name] = value
        out["planned_date"] = self.planned_date.isoformat()
        return out


def _parse_date(value: object) -> date | None:
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def parse_submission(data: object, *, today: date) -> Submission:
    """Validated answers, or ``InvalidInput`` listing every problem (field by field)."""
    if not isinstance(data, Mapping):
        raise InvalidInput([FieldProblem("body", "must be a JSON object")])
    problems: dict[str, str] = {}
    for key in data:
        if key not in KNOWN_FIELDS:
            problems[str(key)] = "is not a known field"
    for key in REQUIRED_FIELDS:
        if key not in data:
            problems[key] = "is required"

    values: dict[str, Any] = {}
    for name in ANSWER_FIELDS:
        raw = data.get(name)
        if name in DATE_FIELDS or name == "date_of_birth":
            if raw is None:
                if name == "date_of_birth" and name not in problems:
                    problems[name] = "is required"
                values[name] = None
                continue
            parsed = _parse_date(raw)
            if parsed is None:
                problems.setdefault(name, "must be a real date as YYYY-MM-DD")
            values[name] = parsed
        elif name in ("concerns", "areas"):
            # Each choice counts once, however often a client sends it (decision 0251).
            if isinstance(raw, list) and all(isinstance(v, str) for v in raw):
                raw = list(dict.fromkeys(raw))
            values[name] = tuple(raw) if isinstance(raw, list) else raw
        else:
            values[name] = raw

    planned_raw = data.get("planned_date")
    planned = today
    if planned_raw is not None:
        parsed_planned = _parse_date(planned_raw)
        if parsed_planned is None:
            problems["planned_date"] = "must be a real date as YYYY-MM-DD"
        else:
            planned = parsed_planned

    consent = data.get("consent_to_store")
    if "consent_to_store" in data and not isinstance(consent, bool):
        problems["consent_to_store"] = "must be true or false"

    birth = values["date_of_birth"]
    answers = Answers(
        **{**values, "date_of_birth": birth if birth is not None else planned}  # type: ignore[arg-type]
    )
    for problem in validate_answers(answers, planned_date=planned, today=today):
        if problem.field == "date_of_birth" and birth is None:
            continue
        problems.setdefault(problem.field, problem.message)
    if problems:
        order = {name: i for i, name in enumerate(("planned_date", *KNOWN_FIELDS))}
        items = sorted(problems.items(), key=lambda kv: order.get(kv[0], -1))
        raise InvalidInput(
            [FieldProblem(field, message) for field, message in items],
            "The screening has invalid answers.",
        )
    return Submission(answers=answers, planned_date=planned, consent_to_store=bool(consent))
