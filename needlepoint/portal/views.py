"""The patient portal: my care at a glance, appointments (reschedule or cancel under the
clinic's policy), forms to sign, plan and progress, shared photos, and my data.

Every view takes the patient from the signed-in user, never from the URL; an object id in a
URL (an appointment, a follow-up) is looked up *within* that patient's records, so another
patient's id is a 404 like a missing one (docs/decisions/0163-portal-cancel-policy.md)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from needlepoint.accounts.permissions import role_required
from needlepoint.charting.models import ConsentSignature
from needlepoint.charting.selectors import consent_library
from needlepoint.charting.services import consent_sign
from needlepoint.clinic.clock import clinic_today
from needlepoint.clinic.selectors import service_by_slug
from needlepoint.core.confirm import is_confirmed
from needlepoint.core.errors import Conflict, NotFound
from needlepoint.core.form_errors import form_errors
from needlepoint.domain.errors import DomainError
from needlepoint.domain.outcomes import GAIS_LABELS, SATISFACTION_LABELS
from needlepoint.followups.selectors import (
    FOLLOW_UP_SERVICE,
    State,
    followup_state,
    patient_followups,
    usual_locations,
)
from needlepoint.followups.services import followup_book
from needlepoint.outcomes.measure_views import portal_photo_measures
from needlepoint.outcomes.selectors import patient_ratings
from needlepoint.outcomes.services import rating_submit
from needlepoint.patients.models import Patient
from needlepoint.scheduling.selectors import available_slots
from needlepoint.scheduling.services import appointment_cancel, appointment_reschedule

from . import selectors as sel
from .api import zip_response
from .export import export_filename, patient_export
from .plan_selectors import place_choice, waiting_entries

View = Callable[..., HttpResponse]
SLOTS_PER_DAY = 6


def patient_page(capability: str = "patient.read_own") -> Callable[[View], View]:
    """Signed in, a patient role, and a linked patient record (else the 'call us' page)."""

    def decorate(view: View) -> View:
        @role_required(capability)
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            patient = sel.own_patient(_user(request))
            if patient is None:
                return render(request, "portal/unlinked.html", status=404)
            return view(request, patient, *args, **kwargs)

        return wrapper

    return decorate


def _user(request: HttpRequest) -> Any:
    """The signed-in user (the decorators have checked there is one)."""
    return request.user


def _problems(exc: DomainError) -> list[str]:
    """The refusal in words (core/form_errors.py): these pages have no field for a problem to
    sit beside, so every message goes above, and a field's internal name is never shown."""
    shown = form_errors(exc, fields=())
    return [shown.summary] if shown.summary else [exc.message]


def _parse_start(raw: str) -> datetime | None:
    try:
        value = datetime.fromisoformat(raw.strip())
    except ValueError:
        return None
    return value if timezone.is_aware(value) else None


@patient_page()
def home(request: HttpRequest, patient: Patient) -> HttpResponse:
    now = timezone.now()
    today = clinic_today(now=now)
    upcoming, _ = sel.appointments(patient, now)
    followups = patient_followups(actor=_user(request), patient=patient, today=today)
    sel.portal_read(actor=_user(request), patient=patient, section="home")
    context = {
        "patient": patient,
        "today": today,
        "upcoming": upcoming[:3],
        "consents": sel.pending_consents(patient, now),
        "aftercare": sel.last_session_aftercare(patient, today),
        "progress": sel.plan_progress(patient),
        "to_book": [f for f in followups if f.state in (State.PROPOSED, State.MISSED, State.DUE)],
    }
    return render(request, "portal/home.html", context)


@patient_page()
def appointments(request: HttpRequest, patient: Patient) -> HttpResponse:
    now = timezone.now()
    upcoming, past = sel.appointments(patient, now)
    followups = patient_followups(
        actor=_user(request), patient=patient, today=clinic_today(now=now)
    )
    sel.portal_read(actor=_user(request), patient=patient, section="appointments")
    return render(
        request,
        "portal/appointments.html",
        {
            "patient": patient,
            "upcoming": upcoming,
            "past": past,
            "followups": [f for f in followups if f.state != State.DISMISSED],
            "late_hours": int(sel.late_cancel_window().total_seconds() // 3600),
            "progress": sel.plan_progress(patient),
            "waiting": waiting_entries(patient),
        },
    )


def _own_open(request: HttpRequest, appointment_id: int) -> sel.AppointmentView:
    try:
        appointment = sel.own_appointment(actor=_user(request), appointment_id=appointment_id)
    except NotFound:
        raise Http404("No such appointment.") from None
    return sel.appointment_view(appointment, timezone.now())


@patient_page("appointment.change")
def cancel(request: HttpRequest, patient: Patient, appointment_id: int) -> HttpResponse:
    view = _own_open(request, appointment_id)
    errors: list[str] = []
    # This page is the confirm step (decision 0504); a refusal needs no asking first.
    if is_confirmed(request) or (request.method == "POST" and not view.can_change):
        try:
            appointment_cancel(
                actor=_user(request),
                appointment=view.appointment,
                reason=request.POST.get("reason", "")[:500] or "cancelled in the portal",
            )
        except DomainError as exc:
            errors = _problems(exc)
        else:
            note = " (a late cancellation under the clinic's policy)" if view.late else ""
            messages.success(request, f"Your appointment is cancelled{note}.")
            return redirect("portal:appointments")
    sel.portal_read(actor=_user(request), patient=patient, section="cancel")
    status = 409 if errors else 200
    return render(
        request,
        "portal/cancel.html",
        {
            "view": view,
            "errors": errors,
            "reason": request.POST.get("reason", ""),
            "late_hours": int(sel.late_cancel_window().total_seconds() // 3600),
        },
        status=status,
    )


def _slot_choices(
    service: Any, location: Any, first_day: date, now: datetime, days: int = 14
) -> list[dict[str, Any]]:
    slots = available_slots(
        service=service,
        location=location,
        start_date=first_day,
        end_date=first_day + timedelta(days=days - 1),
        now=now,
    )
    seen: set[datetime] = set()
    per_day: dict[date, int] = {}
    choices = []
    for slot in slots:
        local = slot.start.astimezone(location.zone)
        # A few times a day across the fortnight, rather than one morning in 15-minute steps.
        if slot.start in seen or per_day.get(local.date(), 0) >= SLOTS_PER_DAY:
            continue
        seen.add(slot.start)
        per_day[local.date()] = per_day.get(local.date(), 0) + 1
        choices.append({"value": local.isoformat(), "local": local})
    return choices


def _from_day(request: HttpRequest, default: date) -> date:
    try:
        day = date.fromisoformat(request.GET.get("from", "")[:10])
    except ValueError:
        return default
    return max(day, default)


@patient_page("appointment.change")
def reschedule(request: HttpRequest, patient: Patient, appointment_id: int) -> HttpResponse:
    view = _own_open(request, appointment_id)
    now = timezone.now()
    errors: list[str] = []
    chosen = request.POST.get("start", "")
    appointment = view.appointment
    # The visit may move to another location offering its service (decision 0713).
    place, places = place_choice(appointment.service, _asked_place(request), appointment.location)
    place = place or appointment.location
    if request.method == "POST" and view.can_change:
        start = _parse_start(chosen)
        if start is None:
            errors = ["Choose one of the free times."]
        else:
            try:
                appointment_reschedule(
                    actor=_user(request),
                    appointment=appointment,
                    start=start,
                    location=place if place.pk != appointment.location_id else None,
                )
            except DomainError as exc:
                errors = _problems(exc)
            else:
                messages.success(request, "Your appointment has been moved.")
                return redirect("portal:appointments")
    today = clinic_today(now=now)
    first_day = _from_day(request, today)
    choices = _slot_choices(appointment.service, place, first_day, now) if view.can_change else []
    sel.portal_read(actor=_user(request), patient=patient, section="reschedule")
    context = {"view": view, "choices": choices, "chosen": chosen, "errors": errors}
    context |= {"first_day": first_day, "next_from": first_day + timedelta(days=14)}
    with timezone.override(place.zone):  # the times are the chosen location's wall clock
        return render(
            request,
            "portal/reschedule.html",
            {**context, "place": place, "places": places},
            status=409 if errors else 200,
        )


def _asked_place(request: HttpRequest) -> str:
    return (request.POST.get("location", "") or request.GET.get("location", ""))[:100]


@patient_page("appointment.book")
def book_follow_up(request: HttpRequest, patient: Patient, followup_id: int) -> HttpResponse:
    try:
        followup = sel.own_followup(actor=_user(request), patient=patient, followup_id=followup_id)
    except NotFound:
        raise Http404("No such follow-up.") from None
    now = timezone.now()
    errors: list[str] = []
    chosen = request.POST.get("start", "")
    service = service_by_slug(FOLLOW_UP_SERVICE)
    usual = usual_locations([followup])[followup.pk]
    location, places = place_choice(service, _asked_place(request), usual)
    if request.method == "POST":
        start = _parse_start(chosen)
        if start is None:
            errors = ["Choose one of the free times."]
        else:
            try:
                followup_book(
                    actor=_user(request), followup=followup, start=start, location=location
                )
            except (DomainError, Conflict) as exc:
                errors = _problems(exc)
            else:
                messages.success(request, "Your outcome visit is booked.")
                return redirect("portal:appointments")
    today = clinic_today(now=now)
    first_day = _from_day(request, max(today, followup.due_on - timedelta(days=7)))
    choices = _slot_choices(service, location, first_day, now) if service and location else []
    sel.portal_read(actor=_user(request), patient=patient, section="follow_up")
    context = {"followup": followup, "state": followup_state(followup, today), "chosen": chosen}
    context |= {"choices": choices, "errors": errors, "place": location, "places": places}
    context |= {"first_day": first_day, "next_from": first_day + timedelta(days=14)}
    with timezone.override(location.zone if location else timezone.get_current_timezone()):
        return render(request, "portal/book_follow_up.html", context, status=409 if errors else 200)


@patient_page()
def forms(request: HttpRequest, patient: Patient) -> HttpResponse:
    now = timezone.now()
    signed = sel.signed_consents(patient)
    sel.portal_read(actor=_user(request), patient=patient, section="forms")
    return render(
        request,
        "portal/forms.html",
        {
            "patient": patient,
            "pending": sel.pending_consents(patient, now),
            "signed": signed,
            "library": consent_library(),
        },
    )


@patient_page()
def sign_consent(request: HttpRequest, patient: Patient, appointment_id: int) -> HttpResponse:
    view = _own_open(request, appointment_id)
    if not view.appointment.service.is_treatment:
        raise Http404("No consent is needed for this visit.")
    library = consent_library()
    errors: list[str] = []
    if request.method == "POST":
        try:
            consent_sign(
                actor=_user(request),
                appointment=view.appointment,
                consent_version=request.POST.get("consent_version", ""),
                signature=request.POST.get("signature", "")[:200],
                photo_release=request.POST.get("photo_release") == "yes",
                source=ConsentSignature.Source.PORTAL,
            )
        except DomainError as exc:
            errors = _problems(exc)
        else:
            messages.success(request, "Thank you: your consent is signed.")
            return redirect("portal:forms")
    sel.portal_read(actor=_user(request), patient=patient, section="consent")
    return render(
        request,
        "portal/consent.html",
        {
            "view": view,
            "consent": library.current,
            "release": library.photo_release,
            "errors": errors,
            "signature": request.POST.get("signature", ""),
            "photo_release": request.POST.get("photo_release") == "yes",
        },
        status=422 if errors else 200,
    )


def _rating_choices() -> dict[str, Any]:
    return {
        "improvement_choices": sorted(GAIS_LABELS.items()),
        "satisfaction_choices": sorted(SATISFACTION_LABELS.items(), reverse=True),
    }


def _choice(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() and len(raw) < 3 else 0


@patient_page()
def progress(request: HttpRequest, patient: Patient) -> HttpResponse:
    errors: list[str] = []
    if request.method == "POST":
        if not _user(request).may("rating.submit"):
            raise Http404
        try:
            rating_submit(
                actor=_user(request),
                patient=patient,
                improvement=_choice(request.POST.get("improvement")),
                satisfaction=_choice(request.POST.get("satisfaction")),
                comment=request.POST.get("comment", ""),
                rated_on=clinic_today(),
            )
        except DomainError as exc:
            errors = _problems(exc)
        else:
            messages.success(request, "Thank you for rating your result.")
            return redirect("portal:progress")
    sel.portal_read(actor=_user(request), patient=patient, section="progress")
    context = {
        "patient": patient,
        "progress": sel.plan_progress(patient),
        "charts": sel.grade_charts(patient),
        "photo_measures": portal_photo_measures(
            actor=_user(request), patient=patient, chosen=request.GET.get("photo")
        ),
        "ratings": [
            {
                "r": r,
                "improvement": GAIS_LABELS.get(r.improvement),
                "satisfaction": SATISFACTION_LABELS.get(r.satisfaction),
            }
            for r in patient_ratings(patient)
        ],
        "errors": errors,
        "posted": request.POST,
        **_rating_choices(),
    }
    return render(request, "portal/progress.html", context, status=422 if errors else 200)


def _day(raw: str | None) -> date | None:
    try:
        return date.fromisoformat((raw or "")[:10])
    except ValueError:
        return None


@patient_page("photo.view_own")
def photos(request: HttpRequest, patient: Patient) -> HttpResponse:
    context = sel.shared_comparison(
        patient,
        request.GET.get("view", "")[:20],
        _day(request.GET.get("a")),
        _day(request.GET.get("b")),
    )
    sel.portal_read(actor=_user(request), patient=patient, section="photos")
    return render(request, "portal/photos.html", {"patient": patient, **context})


@patient_page("data.export_own")
def export(request: HttpRequest, patient: Patient) -> HttpResponse:
    if request.GET.get("download") != "1":
        sel.portal_read(actor=_user(request), patient=patient, section="export")
        return render(request, "portal/export.html", {"patient": patient})
    archive = patient_export(actor=_user(request), patient=patient)
    return zip_response(archive.zip_bytes(), export_filename(patient))
