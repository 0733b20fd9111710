"""Staff pages: recording a consultation and reading one (a patient's overview is in site)."""

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
from needlepoint.patients import selectors as patient_selectors

from . import clinic_data, selectors, services, words
from .models import Determination, Screening

NOT_PRESENT = ""
UNGRADED = "present"


def _patient(request: HttpRequest, patient_id: int) -> Any:
    try:
        return patient_selectors.patient_for_staff(actor=request.user, patient_id=patient_id)  # type: ignore[arg-type]
    except NotFound:
        raise Http404("No such patient.") from None


def _concern_rows(values: dict[str, str]) -> list[dict[str, Any]]:
    table = clinic_data.current_protocols()
    rows = []
    for name, concern in table.concerns.items():
        if concern.grades[0].grade is None:
            options = [(UNGRADED, "present")]
        else:
            options = [(str(g.grade), f"{g.grade}: {g.label}") for g in concern.grades]
        rows.append(
            {
                "name": name,
                "label": concern.label,
                "scale": concern.scale,
                "options": options,
                "value": values.get(f"grade_{name}", NOT_PRESENT),
            }
        )
    return rows


def _consultation_form_context(
    patient: Any, screening: Screening | None, values: dict[str, Any], errors: dict[str, str]
) -> dict[str, Any]:
    table = clinic_data.current_protocols()
    return {
        "patient": patient,
        "screening": screening,
        "answer_rows": words.answer_rows(screening.answers) if screening else [],
        "concern_rows": _concern_rows(values),
        "zones": [(z.name, z.label) for z in table.zones.values()],
        "chosen_zones": values.get("zones", []),
        "phototypes": ["1", "2", "3", "4", "5", "6"],
        "determinations": Determination.choices,
        "values": values,
        "errors": errors,
        "protocol_version": table.version,
    }


@role_required("consultation.record", audit_action="consultation.create")
@require_http_methods(["GET", "POST"])
def consultation_new(request: HttpRequest, patient_id: int) -> HttpResponse:
    user: Any = request.user
    patient = _patient(request, patient_id)
    screening_id = (request.POST.get("screening") or request.GET.get("screening") or "").strip()
    screening = None
    if screening_id:
        try:
            screening = selectors.screening_for_staff(actor=user, screening_id=screening_id)
        except NotFound:
            raise Http404("No such screening.") from None
    if request.method == "GET":
        context = _consultation_form_context(patient, screening, {}, {})
        context["choices"] = selectors.patient_screenings(actor=user, patient_id=patient.pk)
        context["unlinked"] = selectors.unlinked_screenings(actor=user, limit=10)
        return render(request, "screening/staff/consultation_form.html", context)
    post = request.POST
    values: dict[str, Any] = {k: post.get(k, "") for k in post if k != "zones"}
    values["zones"] = post.getlist("zones")
    concerns = []
    for row in _concern_rows(values):
        grade = row["value"]
        if grade != NOT_PRESENT:
            concerns.append({"concern": row["name"], "grade": None if grade == UNGRADED else grade})
    fitzpatrick = whole_number(post.get("fitzpatrick"), digits=2) or 0
    try:
        consultation = services.consultation_record(
            actor=user,
            patient=patient,
            screening=screening,
            fitzpatrick=fitzpatrick,
            concerns=concerns,
            zones=values["zones"],
            determination=post.get("determination", ""),
            notes=post.get("notes", "")[:5000],
        )
    except InvalidInput as exc:
        errors: dict[str, str] = {}
        for p in exc.problems:
            key = p.field.split("[")[0].split(".")[0]
            errors.setdefault(key, p.message)
        context = _consultation_form_context(patient, screening, values, errors)
        return render(request, "screening/staff/consultation_form.html", context, status=422)
    messages.success(request, "Consultation recorded and signed.")
    return redirect("screening:consultation_detail", consultation_id=consultation.pk)


@role_required("consultation.read", audit_action="consultation.read")
@require_http_methods(["GET", "POST"])
def consultation_detail(request: HttpRequest, consultation_id: int) -> HttpResponse:
    user: Any = request.user
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            found = selectors.consultation_to_act_on(consultation_id)
        except NotFound:
            raise Http404("No such consultation.") from None
        action = request.POST.get("action")
        try:
            if action == "amend" and user.may("consultation.record"):
                services.consultation_amend(
                    actor=user,
                    consultation=found,
                    determination=request.POST.get("determination", ""),
                    reason=request.POST.get("reason", "")[:2000],
                )
                messages.success(request, "Amendment signed.")
                return redirect("screening:consultation_detail", consultation_id=found.pk)
            if action == "clear" and user.may("consultation.clear"):
                services.consultation_clear(
                    actor=user,
                    consultation=found,
                    cleared=request.POST.get("cleared") == "yes",
                    notes=request.POST.get("notes", "")[:5000],
                )
                messages.success(request, "Clearance signed.")
                return redirect("screening:consultation_detail", consultation_id=found.pk)
            errors["action"] = "Your role may not do that."
        except InvalidInput as exc:
            errors = form_errors(exc).fields
        except Conflict as exc:
            errors["action"] = exc.message
    try:
        consultation = selectors.consultation_for_staff(actor=user, consultation_id=consultation_id)
    except NotFound:
        raise Http404("No such consultation.") from None
    state = selectors.current_state(consultation)
    context = {
        "c": consultation,
        "concerns": words.concern_words(consultation.concerns),
        "amendments": sorted(consultation.amendments.all(), key=lambda a: (a.signed_at, a.pk)),
        "answer_rows": (
            words.answer_rows(consultation.screening.answers) if consultation.screening else []
        ),
        "state": state,
        "errors": errors,
        "values": request.POST if errors else {},
        "determinations": Determination.choices,
        "can_amend": user.may("consultation.record"),
        "can_clear": user.may("consultation.clear")
        and state.determination == Determination.PHYSICIAN_CLEARANCE_REQUIRED
        and state.clearance is None,
        "can_plan": user.may("plan.create") and state.allows_treatment,
    }
    return render(
        request, "screening/staff/consultation_detail.html", context, status=422 if errors else 200
    )
