"""Parsing of the treatment-day page forms: the adverse-event form and the drawn consent
signature. Only shape and type are checked here; the clinical rules stay in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models

from needlepoint.domain import charting
from needlepoint.domain.charting import drawn_signature_problem

from .models import AdverseEvent


def _choices(name: str) -> list[tuple[str, str]]:
    # The model's own choices (built from the domain's lists), so labels match the timeline.
    field = AdverseEvent._meta.get_field(name)
    assert isinstance(field, models.Field) and field.choices
    return [("", "Choose…"), *((str(v), str(label)) for v, label in field.choices)]


class AdverseEventForm(forms.Form):
    """The values the page collects; ``chart`` is resolved by the view (404 if not ours)."""

    kind = forms.ChoiceField(choices=_choices("kind"), error_messages={"required": "choose a type"})
    severity = forms.ChoiceField(
        choices=_choices("severity"), error_messages={"required": "choose a severity"}
    )
    onset = forms.DateField(
        input_formats=["%Y-%m-%d"],
        error_messages={
            "required": "enter the date it began (YYYY-MM-DD)",
            "invalid": "enter a date (YYYY-MM-DD)",
        },
    )
    actions = forms.CharField(required=False, max_length=5000)
    outcome = forms.ChoiceField(
        choices=_choices("outcome"), error_messages={"required": "choose an outcome"}
    )
    description = forms.CharField(required=False, max_length=5000)

    def field_errors(self) -> dict[str, str]:
        return {name: " ".join(str(m) for m in msgs) for name, msgs in self.errors.items()}


def consent_signature_from_post(post: Any) -> tuple[str, str, list[tuple[str, str, str]]]:
    """(signature_kind, signature, problems as (field, rule, message)) from the tablet's
    consent form. Without JavaScript there is no pad and the kind is always "typed"."""
    kind = post.get("signature_kind") or "typed"
    if kind == "drawn":
        drawing = (post.get("signature_drawing") or "").strip()
        problem = drawn_signature_problem(drawing)
        if not problem:
            return "drawn", drawing, []
        rule = charting.SIGNATURE_REQUIRED if not drawing else "VALUE_INVALID"
        return "drawn", drawing, [("signature_drawing", rule, problem)]
    if kind != "typed":
        return "typed", "", [("signature_kind", "VALUE_INVALID", "choose typed or drawn")]
    return "typed", (post.get("signature") or "")[:200], []
