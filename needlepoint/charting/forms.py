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


def topical_prefixes(post: Any) -> list[str]:
    """The field-name prefixes of the topical rows in a chart form: the first row is
    ``topical_…``, any further stored product ``topical_1_…``, ``topical_2_…`` and so on."""
    prefixes = ["topical_"]
    i = 1
    while f"topical_{i}_product" in post:
        prefixes.append(f"topical_{i}_")
        i += 1
    return prefixes


def topical_rows(values: Any) -> list[dict[str, Any]]:
    """One row per topical in ``values`` (at least one), for the chart form."""
    return [
        {
            "n": i + 1,
            "prefix": prefix,
            "product": values.get(f"{prefix}product", ""),
            "other": values.get(f"{prefix}other", ""),
            "lot": values.get(f"{prefix}lot", ""),
            "override_reason": values.get(f"{prefix}override_reason", ""),
        }
        for i, prefix in enumerate(topical_prefixes(values))
    ]


def chart_form_values(chart: Any, zone_names: list[str], approved: Any) -> dict[str, str]:
    """The stored draft chart as the chart form's fields, so that saving the form again
    without edits stores exactly the same chart."""
    values: dict[str, str] = {
        "device": chart.device.slug,
        "cartridge_lot": chart.cartridge_lot.lot,
        "anesthetic": chart.anesthetic,
        "endpoint": chart.endpoint,
        "immediate_reactions": chart.immediate_reactions,
        "notes": chart.notes,
    }
    if chart.aftercare_given:
        values["aftercare_given"] = "on"
    if chart.late_entry:
        values["late_reason"] = chart.late_reason
    for zone in chart.zones or []:
        if zone.get("zone") in zone_names:
            i = zone_names.index(zone["zone"])
            values[f"zone_{i}_depth"] = f"{zone['depth_mm']:g}"
            values[f"zone_{i}_passes"] = str(zone["passes"])
            values[f"zone_{i}_reason"] = str(zone.get("reason") or "")
    for i, topical in enumerate(chart.topicals or []):
        prefix = "topical_" if i == 0 else f"topical_{i}_"
        product = str(topical.get("product") or "")
        if product in approved:
            values[f"{prefix}product"] = product
        else:
            values[f"{prefix}product"] = "other"
            values[f"{prefix}other"] = product
        values[f"{prefix}lot"] = str(topical.get("lot") or "")
        values[f"{prefix}override_reason"] = str(topical.get("override_reason") or "")
    return values
