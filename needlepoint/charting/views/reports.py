"""Recording an adverse event after a session, the adverse-event report and cartridge
stock (inventory)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from needlepoint.accounts.permissions import role_required
from needlepoint.clinic.clock import clinic_today
from needlepoint.clinic.current import current_location
from needlepoint.core.errors import Conflict, InvalidInput, NotFound
from needlepoint.patients import selectors as patient_selectors

from .. import adverse_event_selectors
from .. import selectors as sel
from .. import services as svc
from ..forms import (
    AdverseEventForm,
)
from ..models import SessionChart
from .common import errors_of, rules_of, user_of


def _patient_chart(patient: Any, raw: str) -> SessionChart:
    """The patient's own chart with id ``raw``; any other id (another patient's, or none
    at all) is a 404, so the form does not tell what exists."""
    try:
        chart_id = int(raw)
    except ValueError:
        raise Http404("No such chart.") from None
    chart = sel.patient_chart(patient, chart_id)
    if chart is None:
        raise Http404("No such chart.")
    return chart


@role_required("adverse_event.record", audit_action="adverse_event.record")
@require_http_methods(["GET", "POST"])
def adverse_event_new(request: HttpRequest, patient_id: int) -> HttpResponse:
    """Record an adverse event after one of the patient's sessions, on the day or later."""
    user = user_of(request)
    try:
        patient = patient_selectors.patient_for_staff(actor=user, patient_id=patient_id)
    except NotFound:
        raise Http404("No such patient.") from None
    errors: dict[str, str] = {}
    error_rules: dict[str, str] = {}
    summary = ""
    if request.method == "POST":
        values: Any = request.POST
        raw_chart = (values.get("chart") or "").strip()
        chart = _patient_chart(patient, raw_chart) if raw_chart else None
        form = AdverseEventForm(values)
        errors = form.field_errors() if not form.is_valid() else {}
        if chart is None:
            errors["chart"] = "choose the session the event followed"
        if not errors and chart is not None:
            data = form.cleaned_data
            try:
                svc.adverse_event_record(
                    actor=user,
                    chart=chart,
                    kind=data["kind"],
                    severity=data["severity"],
                    onset=data["onset"],
                    outcome=data["outcome"],
                    description=data["description"],
                    actions=data["actions"],
                )
                messages.success(request, "Adverse event recorded.")
                return redirect(reverse("charting:patient_timeline", args=[patient.pk]))
            except (InvalidInput, Conflict) as exc:
                summary, errors, _ = errors_of(exc)
                error_rules = rules_of(exc)
        summary = summary or "The adverse event is not recorded yet: check the marked fields."
    else:
        values = {"chart": request.GET.get("chart", "")}
        if values["chart"]:
            _patient_chart(patient, values["chart"])
    charts = list(sel.patient_charts(patient))  # the page audits the patient's read
    context = {
        "patient": patient,
        "charts": charts,
        "form": AdverseEventForm(),
        "values": values,
        "errors": errors,
        "error_rules": error_rules,
        "summary": summary,
        "today": clinic_today(),
    }
    return render(
        request,
        "charting/adverse_event_form.html",
        context,
        status=422 if summary else 200,
    )


@role_required("adverse_event.report")
def adverse_event_report(request: HttpRequest) -> HttpResponse:
    report = adverse_event_selectors.adverse_event_report(actor=user_of(request))
    return render(request, "charting/adverse_event_report.html", {"report": report})


@role_required("inventory.read")
@require_http_methods(["GET", "POST"])
def inventory(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    summary, errors, rule = "", dict[str, str](), ""
    error_rules: dict[str, str] = {}
    if request.method == "POST":
        if not user.may("inventory.receive"):
            raise PermissionDenied("Your role may not receive stock.")
        try:
            try:
                expiry = date.fromisoformat(request.POST.get("expiry", ""))
                quantity = int(request.POST.get("quantity", ""))
            except ValueError:
                raise svc.RuleRefused.single(
                    "expiry",
                    "VALUE_INVALID",
                    "enter the expiry date and a whole number for the quantity",
                ) from None
            svc.cartridge_receive(
                actor=user,
                product=request.POST.get("product", ""),
                ref=request.POST.get("ref", ""),
                lot=request.POST.get("lot", ""),
                expiry=expiry,
                quantity=quantity,
                location=current_location(request),
            )
            messages.success(request, "Stock received.")
            return redirect(reverse("charting:inventory"))
        except (InvalidInput, Conflict) as exc:
            summary, errors, rule = errors_of(exc)
            error_rules = rules_of(exc)
    rows, warnings = sel.stock_report(clinic_today(), actor=user)
    context = {
        "rows": rows,
        "warnings": warnings,
        "summary": summary,
        "errors": errors,
        "error_rules": error_rules,
        "rule": rule,
        "values": request.POST if request.method == "POST" else {},
        "may_receive": user.may("inventory.receive"),
    }
    return render(request, "charting/inventory.html", context, status=422 if summary else 200)
