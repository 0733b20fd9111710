from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import timezone

from needlepoint.accounts.permissions import role_required
from needlepoint.clinic.clock import clinic_today, local_day_bounds
from needlepoint.clinic.current import current_location
from needlepoint.clinic.public_face import cached_clinic_name
from needlepoint.scheduling.models import AppointmentStatus
from needlepoint.scheduling.selectors import appointments_between
from needlepoint.screening.course_picture import course_picture
from needlepoint.screening.page_copy import load_treatment_page

from .patient_hub import patient_overview, staff_patient
from .patients import (
    patient_edit,
    patient_merge,
    patient_merge_choose,
    patient_new,
    staff_patients,
)

__all__ = [
    "patient_edit",
    "patient_merge",
    "patient_merge_choose",
    "patient_new",
    "patient_overview",
    "staff_patient",
    "staff_patients",
]


def home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.is_authenticated and getattr(user, "is_clinic_staff", False):
        return redirect("site:staff_home")
    if user.is_authenticated:
        return redirect("site:portal")
    copy = load_treatment_page()
    context = {"copy": copy, "course": course_picture(copy.book_text)}
    return render(request, "site/home.html", context)


@role_required("clinic.read")
def staff_home(request: HttpRequest) -> HttpResponse:
    """Today at the clinic: a clinician's own appointments, everyone's for the front desk."""
    user: Any = request.user
    location = current_location(request)
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
    if location is None:
        return render(request, "site/staff/home.html", context)
    with timezone.override(location.zone):  # the chosen location's wall clock, not the default's
        return render(request, "site/staff/home.html", context)


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
    page = loader.get_template("500.html").render({"clinic_name": cached_clinic_name()})
    return HttpResponse(page, status=500)
