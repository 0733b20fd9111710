from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from needlepoint.accounts.permissions import role_required
from needlepoint.core.errors import Conflict, InvalidInput, NotFound
from needlepoint.core.form_errors import form_errors
from needlepoint.core.inputs import whole_number
from needlepoint.core.labels import count_words
from needlepoint.screening import selectors as screening_selectors
from needlepoint.screening import words

from . import selectors, services


def _fields(recommendation: dict[str, Any]) -> list[dict[str, Any]]:
    fields: list[dict[str, Any]] = [
        {
            "name": "sessions",
            "label": "Sessions",
            "value": recommendation["sessions"],
            "range": recommendation["sessions_range"],
            "kind": "count",
        },
        {
            "name": "interval_weeks",
            "label": "Interval (weeks)",
            "value": recommendation["interval_weeks"],
            "range": recommendation["interval_weeks_range"],
            "kind": "count",
        },
        {
            "name": "maintenance_months",
            "label": "Maintenance every (months)",
            "value": recommendation["maintenance_months"],
            "range": None,
            "kind": "count",
        },
    ]
    for zone in recommendation["zones"]:
        fields.append(
            {
                "name": f"depth_mm.{zone['zone']}",
                "label": f"Needle depth on {words.zone_label(zone['zone']).lower()} (mm)",
                "value": zone["depth_mm"],
                "range": None,
                "kind": "depth",
            }
        )
    return fields


def _overrides_from_post(post: Any, fields: list[dict[str, Any]]) -> dict[str, Any]:
    overrides: dict[str, Any] = {}
    for field in fields:
        name = field["name"]
        reason = post.get(f"reason__{name}", "")
        if field["kind"] == "count":
            raw = post.get(f"value__{name}", "").strip()
            number = whole_number(raw)
            value: Any = raw if number is None else number
        else:
            low, high = post.get(f"low__{name}", "").strip(), post.get(f"high__{name}", "").strip()
            try:
                value = [float(low), float(high)]
            except ValueError:
                value = [low, high]
        if value != field["value"]:
            overrides[name] = {"value": value, "reason": reason}
    return overrides


OVERRIDE_UNITS = {
    "sessions": ("Sessions", "session"),
    "interval_weeks": ("Interval", "week"),
    "maintenance_months": ("Maintenance every", "month"),
}


def _amount(value: Any, unit: str) -> str:
    if unit == "mm" and isinstance(value, list | tuple) and len(value) == 2:
        return f"{value[0]}–{value[1]} mm"
    if isinstance(value, int) and unit != "mm":
        return count_words(value, unit)
    return str(value)


def override_rows(overrides: dict[str, Any]) -> list[dict[str, str]]:
    """A plan's changes from the recommendation in words: "Interval: 4 weeks → 6 weeks"."""
    rows = []
    for name, entry in overrides.items():
        if name.startswith("depth_mm."):
            label = f"Needle depth on {words.zone_label(name.split('.', 1)[1]).lower()}"
            unit = "mm"
        else:
            label, unit = OVERRIDE_UNITS.get(name, (words.humanise(name), ""))
        rows.append(
            {
                "label": label,
                "recommended": _amount(entry.get("recommended"), unit),
                "value": _amount(entry.get("value"), unit),
                "reason": str(entry.get("reason", "")),
            }
        )
    return rows


@role_required("plan.create", audit_action="plan.create")
@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest, consultation_id: int) -> HttpResponse:
    user: Any = request.user
    try:
        consultation = screening_selectors.consultation_for_staff(
            actor=user, consultation_id=consultation_id
        )
    except NotFound:
        raise Http404("No such consultation.") from None
    recommendation = services.recommendation_record(services.recommendation_for(consultation))
    fields = _fields(recommendation)
    errors: dict[str, str] = {}
    if request.method == "POST":
        overrides = _overrides_from_post(request.POST, fields)
        try:
            plan = services.plan_create(actor=user, consultation=consultation, overrides=overrides)
        except InvalidInput as exc:
            errors = form_errors(exc, rename=lambda name: name.removeprefix("overrides.")).fields
        except Conflict as exc:
            errors = {"plan": exc.message}
        else:
            messages.success(request, "Treatment plan created.")
            return redirect("treatments:plan_detail", plan_id=plan.pk)
    for field in fields:
        name = field["name"]
        field["error_value"] = errors.get(f"{name}.value", "")
        field["error_reason"] = errors.get(f"{name}.reason", "")
        field["posted_reason"] = request.POST.get(f"reason__{name}", "")
        field["posted"] = request.POST.get(f"value__{name}", "")
        field["posted_low"] = request.POST.get(f"low__{name}", "")
        field["posted_high"] = request.POST.get(f"high__{name}", "")
    context = {
        "c": consultation,
        "concerns": words.concern_words(consultation.concerns),
        "recommendation": recommendation,
        "fields": fields,
        "errors": errors,
        "posted": request.method == "POST",
    }
    return render(request, "treatments/plan_form.html", context, status=422 if errors else 200)


@role_required("plan.read", audit_action="plan.read")
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    try:
        plan = selectors.plan_for_staff(actor=request.user, plan_id=plan_id)  # type: ignore[arg-type]
    except NotFound:
        raise Http404("No such plan.") from None
    course = selectors.course_in_order(plan)
    context = {
        "plan": plan,
        "course": course,
        "maintenance_due_estimate": selectors.maintenance_due_estimate(plan, course),
        "overrides": override_rows(plan.overrides or {}),
    }
    return render(request, "treatments/plan_detail.html", context)
