"""The stepped self-screening form: questions from the page copy, values and errors kept.

One form: every step is a fieldset, and the server shows one at a time. Next posts the whole
form and the server checks that step's answers before showing the next one; with JavaScript
``screening/steps.js`` does the same check in the browser without a round trip
(docs/decisions/0111-stepped-screening-form.md, 0263-screening-steps-checked.md).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import QueryDict

from needlepoint.core.errors import InvalidInput
from needlepoint.domain.screening import DATE_FIELDS, TRI_STATE_FIELDS

from .page_copy import TreatmentPage
from .submission import parse_submission

FRIENDLY = {
    "is required": "Please answer this question.",
    "choose at least one": "Please choose at least one.",
    "must be a real date as YYYY-MM-DD": "Please enter a real date.",
    "must not be after the planned date": "This date can't be after the day you'd like treatment.",
    "must not be in the past": "Please choose today or a later day.",
}


def _kind(field: str) -> str:
    if field in TRI_STATE_FIELDS:
        return "tri"
    if field in (*DATE_FIELDS, "date_of_birth", "planned_date"):
        return "date"
    if field in ("concerns", "areas"):
        return "multi"
    return field  # diabetes, consent_to_store


def data_from_post(post: QueryDict) -> dict[str, Any]:
    """The posted form as the API's JSON body (so both share one parser and its messages)."""
    data: dict[str, Any] = {}
    for field in (*DATE_FIELDS, "date_of_birth"):
        data[field] = post.get(field, "").strip() or None
    planned = post.get("planned_date", "").strip()
    if planned:
        data["planned_date"] = planned
    data["concerns"] = post.getlist("concerns")
    data["areas"] = post.getlist("areas")
    for field in (*TRI_STATE_FIELDS, "diabetes"):
        if post.get(field):
            data[field] = post[field]
    consent = post.get("consent_to_store")
    if consent in ("yes", "no"):
        data["consent_to_store"] = consent == "yes"
    return data


def _step_number(raw: str | None, count: int) -> int | None:
    if raw is None or not (raw.isascii() and raw.isdigit()) or len(raw) > 3:
        return None
    number = int(raw)
    return number if 1 <= number <= count else None


def step_move(
    post: QueryDict, copy: TreatmentPage, data: dict[str, Any], *, today: date
) -> tuple[int, dict[str, str]] | None:
    """Next or Back pressed: the step to show, and the problems of the step being left (it
    is shown again when it has any). None when the whole screening was submitted."""
    back = _step_number(post.get("back_to"), len(copy.steps))
    if back is not None:
        return back, {}
    number = _step_number(post.get("next_from"), len(copy.steps))
    if number is None:
        return None
    fields = {q.field for q in copy.steps[number - 1].questions}
    try:
        parse_submission(data, today=today)
    except InvalidInput as exc:
        errors = {p.field: p.message for p in exc.problems if p.field in fields}
        if errors:
            return number, errors
    return min(number + 1, len(copy.steps)), {}


def first_step_with(copy: TreatmentPage, errors: dict[str, str]) -> int:
    for number, step in enumerate(copy.steps, start=1):
        if any(q.field in errors for q in step.questions):
            return number
    return len(copy.steps)


def _required(field: str, kind: str) -> bool:
    return kind in ("tri", "multi") or field in ("diabetes", "consent_to_store", "date_of_birth")


def form_steps(
    copy: TreatmentPage, values: dict[str, Any], errors: dict[str, str], current: int = 1
) -> list[dict[str, Any]]:
    labels = copy.labels
    steps = []
    for number, step in enumerate(copy.steps, start=1):
        questions = []
        for q in step.questions:
            kind = _kind(q.field)
            options: list[tuple[str, str]] = []
            if kind == "tri":
                options = list(labels["tri_state"].items())
            elif q.field == "diabetes":
                options = list(labels["diabetes"].items())
            elif q.field in ("concerns", "areas"):
                options = list(labels[q.field].items())
            elif q.field == "consent_to_store":
                options = [("yes", "Yes, keep my answers"), ("no", "No, don't keep anything")]
            value = values.get(q.field)
            if q.field == "consent_to_store" and isinstance(value, bool):
                value = "yes" if value else "no"
            message = errors.get(q.field)
            questions.append(
                {
                    "field": q.field,
                    "text": q.text,
                    "help": q.help,
                    "kind": kind,
                    "required": _required(q.field, kind),
                    "options": options,
                    "value": value if value is not None else "",
                    "chosen": value if isinstance(value, list) else [],
                    "error": FRIENDLY.get(message, message) if message else "",
                }
            )
        steps.append(
            {
                "number": number,
                "title": step.title,
                "intro": step.intro,
                "questions": questions,
                "has_error": any(q["error"] for q in questions),
                "current": number == current,
            }
        )
    return steps
