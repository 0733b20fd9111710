"""A signed chart with its amendments and co-signature, the co-signature queue and a
patient's treatment timeline."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from needlepoint.accounts.permissions import role_required
from needlepoint.core.errors import Conflict, InvalidInput, NotFound
from needlepoint.domain import charting
from needlepoint.patients import selectors as patient_selectors

from .. import selectors as sel
from .. import services as svc
from ..day_selectors import chart_amendments
from ..payloads import chart_payload
from .common import errors_of, user_of


@role_required("chart.read", audit_action="chart.read")
@require_http_methods(["GET", "POST"])
def chart_detail(request: HttpRequest, chart_id: int) -> HttpResponse:
    user = user_of(request)
    try:
        # A GET is the read to audit; a POST audits the change it makes.
        audit_action = "chart.read" if request.method == "GET" else ""
        chart = sel.chart_for_staff(
            actor=user,
            chart_id=chart_id,
            audit_action=audit_action,
            acting=request.method == "POST",
        )
    except NotFound:
        raise Http404("No such chart.") from None
    summary, errors = "", dict[str, str]()
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "cosign":
                if not user.may("chart.cosign"):
                    raise PermissionDenied("Only a physician co-signs.")
                svc.chart_cosign(actor=user, chart=chart)
                messages.success(request, "Chart co-signed.")
            elif action == "amend":
                if not user.may("chart.write"):
                    raise PermissionDenied("Your role may not amend charts.")
                field = request.POST.get("field", "")
                value: Any = request.POST.get("value", "")
                if field == "aftercare_given":
                    value = value in ("yes", "on", "true")
                svc.chart_amend(
                    actor=user,
                    chart=chart,
                    changes={field: value},
                    reason=request.POST.get("reason", "")[:2000],
                )
                messages.success(request, "Amendment recorded.")
            else:
                raise Http404("No such action.")
            return redirect(request.path)
        except (InvalidInput, Conflict) as exc:
            summary, errors, _ = errors_of(exc)
    context = {
        "chart": chart,
        "payload": chart_payload(chart),
        "amendable": charting.AMENDABLE_FIELDS,
        "summary": summary,
        "errors": errors,
        "values": request.POST if request.method == "POST" else {},
        "events": chart.adverse_events.all(),
        "amendments": chart_amendments(chart),
        "may_record_event": user.may("adverse_event.record"),
    }
    return render(request, "charting/chart_detail.html", context, status=422 if summary else 200)


@role_required("chart.cosign")
def cosign_queue(request: HttpRequest) -> HttpResponse:
    charts = list(sel.cosign_queue(request.user)[:200])
    return render(request, "charting/cosign_queue.html", {"charts": charts})


@role_required("chart.read", audit_action="timeline.read")
def patient_timeline(request: HttpRequest, patient_id: int) -> HttpResponse:
    user = user_of(request)
    try:
        patient = patient_selectors.patient_for_staff(actor=user, patient_id=patient_id)
    except NotFound:
        raise Http404("No such patient.") from None
    entries = sel.patient_timeline(actor=user, patient=patient)
    context = {
        "patient": patient,
        "entries": entries,
        "may_record_event": user.may("adverse_event.record"),
    }
    return render(request, "charting/timeline.html", context)
