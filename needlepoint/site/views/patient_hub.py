"""The patient profile, the hub of a patient's care, and the micro-needling overview."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from needlepoint.accounts.permissions import role_required
from needlepoint.core.errors import NotFound
from needlepoint.patients import selectors as patient_selectors
from needlepoint.patients.models import Patient
from needlepoint.privacy.selectors import open_erasure_request
from needlepoint.screening import selectors as screening_selectors
from needlepoint.site import patient_sections as sections
from needlepoint.treatments.selectors import patient_plans, treatment_eligibility


def _patient(actor: Any, patient_id: int) -> Patient:
    try:
        return patient_selectors.patient_for_staff(actor=actor, patient_id=patient_id)
    except NotFound:
        raise Http404("No such patient.") from None


@role_required("patient.read", audit_action="patient.read")
def staff_patient(request: HttpRequest, patient_id: int) -> HttpResponse:
    """Everything about one patient on one page, each section for the roles that may read
    it. Opening the page is one audited read of the record."""
    user: Any = request.user
    patient = _patient(user, patient_id)
    if patient.merged_into_id is not None:
        return redirect("site:staff_patient", patient.merged_into_id)
    shown = dict(sections.visible_sections(user))
    now = timezone.now()
    context: dict[str, Any] = {
        "patient": patient,
        "toc": list(shown.items()),
        "alerts": sections.alerts(patient),
        # An erased patient is not booked again from their old record (docs/retention.md).
        "can_book": user.may("appointment.book") and patient.erased_at is None,
        "can_change": user.may("patient.change"),
        "can_merge": user.may("patient.merge"),
        "can_erase": user.may("patient.erase") and patient.erased_at is None,
        # The patient's request from the portal, for the one who may carry it out.
        "erasure_request": (
            open_erasure_request(patient)
            if user.may("patient.erase") and patient.erased_at is None
            else None
        ),
        "can_record_release": user.may("photo_release.record"),
        "can_grade": user.may("assessment.record"),
        "clinical": user.role in {"aesthetician", "physician"},
    }
    loaders = {
        "plans": lambda: sections.plans(patient),
        "appointments": lambda: sections.appointments(patient, now=now),
        "consents": lambda: sections.consents(patient),
        "photos": lambda: sections.photos(patient),
        "grades": lambda: sections.grades(patient),
        "adverse-events": lambda: sections.adverse_events(patient),
        "follow-ups": lambda: sections.follow_ups(patient),
        "messages": lambda: sections.messages(patient),
        "opened-by": lambda: sections.opened_by(patient),
    }
    for anchor, load in loaders.items():
        if anchor in shown:
            # "messages" is the flash messages' name in every template: the outbox is "outbox".
            name = "outbox" if anchor == "messages" else anchor.replace("-", "_")
            context[name] = load()
    return render(request, "site/staff/patient.html", context)


@role_required("screening.read", audit_action="screening.read")
def patient_overview(request: HttpRequest, patient_id: int) -> HttpResponse:
    """A patient's micro-needling: screenings, consultations and plans on one staff page."""
    user: Any = request.user
    patient = _patient(user, patient_id)
    if patient.merged_into_id is not None:
        return redirect("site:patient_overview", patient.merged_into_id)
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
