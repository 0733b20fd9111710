"""Public pages: book a consultation online, and the manage page behind the emailed link.

No JavaScript needed: days are submit buttons of the booking form (so choosing another day
posts what was typed and gets it back; with htmx only the times are swapped), times are radio
buttons, and every error re-renders the form with what the person typed.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from needlepoint.clinic.clock import clinic_today
from needlepoint.clinic.offerings import terms_at
from needlepoint.core.client_ip import client_address
from needlepoint.core.confirm import Question, ask_once
from needlepoint.core.errors import Conflict, InvalidInput, NotFound
from needlepoint.core.form_errors import form_errors
from needlepoint.core.labels import moment_words
from needlepoint.scheduling import selectors as scheduling_selectors
from needlepoint.waitlist.services import waitlist_join

from . import selectors, services
from .api import parse_request, start_problem
from .services import RateLimited

DAYS_SHOWN = 21
FIELDS = ("given_name", "family_name", "email", "phone", "date_of_birth", "start", "screening")
# Each field as the person sees it on the form, for the summary of errors above the form.
FIELD_LABELS = {
    "start": "Day and time",
    "given_name": "First name",
    "family_name": "Last name",
    "date_of_birth": "Date of birth",
    "email": "Email",
    "phone": "Mobile phone",
    "screening": "Screening",
}


def _slots_by_day(
    service: Any, location: Any, first: date, last: date
) -> dict[date, list[datetime]]:
    zone = location.zone
    found: dict[date, set[datetime]] = defaultdict(set)
    for slot in scheduling_selectors.available_slots(
        service=service, location=location, start_date=first, end_date=last, now=timezone.now()
    ):
        found[slot.start.astimezone(zone).date()].add(slot.start.astimezone(zone))
    return {day: sorted(starts) for day, starts in sorted(found.items())}


def _chosen_day(request: HttpRequest, values: dict[str, str], days: list[date]) -> date | None:
    # The day asked for, else the day the form was showing (kept when a booking is refused).
    wanted = (
        request.POST.get("day", "")
        or request.POST.get("shown_day", "")
        or request.GET.get("date", "")
    )
    for raw in (wanted[:10], values.get("start", "")[:10]):
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            continue
        return day
    return days[0] if days else None


# The fields the booking form has; a problem naming another field is said above the form.
FORM_FIELDS = ("start", "given_name", "family_name", "date_of_birth", "email", "phone", "screening")


def _errors(exc: InvalidInput) -> tuple[dict[str, list[str]], str]:
    """(each field's message, what is said above the form) for the refusal, in words
    (core/form_errors.py)."""
    shown = form_errors(exc, fields=FORM_FIELDS)
    return {name: [message] for name, message in shown.fields.items()}, shown.summary


def _choose_location(request: HttpRequest, service: Any, choices: list[Any], notice: str = ""):
    """The first step when the clinic books consultations at several locations: each one's
    address, opening hours and map, then its times (decision 0712)."""
    return render(
        request,
        "booking/choose_location.html",
        {
            "service": service,
            "choices": choices,
            "notice": notice,
            "screening": request.GET.get("screening", "")[:200],
        },
        status=404 if notice else 200,
    )


@require_http_methods(["GET", "POST"])
def book_consultation(request: HttpRequest) -> HttpResponse:
    try:
        service = selectors.consultation_service()
    except InvalidInput:
        return render(request, "booking/unavailable.html", status=404)
    choices = selectors.booking_locations(service)
    if not choices:
        return render(request, "booking/unavailable.html", status=404)
    slug = request.GET.get("location", "")[:100]
    chosen_face = next((face for face in choices if face.slug == slug), None)
    if chosen_face is None and (slug or len(choices) > 1):
        notice = "Consultations are not booked online at that location: choose one below."
        return _choose_location(request, service, choices, notice if slug else "")
    location = selectors.resolve_location((chosen_face or choices[0]).slug)
    values = {name: request.POST.get(name, "")[:254] for name in FIELDS}
    if request.method == "GET":
        values["screening"] = request.GET.get("screening", "")[:200]
        # A reference that no longer names a screening (altered, too old) would block the
        # booking with an error the person cannot fix from this page: book without it.
        if values["screening"] and selectors.screening_for(values["screening"]) is None:
            values["screening"] = ""
    errors: dict[str, list[str]] = {}
    status, notice, alternatives = 200, "", []
    if request.POST.get("day"):  # another day chosen: show its times, keep what was typed
        values["start"] = ""
    elif request.method == "POST":
        data, known = parse_request({**values, "location": location.slug})
        try:
            booking = services.consultation_book_online(
                data=data, ip=client_address(request) or "unknown", known=known
            )
        except InvalidInput as exc:
            errors, summary = _errors(exc)
            status, notice = 422, summary or "Please check the highlighted fields."
        except Conflict as exc:
            status, notice = 409, exc.message
            alternatives = [
                datetime.fromisoformat(a["start"]) for a in exc.extra.get("alternatives", [])
            ]
        except RateLimited as exc:
            status, notice = 429, exc.message
        else:
            return redirect("booking:manage_booked", token=booking.manage_token)
    today = clinic_today(location)
    by_day = _slots_by_day(service, location, today, today + timedelta(days=DAYS_SHOWN))
    days = list(by_day)
    chosen = _chosen_day(request, values, days)
    context = {
        "service": service,
        "terms": terms_at(service, location),
        "face": chosen_face or choices[0],
        "several_locations": len(choices) > 1,
        "location": location,
        "days": days,
        "chosen": chosen,
        "slots": by_day.get(chosen, []) if chosen else [],
        "values": values,
        "errors": errors,
        "error_summary": [
            (field, FIELD_LABELS.get(field, field.replace("_", " ").capitalize()), message)
            for field, messages in errors.items()
            for message in messages
        ],
        "notice": notice,
        "alternatives": alternatives,
        "late_hours": _late_hours(),
    }
    with timezone.override(location.zone):  # pages show the clinic's wall-clock times
        return render(request, "booking/book.html", context, status=status)


def _render_manage(
    request: HttpRequest, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    with timezone.override(context["appointment"].location.zone):
        return render(request, "booking/manage.html", context, status=status)


def _manage_context(token: str, **extra: Any) -> dict[str, Any]:
    appointment = selectors.appointment_for_token(token)
    zone = appointment.location.zone
    context: dict[str, Any] = {
        "appointment": appointment,
        "token": token,
        "start_local": appointment.start.astimezone(zone),
        "end_local": appointment.end.astimezone(zone),
        "manageable": selectors.is_manageable(appointment),
        "late": appointment.start - timezone.now() < timedelta(hours=_late_hours()),
        "late_hours": _late_hours(),
        **extra,
    }
    if context["manageable"]:
        today = clinic_today(appointment.location)
        by_day = _slots_by_day(
            appointment.service, appointment.location, today, today + timedelta(days=DAYS_SHOWN)
        )
        context["reschedule_days"] = list(by_day)
        wanted = extra.get("day")
        chosen = wanted if wanted in by_day else (next(iter(by_day), None))
        context["reschedule_day"] = chosen
        context["reschedule_slots"] = (
            [s for s in by_day.get(chosen, []) if s != context["start_local"]] if chosen else []
        )
    return context


def _late_hours() -> int:
    from django.conf import settings

    return int(settings.NEEDLEPOINT_LATE_CANCEL_HOURS)


def manage(request: HttpRequest, token: str, booked: bool = False) -> HttpResponse:
    day = None
    with contextlib.suppress(ValueError):
        day = date.fromisoformat(request.GET.get("date", "")[:10])
    try:
        context = _manage_context(token, booked=booked, day=day)
    except NotFound:
        return render(request, "link_invalid.html", status=404)
    return _render_manage(request, context)


def manage_booked(request: HttpRequest, token: str) -> HttpResponse:
    return manage(request, token, booked=True)


@require_http_methods(["GET", "POST"])
def manage_cancel(request: HttpRequest, token: str) -> HttpResponse:
    """Asks once (core/confirm.py), then cancels. An appointment that can no longer be
    changed goes straight to the service, which says why (409)."""
    try:
        appointment = selectors.appointment_for_token(token)
    except NotFound:
        return render(request, "link_invalid.html", status=404)
    if selectors.is_manageable(appointment):
        zone = appointment.location.zone
        late = appointment.start - timezone.now() < timedelta(hours=_late_hours())
        says = [
            "The time is freed for someone else at once.",
            "We e-mail you to say it is cancelled.",
        ]
        if late:
            says.insert(
                0,
                f"It is less than {_late_hours()} hours before: this counts as a "
                "late cancellation under the clinic's policy.",
            )
        question = Question(
            title=f"Cancel your {appointment.service.name} on "
            f"{moment_words(appointment.start, zone)}?",
            says=says,
            yes="Yes, cancel my appointment",
            no="No, keep my appointment",
            back=reverse("booking:manage", args=[token]),
        )
        with timezone.override(zone):
            if (asked := ask_once(request, question)) is not None:
                return asked
    try:
        services.manage_cancel(token=token, reason=request.POST.get("reason", "")[:500])
    except NotFound:
        return render(request, "link_invalid.html", status=404)
    except Conflict as exc:
        return _render_manage(request, _manage_context(token, notice=exc.message), 409)
    return redirect("booking:manage", token=token)


@require_POST
def manage_reschedule(request: HttpRequest, token: str) -> HttpResponse:
    raw = request.POST.get("start", "")[:40]
    try:
        start = datetime.fromisoformat(raw)
        if start_problem(start):
            raise ValueError
    except ValueError:
        try:
            context = _manage_context(token, notice="Choose a new time.")
        except NotFound:
            return render(request, "link_invalid.html", status=404)
        return _render_manage(request, context, 422)
    try:
        services.manage_reschedule(token=token, start=start)
    except NotFound:
        return render(request, "link_invalid.html", status=404)
    except (Conflict, InvalidInput) as exc:
        status = 409 if isinstance(exc, Conflict) else 422
        return _render_manage(request, _manage_context(token, notice=exc.message), status)
    return redirect("booking:manage", token=token)


@require_POST
def manage_waitlist(request: HttpRequest, token: str) -> HttpResponse:
    try:
        appointment = selectors.appointment_for_token(token, audit=False)
    except NotFound:
        raise Http404("No such booking.") from None
    if selectors.is_manageable(appointment):
        waitlist_join(
            actor=None,
            patient=appointment.patient,
            service=appointment.service,
            location=appointment.location,
            appointment=appointment,
        )
    notice = "You are on the waitlist: if an earlier time frees up, we will email you."
    return _render_manage(request, _manage_context(token, notice=notice))
