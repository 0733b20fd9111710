from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods

from needlepoint.accounts.permissions import role_required
from needlepoint.clinic.clock import clinic_today
from needlepoint.clinic.selectors import clinic_phone
from needlepoint.core.errors import Forbidden, InvalidInput, NotFound
from needlepoint.core.form_errors import form_errors
from needlepoint.core.inputs import record_number
from needlepoint.patients.selectors import patient_for_staff, patient_search

from . import services
from .booking_reference import booking_reference
from .clinic_data import current_policy
from .course_picture import course_picture
from .eligibility_copy import who_may_not_be_treated
from .forms_support import data_from_post, first_step_with, form_steps, step_move
from .models import Screening
from .page_copy import load_treatment_page
from .results import result_payload

RESULT_SESSION_KEY = "screening_result"
BOOKING_PLACEHOLDER = "/book/consultation/"


def booking_url() -> str:
    """The consultation booking page once booking provides it; until then a placeholder."""
    try:
        return reverse("booking:consultation")
    except NoReverseMatch:
        return BOOKING_PLACEHOLDER


def _result_record(submitted: services.SubmittedScreening) -> dict[str, Any]:
    """The judgement as the result page shows it and the session keeps it (the form a
    stored screening keeps it in, ``results.result_payload``)."""
    stored = submitted.screening
    return result_payload(submitted.result, stored.pk if stored else None)


def _common() -> dict[str, Any]:
    return {
        "copy": load_treatment_page(),
        "book_url": booking_url(),
        "clinic_phone": clinic_phone(),
    }


def treatment_page(request: HttpRequest) -> HttpResponse:
    context = _common()
    policy = current_policy()
    context["sections"] = [
        (s, who_may_not_be_treated(s, policy) if s.groups or s.conditions else [])
        for s in context["copy"].sections
    ]
    context["course"] = course_picture(context["copy"].book_text)
    # The picture follows the section on sessions (else the last section) in the file's order.
    ids = [s.id for s in context["copy"].sections]
    context["picture_after"] = "how-many-sessions" if "how-many-sessions" in ids else ids[-1]
    return render(request, "screening/treatment_page.html", context)


def _render_form(
    request: HttpRequest,
    *,
    values: dict[str, Any],
    errors: dict[str, str],
    staff: bool,
    status: int = 200,
    extra: dict[str, Any] | None = None,
    current: int | None = None,
) -> HttpResponse:
    copy = load_treatment_page()
    if current is None:
        current = first_step_with(copy, errors) if errors else 1
    context = {
        **_common(),
        "steps": form_steps(copy, values, errors, current),
        "current": current,
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
    moved = step_move(request.POST, load_treatment_page(), data, today=clinic_today())
    if moved is not None:
        current, errors = moved
        status = 422 if errors else 200
        return _render_form(
            request, values=data, errors=errors, staff=False, status=status, current=current
        )
    try:
        submitted = services.screening_submit(
            actor=None, data=data, channel=Screening.Channel.ONLINE
        )
    except InvalidInput as exc:
        errors = form_errors(exc).fields
        return _render_form(request, values=data, errors=errors, staff=False, status=422)
    request.session[RESULT_SESSION_KEY] = _result_record(submitted)
    return redirect("screening:result")


def screening_result(request: HttpRequest) -> HttpResponse:
    payload = request.session.get(RESULT_SESSION_KEY)
    if not payload:
        return redirect("screening:form")
    context = {**_common(), "result": payload}
    if payload.get("id"):  # stored: the booking link carries it (only this person has it)
        context["book_url"] += "?" + urlencode({"screening": booking_reference(payload["id"])})
    return render(request, "screening/result.html", context)


def _caller_picker(request: HttpRequest) -> dict[str, Any]:
    """Who the caller is, found by name, phone or date of birth and chosen from the list
    (the same search and the same choice as booking's caller picker, decision 0467)."""
    user: Any = request.user
    q = (request.POST.get("q") or request.GET.get("q") or "").strip()[:100]
    chosen = record_number(request.POST.get("patient") or request.GET.get("patient"))
    patient = None
    if chosen:
        try:
            patient = patient_for_staff(actor=user, patient_id=chosen)
        except NotFound:
            patient = None
    matches = patient_search(actor=user, q=q, limit=10, record_numbers=False).items if q else []
    return {"q": q, "matches": matches, "patient": patient, "chosen_id": chosen}


@role_required("screening.take")
@require_http_methods(["GET", "POST"])
def staff_phone_screening(request: HttpRequest) -> HttpResponse:
    """The front desk takes the screening for a caller; same rules, recorded as staff's."""
    extra = _caller_picker(request)
    if request.method == "GET":
        return _render_form(request, values={}, errors={}, staff=True, extra=extra)
    data = data_from_post(request.POST)
    if "find" in request.POST:  # the caller search, without JavaScript: keep every answer
        return _render_form(request, values=data, errors={}, staff=True, extra=extra)
    moved = step_move(request.POST, load_treatment_page(), data, today=clinic_today())
    if moved is not None:
        current, step_errors = moved
        return _render_form(
            request,
            values=data,
            errors=step_errors,
            staff=True,
            status=422 if step_errors else 200,
            extra=extra,
            current=current,
        )
    patient = extra["patient"]
    errors: dict[str, str] = {}
    if extra["chosen_id"] and patient is None:
        errors["patient"] = "That patient record is no longer there: search again and choose."
    try:
        submitted = services.screening_submit(
            actor=request.user,  # type: ignore[arg-type]
            data=data,
            channel=Screening.Channel.PHONE,
            patient=patient if not errors else None,
        )
    except InvalidInput as exc:
        errors.update(form_errors(exc).fields)
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
        {**_common(), "result": _result_record(submitted), "staff": True, "patient": patient},
    )
