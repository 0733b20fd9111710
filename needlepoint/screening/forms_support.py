"""The stepped self-screening form: questions from the page copy, values and errors kept.

One page, one POST: every step is a fieldset, and ``screening/steps.js`` shows one at a
time (docs/decisions/0111-stepped-screening-form.md). Without JavaScript all steps show.
"""

from __future__ import annotations

from typing import Any

from django.http import QueryDict

from needlepoint.domain.screening import DATE_FIELDS, TRI_STATE_FIELDS

from .page_copy import TreatmentPage

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


def form_steps(
    copy: TreatmentPage, values: dict[str, Any], errors: dict[str, str]
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
            }
        )
    return steps
