"""The physician's clearance pages: the queue of consultations awaiting a clearance (beside
the co-signature queue) and the page that records the decision, in words, never codes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from needlepoint.accounts.permissions import role_required
from needlepoint.clinic.clock import clinic_today, location_zone
from needlepoint.core.errors import Conflict, InvalidInput, NotFound, Problems
from needlepoint.core.form_errors import FormErrors, form_errors
from needlepoint.core.labels import clock_words

from . import clearance_selectors, clinic_data, services
from .selectors import consultation_to_act_on

FIELDS = ("cleared", "notes")
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI"}


def _day_words(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def when_words(moment: datetime, zone: ZoneInfo) -> str:
    """Thursday 3 December 2026, 9:30 am, in the clinic's zone."""
    local = moment.astimezone(zone)
    return f"{_day_words(local.date())}, {clock_words(local)}"


def waited_words(since: datetime, now: datetime, zone: ZoneInfo) -> str:
    """How long a request has waited, as people say it: "since today", "for 3 days"."""
    days = (now.astimezone(zone).date() - since.astimezone(zone).date()).days
    if days <= 0:
        return "Waiting since today"
    if days == 1:
        return "Waiting since yesterday"
    if days < 14:
        return f"Waiting {days} days"
    return f"Waiting {days // 7} weeks"


def _row(
    request: clearance_selectors.ClearanceRequest, now: datetime, zone: ZoneInfo
) -> dict[str, Any]:
    return {
        "id": request.consultation.pk,
        "patient": request.patient.full_name,
        "reasons": request.reasons,
        "waited": waited_words(request.waiting_since, now, zone),
        "since": when_words(request.waiting_since, zone),
        "asked_by": request.asked_by.display_name if request.asked_by else "",
    }


@role_required("consultation.clear", audit_action="consultation.read")
def clearance_queue(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    waiting = clearance_selectors.clearance_queue(actor=user)
    now, zone = timezone.now(), location_zone()
    rows = [_row(w, now, zone) for w in waiting]
    return render(request, "screening/clearance/queue.html", {"rows": rows})


def _age(born: date | None, today: date) -> int | None:
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _examination(consultation: Any, zone: ZoneInfo) -> dict[str, Any]:
    table = clinic_data.current_protocols()
    concerns = []
    for item in consultation.concerns:
        concern = table.concerns.get(item.get("concern", ""))
        if concern is None:
            continue
        grade = next((g for g in concern.grades if g.grade == item.get("grade")), None)
        shown = "" if grade is None or grade.grade is None else f" ({grade.grade}: {grade.label})"
        concerns.append(f"{concern.label}{shown}")
    zones = [table.zones[z].label for z in consultation.zones if z in table.zones]
    return {
        "skin_type": f"Fitzpatrick type {ROMAN.get(consultation.fitzpatrick, '')}",
        "concerns": concerns,
        "zones": zones,
        "examined": when_words(consultation.signed_at, zone),
        "examined_by": consultation.signed_by.display_name,
        "notes": consultation.notes,
    }


def _decide(request: HttpRequest, consultation_id: int) -> FormErrors:
    """Record the decision posted, or say beside which field what is missing."""
    user: Any = request.user
    cleared = request.POST.get("cleared", "")
    notes = request.POST.get("notes", "")
    problems = Problems()
    if cleared not in ("yes", "no"):
        problems.add("cleared", "Choose whether the patient is cleared for treatment.")
    if len(notes) > 5000:
        problems.add("notes", "Keep the notes under 5,000 characters.")
    elif cleared == "no" and not notes.strip():
        problems.add(
            "notes", "Say why the patient is not cleared, for the clinician and the record."
        )
    try:
        problems.raise_if_any()
        consultation = consultation_to_act_on(consultation_id)
        services.consultation_clear(
            actor=user, consultation=consultation, cleared=cleared == "yes", notes=notes
        )
    except (InvalidInput, Conflict) as exc:
        shown = form_errors(exc, fields=FIELDS)
        if isinstance(exc, Conflict):
            shown.summary = f"Not recorded: {exc.message}."
        return shown
    return FormErrors()


@role_required("consultation.clear", audit_action="consultation.clear")
@require_http_methods(["GET", "POST"])
def clearance_decide(request: HttpRequest, consultation_id: int) -> HttpResponse:
    user: Any = request.user
    shown = FormErrors()
    if request.method == "POST":
        try:
            shown = _decide(request, consultation_id)
        except NotFound:
            raise Http404("No such consultation.") from None
        if not shown:
            consultation, state = clearance_selectors.consultation_state(
                actor=user, consultation_id=consultation_id
            )
            outcome = (
                "cleared: treatment may now be planned and booked"
                if state.allows_treatment
                else "not cleared: treatment may not be booked"
            )
            messages.success(
                request, f"Clearance signed for {consultation.patient.full_name}, {outcome}."
            )
            return redirect("screening:clearance_queue")
    try:
        waiting = clearance_selectors.clearance_request(actor=user, consultation_id=consultation_id)
    except NotFound:
        raise Http404("No such consultation.") from None
    if waiting is None:
        if shown.summary:
            messages.error(request, shown.summary)
        else:
            messages.info(request, "That consultation no longer waits for a clearance.")
        return redirect("screening:clearance_queue")
    consultation = waiting.consultation
    now, zone = timezone.now(), location_zone()
    context = {
        "row": _row(waiting, now, zone),
        "patient": consultation.patient,
        "age": _age(getattr(consultation.patient, "date_of_birth", None), clinic_today()),
        "exam": _examination(consultation, zone),
        "values": {
            "cleared": request.POST.get("cleared", ""),
            "notes": request.POST.get("notes", ""),
        }
        if request.method == "POST"
        else {},
        "errors": shown.fields,
        "summary": shown.summary,
    }
    status = (409 if not shown.fields else 422) if shown else 200
    return render(request, "screening/clearance/decide.html", context, status=status)
