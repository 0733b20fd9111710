from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader

from needlepoint.accounts.permissions import role_required
from needlepoint.clinic.clock import clinic_today, local_day_bounds
from needlepoint.core.errors import NotFound
from needlepoint.core.inputs import MAX_PAGE, parse_int, parse_text, whole_number
from needlepoint.patients import selectors as patient_selectors
from needlepoint.scheduling.models import AppointmentStatus
from needlepoint.scheduling.selectors import appointments_between, default_location
from needlepoint.screening import selectors as screening_selectors
from needlepoint.treatments.selectors import patient_plans, treatment_eligibility


def home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.is_authenticated and getattr(user, "is_clinic_staff", False):
        return redirect("site:staff_home")
    if user.is_authenticated:
        return redirect("site:portal")
    return render(request, "site/home.html")


@role_required("clinic.read")
def staff_home(request: HttpRequest) -> HttpResponse:
    """Today at the clinic: a clinician's own appointments, everyone's for the front desk."""
    user: Any = request.user
    location = default_location()
    appointments: list[Any] = []
    own = user.role in {"aesthetician", "physician"}
    # The clinic admin runs the clinic, not the day's visits: no patient list on their page.
    if location is not None and user.may("appointment.read") and user.role != "clinic_admin":
        bounds = local_day_bounds(location, clinic_today(location))
        appointments = appointments_between(
            actor=user,
            location=location,
            start=bounds.start,
            end=bounds.end,
            statuses=[
                AppointmentStatus.BOOKED,
                AppointmentStatus.COMPLETED,
                AppointmentStatus.NO_SHOW,
            ],
            staff=user if own else None,
        )
    context = {"location": location, "appointments": appointments, "own": own}
    return render(request, "site/staff/home.html", context)


@role_required("patient.read", audit_action="patient.read")
def staff_patients(request: HttpRequest) -> HttpResponse:
    q = parse_text(request.GET.get("q"), "q", max_length=200)
    # Nonsense is page 1 (as Django's paginator does); a number beyond any list is refused.
    raw_page = whole_number(request.GET.get("page"), digits=20) or 1
    page_number = parse_int(raw_page, "page", minimum=1, maximum=MAX_PAGE)
    size = 25
    actor: Any = request.user
    page = patient_selectors.patient_search(
        actor=actor, q=q, limit=size, offset=(page_number - 1) * size
    )
    pages = max(1, (page.count + size - 1) // size)
    context = {
        "q": q,
        "patients": page.items,
        "count": page.count,
        "page": page_number,
        "pages": pages,
    }
    return render(request, "site/staff/patients.html", context)


@role_required("patient.read", audit_action="patient.read")
def staff_patient(request: HttpRequest, patient_id: int) -> HttpResponse:
    try:
        patient = patient_selectors.patient_for_staff(actor=request.user, patient_id=patient_id)  # type: ignore[arg-type]
    except NotFound:
        raise Http404("No such patient.") from None
    return render(request, "site/staff/patient.html", {"patient": patient})


@role_required("screening.read", audit_action="screening.read")
def patient_overview(request: HttpRequest, patient_id: int) -> HttpResponse:
    """A patient's micro-needling: screenings, consultations and plans on one staff page."""
    user: Any = request.user
    try:
        patient = patient_selectors.patient_for_staff(actor=user, patient_id=patient_id)
    except NotFound:
        raise Http404("No such patient.") from None
    context: dict[str, Any] = {
        "patient": patient,
        "screenings": screening_selectors.patient_screenings(actor=user, patient_id=patient.pk),
        "eligibility": treatment_eligibility(patient),
        "can_record": user.may("consultation.record"),
    }
    if user.may("consultation.read"):
        consultations = screening_selectors.patient_consultations(actor=user, patient_id=patient.pk)
        context["consultations"] = [
            (c, screening_selectors.current_state(c)) for c in consultations
        ]
    if user.may("plan.read"):
        context["plans"] = patient_plans(actor=user, patient_id=patient.pk, limit=20)[0]
    return render(request, "site/staff/patient_overview.html", context)


def api_aware_400(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Bad request.", "errors": []}, status=400)
    return render(request, "400.html", status=400)


def api_aware_403(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not allowed.", "errors": []}, status=403)
    return render(request, "403.html", status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from a page too old (or from another site): say what to do."""
    return render(request, "403.html", {"expired_form": True}, status=403)


def api_aware_404(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found.", "errors": []}, status=404)
    return render(request, "404.html", status=404)


def api_aware_500(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": "Internal error; it has been logged. Please try again.", "errors": []},
            status=500,
        )
    # No request context: the error may be the database's, and the context processors
    # (the user, the session) would query it again.
    page = loader.get_template("500.html").render({"clinic_name": settings.NEEDLEPOINT_CLINIC_NAME})
    return HttpResponse(page, status=500)
