"""Booking a whole course from the plan, and cancelling with a confirmation (staff pages).

A course is proposed before it is booked: the page shows every session's date and the
spacing between them, then books all of them or none (docs/decisions/0421). Cancelling asks
once, saying what happens to the messages the patient already has (docs/decisions/0423).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from needlepoint.accounts.permissions import role_required
from needlepoint.clinic.access import visible_locations
from needlepoint.core.errors import Conflict, InvalidInput, NotFound
from needlepoint.core.form_errors import add_to_form
from needlepoint.treatments.selectors import plan_for_staff

from . import caller_selectors, selectors, services
from .forms import CancelForm, CourseForm
from .free_times import booking_location
from .rules import late_cancel_window
from .views import staff_appointment
from .wording import day_words, gap_words, pen_name, place_words, when_words


@dataclass(frozen=True)
class ProposedSession:
    index: int
    start: datetime
    when: str
    place: str
    spacing: str


def _describe(appointments: list[Any], plan: Any) -> list[ProposedSession]:
    """Each session in words with its distance from the one before (or from the last
    session already held, for the first one proposed)."""
    if not appointments:
        return []
    zone = appointments[0].location.zone
    held = [
        (s.index, s.booked_for or s.done_on)
        for s in plan.plan_sessions.all()
        if (s.booked_for or s.done_on) and s.index < appointments[0].plan_session
    ]
    previous = max(held, key=lambda pair: pair[0]) if held else None
    shown: list[ProposedSession] = []
    for appointment in appointments:
        day = appointment.start.astimezone(zone).date()
        if previous is None:
            spacing = "The first session"
        else:
            gap = gap_words((day - previous[1]).days)
            spacing = (
                f"{gap} after the previous session"
                if shown
                else f"{gap} after session {previous[0]} on {day_words(previous[1])}"
            )
        shown.append(
            ProposedSession(
                index=appointment.plan_session,
                start=appointment.start,
                when=when_words(appointment.start, zone),
                place=place_words(
                    staff=appointment.staff.display_name,
                    room=appointment.room.name,
                    pen=pen_name(appointment.device) if appointment.device else "",
                ),
                spacing=spacing[0].upper() + spacing[1:],
            )
        )
        previous = (appointment.plan_session, day)
    return shown


def _course(
    *, actor: Any, plan: Any, values: dict[str, Any], shown: list[str] | None
) -> tuple[list[ProposedSession], bool]:
    """The course as ``course_book`` places it. Without ``shown`` (the dates the page showed)
    it is a proposal: booked and rolled back, so the dates are exactly the ones booking would
    take. With them it is booked only if they are still the same; otherwise rolled back and
    proposed again. Returns the sessions and whether they are booked."""
    location = values["location"]
    earliest = values.get("earliest")
    with transaction.atomic():
        booking = services.course_book(
            actor=actor,
            plan=plan,
            service=values["service"],
            location=location,
            staff_username=values.get("staff") or None,
            weekdays=values.get("weekdays") or None,
            earliest=(
                datetime.combine(earliest, datetime.min.time(), tzinfo=location.zone)
                if earliest
                else None
            ),
        )
        proposed = _describe(booking.appointments, plan)
        booked = shown is not None and shown == [s.start.isoformat() for s in proposed]
        if not booked:
            transaction.set_rollback(True)
    return proposed, booked


@role_required("appointment.book_course", audit_action="appointment.book")
def course_view(request: HttpRequest, plan_id: int) -> HttpResponse:
    user: Any = request.user
    try:
        plan = plan_for_staff(actor=user, plan_id=plan_id)
    except NotFound:
        raise Http404("No such plan.") from None
    data = request.POST if request.method == "POST" else request.GET
    location = booking_location(request, data)
    form = CourseForm(
        data if "service" in data else None,
        initial={"location": location, "staff": data.get("staff", "")[:150]},
        resources=caller_selectors.booking_resources(location=location),
        locations=visible_locations(request.user),
    )
    proposed: list[ProposedSession] = []
    refused = False
    if form.is_bound and form.is_valid():
        confirming = request.method == "POST"
        try:
            proposed, booked = _course(
                actor=user,
                plan=plan,
                values=form.cleaned_data,
                shown=data.getlist("proposed") if confirming else None,
            )
        except (InvalidInput, Conflict) as exc:
            add_to_form(form, exc)
            refused = True
        else:
            if booked:
                messages.success(
                    request,
                    f"Booked all {len(proposed)} sessions of {plan.patient.full_name}'s course, "
                    f"from {proposed[0].when} to {proposed[-1].when}.",
                )
                return redirect(reverse("scheduling:course", args=[plan.pk]))
            if confirming:
                form.add_error(
                    None,
                    "The free times changed while you were looking, so nothing was booked. "
                    "These are the dates now: check them and book again.",
                )
    sessions = list(plan.plan_sessions.all())
    context = {
        "plan": plan,
        "form": form,
        "proposed": proposed,
        "refused": refused,
        "to_book": sum(1 for s in sessions if s.status == "planned"),
        "interval": gap_words(7 * plan.interval_weeks),
        "booked": [
            {"appointment": a, "when": when_words(a.start, a.location.zone)}
            for a in caller_selectors.course_appointments(plan=plan)
        ],
    }
    status = 409 if refused else (422 if form.errors else 200)
    return render(request, "scheduling/course.html", context, status=status)


SHORT_KINDS = {
    "confirmation": "booking confirmation",
    "reminder_48h": "reminder two days before",
    "reminder_2h": "reminder two hours before",
}


def _kind_words(row: Any) -> str:
    return SHORT_KINDS.get(row.kind) or row.get_kind_display().lower()


def _message_words(row: Any, zone: Any) -> str:
    """ "The reminder two days before, e-mailed on Tuesday 1 December 2026, stays in the
    patient's inbox" (a message sent can't be taken back)."""
    sent_on = day_words(row.sent_at.astimezone(zone).date())
    if row.channel == "sms":
        return f"The {_kind_words(row)} texted on {sent_on} stays on the patient's phone."
    return f"The {_kind_words(row)} e-mailed on {sent_on} stays in the patient's inbox."


@role_required("appointment.change", audit_action="appointment.read")
def cancel_view(request: HttpRequest, appointment_id: int) -> HttpResponse:
    """Asks once before cancelling, and says what the patient has been and will be sent."""
    _user, appointment = staff_appointment(request, appointment_id)
    zone = appointment.location.zone
    outbox = caller_selectors.appointment_messages(appointment=appointment)
    window = late_cancel_window()
    context = {
        "appointment": appointment,
        "when": when_words(appointment.start, zone),
        "form": CancelForm(),
        "sent": [_message_words(m, zone) for m in outbox if m.status == "sent" and m.sent_at],
        "waiting": sorted({_kind_words(m) for m in outbox if m.status == "pending"}),
        "notice_to": [
            ("a text message" if channel == "sms" else "an e-mail", to)
            for channel, to in caller_selectors.cancellation_channels(patient=appointment.patient)
        ],
        "every_minutes": max(1, settings.NEEDLEPOINT_REMINDERS_EVERY_SECONDS // 60),
        "late": appointment.start - timezone.now() < window,
        "late_hours": int(window.total_seconds() // 3600),
        "charted": selectors.appointment_is_charted(appointment),
    }
    return render(request, "scheduling/cancel.html", context)
