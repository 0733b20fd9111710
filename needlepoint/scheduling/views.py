"""Booking for a caller and the appointment page (the calendar grid is in calendar_views.py).

Pages under /staff/ (TOTP enforced). Forms work without JavaScript; with htmx the free times
load in place (the same view answers with just the slots partial).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from needlepoint.accounts.permissions import role_required
from needlepoint.clinic.access import visible_locations
from needlepoint.clinic.clock import clinic_today, local_date
from needlepoint.clinic.models import Location
from needlepoint.core.confirm import is_confirmed
from needlepoint.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from needlepoint.core.form_errors import add_to_form
from needlepoint.core.inputs import record_number
from needlepoint.screening.page_copy import load_treatment_page

from . import caller_selectors, selectors, services
from .forms import BookingForm, CancelForm, RescheduleForm
from .free_times import alternatives_in_words, booking_location, free_times, parse_start
from .models import BookedVia
from .services.spacing import SpacingTooClose
from .wording import clock_words, day_words, pen_name, when_words


def _refusal(form: Any, exc: InvalidInput, data: Any, url: str) -> dict[str, Any] | None:
    """The refusal on the form; for a session too close to another of its course, also the
    earliest allowed date, in words, with a link to that day's free times (what was typed
    kept)."""
    add_to_form(form, exc)
    if not isinstance(exc, SpacingTooClose):
        return None
    kept = data.copy()
    for name in ("csrfmiddlewaretoken", "start", "date"):
        kept.pop(name, None)
    kept["date"] = exc.earliest.isoformat()
    return {
        "date": exc.earliest,
        "words": day_words(exc.earliest),
        "url": f"{url}?{kept.urlencode()}",
    }


def _booking_initial(data: Any, location: Location) -> dict[str, Any]:
    """What the calendar grid (or the day view) asked for: a start, staff, room, pen, patient."""
    start = parse_start(data.get("start", ""), location)
    day = local_date(location, start) if start else None
    return {
        "location": location,
        "date": data.get("date", "")[:10] or day or clinic_today(location),
        "staff": data.get("staff", "")[:150],
        "room": data.get("room", "")[:100],
        "device": data.get("device", "")[:100],
        "start": start.isoformat() if start else "",
    }


@role_required("appointment.book", audit_action="appointment.book")
def book_view(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.is_clinic_staff:
        raise PermissionDenied("The calendar is for staff.")
    data = request.POST if request.method == "POST" else request.GET
    location = booking_location(request, data)
    resources = caller_selectors.booking_resources(location=location)
    # A search or the calendar's link carries no service yet: the form opens unbound.
    form = BookingForm(
        data if request.method == "POST" or data.get("service") else None,
        initial=_booking_initial(data, location),
        resources=resources,
        may_override_spacing=user.may("appointment.spacing_override"),
        locations=visible_locations(user),
    )
    q = (data.get("q") or "")[:200].strip()
    matches = caller_selectors.caller_search(actor=user, q=q) if q else []
    patient = caller_selectors.caller_chosen(
        actor=user, patient_id=record_number(data.get("patient"))
    )
    slots: list[dict[str, Any]] = []
    conflict: dict[str, Any] | None = None
    earliest: dict[str, Any] | None = None
    chosen = parse_start(data.get("start", ""), location)
    if form.is_bound and form.is_valid():
        values = form.cleaned_data
        service, location = values["service"], values["location"]
        if request.method == "POST" and chosen is None:
            # "Book" pressed before choosing a time: say so rather than re-show the form.
            form.add_error("start", "Choose one of the free times.")
        elif request.method == "POST" and patient is None:
            form.add_error(
                "patient", "Choose the patient: find them by name, phone or date of birth."
            )
        elif request.method == "POST" and patient is not None and chosen is not None:
            try:
                appointment = services.appointment_book(
                    actor=user,
                    patient=patient,
                    service=service,
                    start=chosen,
                    location=location,
                    staff_username=values.get("staff") or None,
                    notes=values.get("notes", ""),
                    booked_via=BookedVia.STAFF,
                    spacing_override_reason=values.get("spacing_override_reason", ""),
                    room_slug=values.get("room") or None,
                    device_slug=values.get("device") or None,
                )
            except InvalidInput as exc:
                earliest = _refusal(form, exc, data, reverse("scheduling:book"))
            except Forbidden as exc:
                form.add_error(None, exc.message)
            except Conflict as exc:
                conflict = {"message": exc.message, **exc.extra}
                alternatives_in_words(conflict, location, resources)
            else:
                messages.success(
                    request,
                    f"Booked {service.name} for {patient.full_name} on "
                    f"{when_words(appointment.start, location.zone)}.",
                )
                return _back_to_day(appointment)
        slots = free_times(
            actor=user,
            service=service,
            location=location,
            day=values["date"],
            staff=values.get("staff", ""),
            room=values.get("room", ""),
            device=values.get("device", ""),
            chosen=chosen,
        )
    context = {
        "form": form,
        "q": q,
        "matches": matches,
        "patient": patient,
        "plans": caller_selectors.plans_with_sessions_to_book(actor=user, patient=patient)
        if patient
        else [],
        "slots": slots,
        "chosen_words": when_words(chosen, location.zone) if chosen else "",
        "conflict": conflict,
        "earliest": earliest,
        "location": location,
    }
    target = request.headers.get("HX-Target", "") if getattr(request, "htmx", False) else ""
    if target == "patient-results":
        return render(request, "scheduling/_patients.html", context)
    if target:
        return render(request, "scheduling/_slots.html", context)
    status = 422 if form.errors else (409 if conflict else 200)
    return render(request, "scheduling/book.html", context, status=status)


def staff_appointment(request: HttpRequest, appointment_id: int) -> tuple[Any, Any]:
    """(the staff member, the appointment they opened, an audited read); the calendar is for
    staff only, and an appointment that is not there is a 404."""
    user: Any = request.user
    if not user.is_clinic_staff:
        raise PermissionDenied("The calendar is for staff.")
    try:
        appointment = selectors.appointment_for(
            actor=user, appointment_id=appointment_id, audit_action="appointment.read"
        )
    except NotFound:
        raise Http404("No such appointment.") from None
    return user, appointment


@role_required("appointment.change", audit_action="appointment.read")
def appointment_view(request: HttpRequest, appointment_id: int) -> HttpResponse:
    user, appointment = staff_appointment(request, appointment_id)
    data = request.POST if request.method == "POST" else request.GET
    # Where the visit moves to: where it is, unless another location within the user's reach
    # is asked for (0713; one out of reach is ignored, decision 0700).
    places = list(visible_locations(user))
    location = next((p for p in places if p.slug == data.get("location")), appointment.location)
    resources = caller_selectors.booking_resources(location=location)
    action = data.get("action", "")
    form = RescheduleForm(
        data if "date" in data else None,
        resources=resources,
        locations=places,
        initial={"location": location.slug},
        may_override_spacing=user.may("appointment.spacing_override"),
    )
    cancel_form = CancelForm(data if action == "cancel" else None)
    slots: list[dict[str, Any]] = []
    conflict: dict[str, Any] | None = None
    earliest: dict[str, Any] | None = None
    chosen = parse_start(data.get("start", ""), location)
    if request.method == "POST" and action == "cancel" and not is_confirmed(request):
        # Cancelling asks once (decisions 0423, 0504): only the confirm page's "Yes" cancels.
        return redirect("scheduling:cancel", appointment_id=appointment.pk)
    if request.method == "POST" and action == "cancel" and cancel_form.is_valid():
        # Posted from the confirmation page (cancel_view), which says what the patient is sent.
        try:
            services.appointment_cancel(
                actor=user, appointment=appointment, reason=cancel_form.cleaned_data["reason"]
            )
        except Conflict as exc:
            conflict = {"message": exc.message}
        else:
            messages.success(
                request,
                f"Cancelled {appointment.service.name} for {appointment.patient.full_name} on "
                f"{when_words(appointment.start, location.zone)}.",
            )
            return _back_to_day(appointment)
    if action != "cancel" and form.is_bound and form.is_valid():
        values = form.cleaned_data
        if request.method == "POST" and chosen is None:
            form.add_error("start", "Choose one of the free times.")
        elif request.method == "POST" and chosen is not None:
            try:
                moved = services.appointment_reschedule(
                    actor=user,
                    appointment=appointment,
                    start=chosen,
                    staff_username=values.get("staff") or None,
                    spacing_override_reason=values.get("spacing_override_reason", ""),
                    location=location if location.pk != appointment.location_id else None,
                )
            except InvalidInput as exc:
                earliest = _refusal(form, exc, data, request.path)
            except Forbidden as exc:
                form.add_error(None, exc.message)
            except Conflict as exc:
                conflict = {"message": exc.message, **exc.extra}
                alternatives_in_words(conflict, location, resources)
            else:
                messages.success(request, f"Moved to {when_words(moved.start, location.zone)}.")
                return _back_to_day(moved)
        slots = free_times(
            actor=user,
            service=appointment.service,
            location=location,
            day=values["date"],
            staff=values.get("staff", ""),
            chosen=chosen,
            exclude=appointment.pk,
        )
    context = {
        "appointment": appointment,
        "form": form,
        "slots": slots,
        "conflict": conflict,
        "earliest": earliest,
        "when": when_words(appointment.start, location.zone),
        "until": clock_words(appointment.end.astimezone(location.zone)),
        "pen": pen_name(appointment.device) if appointment.device else "",
        "charted": selectors.appointment_is_charted(appointment),
        # The treatment day is the clinicians' page: the front desk is not offered a 403.
        "may_open_treatment_day": user.may("chart.read"),
        "screening": _screening_summary(appointment),
    }
    if getattr(request, "htmx", False):
        return render(request, "scheduling/_slots.html", context)
    status = 422 if form.errors else (409 if conflict else 200)
    return render(request, "scheduling/appointment.html", context, status=status)


def _screening_summary(appointment: Any) -> dict[str, Any] | None:
    """The self-screening the consultation was booked from, in words (not codes)."""
    screening = appointment.screening
    if screening is None:
        return None
    labels = load_treatment_page().labels["verdicts"]
    return {
        "verdict_label": labels.get(screening.verdict, screening.verdict),
        "created_at": screening.created_at,
        "reasons": [r["message"] for r in (screening.result or {}).get("reasons", [])],
    }


def _back_to_day(appointment: Any) -> HttpResponse:
    local_day = local_date(appointment.location, appointment.start)
    return redirect(
        f"{reverse('scheduling:day')}?location={appointment.location.slug}&date={local_day}"
    )
