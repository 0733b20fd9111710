from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods

from needlepoint.clinic.models import Location
from needlepoint.core.errors import Forbidden, InvalidInput
from needlepoint.core.inputs import record_number
from needlepoint.patients.models import Patient
from needlepoint.site.decorators import role_required

from . import services
from .forms_support import data_from_post, form_steps
from .models import Screening
from .page_copy import load_treatment_page

RESULT_SESSION_KEY = "screening_result"
BOOKING_PLACEHOLDER = "/book/consultation/"


def booking_url() -> str:
    """The consultation booking page once booking provides it; until then a placeholder."""
    try:
        return reverse("booking:consultation")
    except NoReverseMatch:
        return BOOKING_PLACEHOLDER


def _clinic_phone() -> str:
    return Location.objects.order_by("pk").values_list("phone", flat=True).first() or ""


def _common() -> dict[str, Any]:
    return {
        "copy": load_treatment_page(),
        "book_url": booking_url(),
        "clinic_phone": _clinic_phone(),
    }


def treatment_page(request: HttpRequest) -> HttpResponse:
    return render(request, "screening/treatment_page.html", _common())


def _render_form(
    request: HttpRequest,
    *,
    values: dict[str, Any],
    errors: dict[str, str],
    staff: bool,
    status: int = 200,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    copy = load_treatment_page()
    context = {
        **_common(),
        "steps": form_steps(copy, values, errors),
        "errors": errors,
        "staff": staff,
        **(extra or {}),
    }
    return render(request, "screening/screening_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def screening_form(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _render_form(request, values={}, errors={}, staff=False)
    data = data_from_post(request.POST)
    try:
        submitted = services.screening_submit(
            actor=None, data=data, channel=Screening.Channel.ONLINE
        )
    except InvalidInput as exc:
        errors = {p.field: p.message for p in exc.problems}
        return _render_form(request, values=data, errors=errors, staff=False, status=422)
    request.session[RESULT_SESSION_KEY] = submitted.payload
    return redirect("screening:result")


def screening_result(request: HttpRequest) -> HttpResponse:
    payload = request.session.get(RESULT_SESSION_KEY)
    if not payload:
        return redirect("screening:form")
    return render(request, "screening/result.html", {**_common(), "result": payload})


@role_required("screening.take")
@require_http_methods(["GET", "POST"])
def staff_phone_screening(request: HttpRequest) -> HttpResponse:
    """The front desk takes the screening for a caller; same rules, recorded as staff's."""
    patient_id = (request.POST.get("patient") or request.GET.get("patient") or "").strip()
    extra = {"patient_id": patient_id}
    if request.method == "GET":
        return _render_form(request, values={}, errors={}, staff=True, extra=extra)
    data = data_from_post(request.POST)
    patient = None
    errors: dict[str, str] = {}
    if patient_id:
        number = record_number(patient_id)
        patient = Patient.objects.filter(pk=number).first() if number else None
        if patient is None:
            errors["patient"] = "No patient has this record number."
    try:
        submitted = services.screening_submit(
            actor=request.user,  # type: ignore[arg-type]
            data=data,
            channel=Screening.Channel.PHONE,
            patient=patient if not errors else None,
        )
    except InvalidInput as exc:
        errors.update({p.field: p.message for p in exc.problems})
    except Forbidden as exc:
        raise Http404(str(exc)) from None
    if errors:
        return _render_form(
            request, values=data, errors=errors, staff=True, status=422, extra=extra
        )
    if submitted.screening is None:
        messages.info(request, "The caller did not agree to storing the answers: nothing was kept.")
    return render(
        request,
        "screening/result.html",
        {**_common(), "result": submitted.payload, "staff": True, "patient": patient},
    )
