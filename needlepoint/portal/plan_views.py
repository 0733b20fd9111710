"""Portal pages for the plan's next session and for leaving the waitlist.

The plan and the waitlist request are looked up within the signed-in patient's records (a
404 for anyone else's); the rules are the scheduling and waitlist services' own."""

from __future__ import annotations

from datetime import date, datetime

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from needlepoint.accounts.public_ids import staff_by_public_id
from needlepoint.core.confirm import is_confirmed
from needlepoint.core.errors import Conflict, NotFound
from needlepoint.core.form_errors import FormErrors, form_errors
from needlepoint.domain.errors import DomainError
from needlepoint.patients.models import Patient
from needlepoint.scheduling.services.next_session import next_session_book, next_session_window
from needlepoint.waitlist.models import WaitlistEntry
from needlepoint.waitlist.services import waitlist_withdraw

from . import plan_selectors as plans
from .selectors import portal_read
from .views import _user, patient_page


def _day(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw.strip()[:10])
    except ValueError:
        return None


def _chosen(raw: str) -> tuple[datetime | None, str | None]:
    """The posted free time: its start and the aesthetician's username."""
    when, _, public_id = raw.partition("|")
    try:
        start = datetime.fromisoformat(when.strip())
    except ValueError:
        return None, None
    if not timezone.is_aware(start):
        return None, None
    member = staff_by_public_id(public_id.strip()) if public_id.strip() else None
    return start, member.username if member else None


@patient_page("appointment.book")
def next_session(request: HttpRequest, patient: Patient, plan_id: int) -> HttpResponse:
    actor = _user(request)
    try:
        plan = plans.own_plan(actor=actor, patient=patient, plan_id=plan_id)
    except NotFound:
        raise Http404("No such plan.") from None
    now = timezone.now()
    asked = (request.POST.get("location", "") or request.GET.get("location", ""))[:100]
    location, choices = plans.session_location(plan, asked)
    window = (
        next_session_window(actor=actor, plan=plan, location=location, now=now)
        if location
        else None
    )
    errors = FormErrors()
    status = 200
    raw_day = request.GET.get("day", "") or request.POST.get("day", "")
    chosen = request.POST.get("start", "")
    first_day = window.earliest if window else None
    if window and raw_day:
        day = _day(raw_day)
        refusal = "Enter a date, for example 14 March 2027." if day is None else window.refusal(day)
        if refusal:
            errors.fields["day"], status = refusal, 422
        elif day is not None:
            first_day = day
    if window and location and request.method == "POST" and not errors:
        start, staff_username = _chosen(chosen)
        if start is None:
            errors.fields["start"], status = "Choose one of the free times.", 422
        else:
            try:
                next_session_book(
                    actor=actor,
                    patient=patient,
                    window=window,
                    start=start,
                    location=location,
                    staff_username=staff_username,
                    now=now,
                )
            except DomainError as exc:
                errors = form_errors(exc, fields=["start"])
                if errors.summary and not errors.fields:
                    errors.fields["start"], errors.summary = errors.summary, ""
                status = 409 if isinstance(exc, Conflict) else 422
            else:
                messages.success(request, f"Session {window.index} of your plan is booked.")
                return redirect("portal:appointments")
    times = (
        plans.free_times(
            actor=actor, window=window, location=location, first_day=first_day, now=now
        )
        if window and location and first_day
        else []
    )
    portal_read(actor=actor, patient=patient, section="next_session")
    # The times are the chosen location's wall clock, whatever the default location's zone.
    context = {
        "plan": plan,
        "window": window,
        "times": times,
        "chosen": chosen,
        "day": raw_day,
        "first_day": first_day,
        "errors": errors,
        "location": location,
        "choices": choices,
        "face": next((c for c in choices if location and c.slug == location.slug), None),
    }
    with timezone.override(location.zone if location else timezone.get_current_timezone()):
        return render(request, "portal/next_session.html", context, status=status)


@patient_page("waitlist.join")
def withdraw_waitlist(request: HttpRequest, patient: Patient, entry_id: int) -> HttpResponse:
    actor = _user(request)
    try:
        entry = plans.own_waitlist_entry(actor=actor, patient=patient, entry_id=entry_id)
    except NotFound:
        raise Http404("No such waitlist request.") from None
    waiting = entry.status == WaitlistEntry.Status.WAITING
    if is_confirmed(request) and waiting:  # this page is the confirm step (decision 0504)
        waitlist_withdraw(actor=actor, entry=entry)
        messages.success(request, f"You have left the waiting list for {entry.service.name}.")
        return redirect("portal:appointments")
    portal_read(actor=actor, patient=patient, section="waitlist_withdraw")
    return render(
        request,
        "portal/withdraw_waitlist.html",
        {"entry": entry, "waiting": waiting},
        status=200 if waiting or request.method == "GET" else 409,
    )
