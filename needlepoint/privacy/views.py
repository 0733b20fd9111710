"""The clinic admin's erasure page (from the patient's record) and the patient's request
from the portal (docs/retention.md)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from needlepoint.accounts.permissions import role_required
from needlepoint.core.confirm import is_confirmed
from needlepoint.core.errors import Conflict, Forbidden, NotFound
from needlepoint.patients.selectors import own_patient_record

from .selectors import erasure_preview, open_erasure_request, retention_years
from .services import erasure_request_create, patient_erase


@require_http_methods(["GET", "POST"])
@role_required("patient.erase", audit_action="patient.erase")
def patient_erase_page(request: HttpRequest, patient_id: int) -> HttpResponse:
    """What the erasure removes and keeps; erasing needs the one confirming send."""
    actor: Any = request.user
    try:
        plan = erasure_preview(actor=actor, patient_id=patient_id)
    except (NotFound, Forbidden):
        raise Http404("No such patient.") from None
    status, refusal = 200, ""
    # This page is the confirm step (decision 0504): only its own button, which carries
    # confirmed=yes, erases; any other POST is answered with the page, changing nothing.
    if is_confirmed(request):
        try:
            patient_erase(actor=actor, patient_id=patient_id)
        except Conflict as exc:
            status, refusal = 409, exc.message
        else:
            messages.success(
                request,
                f"{plan.patient.full_name}'s personal data is erased; the clinical records "
                "are kept for the retention period.",
            )
            return redirect("site:staff_patient", patient_id)
    context = {
        "plan": plan,
        "refusal": refusal,
        "years": retention_years(),
        "request_open": open_erasure_request(plan.patient),
    }
    return render(request, "privacy/erase.html", context, status=status)


@require_http_methods(["GET", "POST"])
@role_required("patient.read_own")
def erasure_request_page(request: HttpRequest) -> HttpResponse:
    """The patient asks the clinic to erase their personal data."""
    actor: Any = request.user
    patient = own_patient_record(actor=actor)
    if patient is None:
        return render(request, "portal/unlinked.html", status=404)
    if is_confirmed(request):  # the page is the confirm step (decision 0504)
        erasure_request_create(actor=actor)
        messages.success(request, "Your request is sent. The clinic will contact you about it.")
        return redirect("privacy:erasure_request")
    context = {"request_open": open_erasure_request(patient), "years": retention_years()}
    return render(request, "privacy/erasure_request.html", context)
