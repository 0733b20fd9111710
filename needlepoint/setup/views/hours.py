"""Working hours as a week grid, closures and time off."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from needlepoint.clinic import services as clinic
from needlepoint.clinic.clock import clinic_today
from needlepoint.clinic.services import WEEKDAYS, WeekBlock
from needlepoint.core.confirm import Question, ask_once

from .. import selectors as sel
from ..forms import ClosureForm, ExceptionForm, WeekGridForm
from .common import REFUSALS, actor, admin_only, page, refuse, within_reach_of


@admin_only
def hours(request: HttpRequest) -> HttpResponse:
    return page(request, "hours.html", {"staff": sel.staff_with_hours(), "weekdays": WEEKDAYS})


@admin_only
@require_http_methods(["GET", "POST"])
def hours_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    person = sel.staff_member(public_id)
    if person is None:
        raise Http404("no such staff member")
    locations = sel.locations_by_name(actor(request))
    initial: dict[str, object] = {}
    split: list[str] = []
    for block in sel.week_of(person):
        name = f"{WEEKDAYS[block.weekday]}-{block.location.slug}"
        # One block per day and location on the grid (decision 0412): a split shift on
        # record is shown as its first block, and the page says so before it is saved.
        if f"{name}-start" in initial:
            split.append(f"{block.get_weekday_display()} at {block.location.name}")
        initial.setdefault(f"{name}-start", block.start_time)
        initial.setdefault(f"{name}-end", block.end_time)
    form = WeekGridForm(request.POST or None, initial=initial, locations=locations)
    if request.method == "POST" and form.is_valid():
        blocks = [
            WeekBlock(
                weekday,
                location,
                form.cleaned_data[f"{day}-{location.slug}-start"],
                form.cleaned_data[f"{day}-{location.slug}-end"],
            )
            for weekday, day in enumerate(WEEKDAYS)
            for location in locations
        ]
        try:
            clinic.working_week_set(
                actor=actor(request), staff=person, blocks=blocks, only_at=locations
            )
        except REFUSALS as exc:
            refuse(form, exc)
        else:
            messages.success(request, f"{person.display_name}'s working hours saved.")
            return redirect("setup:hours")
    rows = [
        (
            day.title(),
            [
                (loc, form[f"{day}-{loc.slug}-start"], form[f"{day}-{loc.slug}-end"])
                for loc in locations
            ],
        )
        for day in WEEKDAYS
    ]
    context = {
        "person": person,
        "form": form,
        "rows": rows,
        "locations": locations,
        "split": split,
    }
    return page(request, "hours_edit.html", context, refused=bool(form.errors))


@admin_only
@require_http_methods(["GET", "POST"])
def closures(request: HttpRequest) -> HttpResponse:
    today = clinic_today()
    which = request.POST.get("form") if request.method == "POST" else None
    closure_form = ClosureForm(request.POST if which == "closure" else None, prefix="closure")
    within_reach_of(request, closure_form)
    exception_form = ExceptionForm(
        request.POST if which == "exception" else None, prefix="exception"
    )
    within_reach_of(request, exception_form)
    refused = False
    if which == "closure" and closure_form.is_valid():
        data = closure_form.cleaned_data
        try:
            clinic.closure_add(
                actor=actor(request),
                location=data["location"],
                on=data["date"],
                reason=data["reason"],
                today=clinic_today(data["location"]),
            )
        except REFUSALS as exc:
            refuse(closure_form, exc)
        else:
            messages.success(
                request, f"{data['location'].name} closed on {data['date']:%A %-d %B %Y}."
            )
            booked = sel.booked_on(data["location"], data["date"])
            if booked:
                # The closure stops new bookings; the ones already made need a person.
                messages.warning(
                    request,
                    f"{booked} appointment{'s are' if booked != 1 else ' is'} still booked "
                    "that day: move or cancel them on the calendar, and tell the patients.",
                )
            return redirect("setup:closures")
    elif which == "exception" and exception_form.is_valid():
        data = exception_form.cleaned_data
        try:
            clinic.schedule_exception_add(
                actor=actor(request),
                staff=data["staff"],
                location=data["location"],
                on=data["date"],
                kind=data["kind"],
                start=data["start"],
                end=data["end"],
                note=data["note"],
                today=clinic_today(data["location"]),
            )
        except REFUSALS as exc:
            refuse(exception_form, exc)
        else:
            messages.success(
                request, f"{data['staff'].display_name}: saved for {data['date']:%A %-d %B %Y}."
            )
            return redirect("setup:closures")
    refused = bool(closure_form.errors or exception_form.errors)
    context = {
        "closures": sel.closures_from(today, actor(request)),
        "exceptions": sel.exceptions_from(today, actor(request)),
        "closure_form": closure_form,
        "exception_form": exception_form,
    }
    return page(request, "closures.html", context, refused=refused)


@admin_only
@require_http_methods(["GET", "POST"])
def closure_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks once (core/confirm.py), then removes the closure."""
    closure = sel.closure_at(pk, actor(request))
    day = f"{closure.date:%A %-d %B %Y}"
    question = Question(
        title=f"Open {closure.location.name} again on {day}?",
        says=(
            "The closure is removed: free times on that day can be booked again.",
            "You can add the closure again later.",
        ),
        yes="Yes, open again",
        no="No, keep it closed",
        back=reverse("setup:closures"),
    )
    if (asked := ask_once(request, question)) is not None:
        return asked
    clinic.closure_remove(actor=actor(request), closure=closure)
    messages.success(
        request, f"{closure.location.name} is open on {closure.date:%A %-d %B %Y} again."
    )
    return redirect("setup:closures")


@admin_only
@require_http_methods(["GET", "POST"])
def exception_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks once (core/confirm.py), then removes the time off or extra hours."""
    exception = sel.exception_at(pk, actor(request))
    what = exception.get_kind_display().lower()
    question = Question(
        title=f"Remove the {what} of {exception.staff.display_name} on "
        f"{exception.date:%A %-d %B %Y}?",
        says=("Their usual working hours apply on that day again.",),
        yes=f"Yes, remove the {what}",
        no="No, keep it",
        back=reverse("setup:closures"),
    )
    if (asked := ask_once(request, question)) is not None:
        return asked
    clinic.schedule_exception_remove(actor=actor(request), exception=exception)
    messages.success(request, "Removed.")
    return redirect("setup:closures")
