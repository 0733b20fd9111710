"""The staff calendar's time grid: the day and week pages, their JSON feed, moving an
appointment by drag, the appointment's card (check in, no-show, complete) and the header's
location switcher.

Pages under /staff/ (TOTP enforced). Without JavaScript the day and week pages are lists and
the card's buttons are plain forms that come back to the page; with it, the grid
(@event-calendar, vendored under static/) reads the feed and posts moves and actions as JSON.
The server decides every change; a refusal comes back in words (docs/decisions/0401 to 0405).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any, TypeAlias

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from needlepoint.accounts.permissions import role_required
from needlepoint.clinic.clock import clinic_today, local_date
from needlepoint.clinic.current import (
    choose_location,
    current_location,
    refresh_location_choices,
)
from needlepoint.clinic.models import Location
from needlepoint.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from needlepoint.core.inputs import parse_optional_date
from needlepoint.core.labels import clock_words

from . import calendar_selectors, selectors, services
from .calendar_lists import day_lists, week_bounds, week_lists
from .models import Appointment

MAX_FEED_DAYS = 42
ACTIONS = {
    "check-in": (services.appointment_check_in, "Checked in."),
    "no-show": (services.appointment_mark_no_show, "Marked as a no-show."),
    "complete": (services.appointment_complete, "Marked as done."),
}
FIELD_WORDS = {"start": "The new time", "staff": "The staff member", "resource": "The column"}


View: TypeAlias = Callable[..., HttpResponse]


def _only(method: str) -> Callable[[View], View]:
    """Django's require_GET/require_POST, after the staff check: a patient who may read or
    change their own appointments learns nothing about these staff pages from a 405."""

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            _staff_only(request)
            if request.method != method:
                return HttpResponseNotAllowed([method])
            return view(request, *args, **kwargs)

        return guarded

    return decorate


staff_get = _only("GET")
staff_post = _only("POST")


def _staff_only(request: HttpRequest) -> Any:
    user: Any = request.user
    if not user.is_clinic_staff:
        raise PermissionDenied("The calendar is for staff.")
    return user


def _location(request: HttpRequest) -> Location:
    """The location named in the address (a link from elsewhere; it becomes the choice),
    else the session's choice, else the default one."""
    slug = request.GET.get("location", "")[:100]
    location = choose_location(request, slug) if slug else current_location(request)
    if location is None:
        raise Http404("No such location.")
    return location


def _columns(request: HttpRequest) -> str:
    columns = request.GET.get("columns", "staff")
    return columns if columns in calendar_selectors.COLUMNS else "staff"


def _words(exc: InvalidInput) -> str:
    return " ".join(
        f"{FIELD_WORDS.get(p.field, 'The value')} {p.message.rstrip('.')}." for p in exc.problems
    )


def _page(request: HttpRequest, *, week: bool) -> HttpResponse:
    user = _staff_only(request)
    location = _location(request)
    # The header's switcher lists the locations from the session: read them afresh here.
    refresh_location_choices(request)
    day = parse_optional_date(request.GET.get("date"), "date", default=clinic_today(location))
    as_list = request.GET.get("layout") == "list"
    columns = _columns(request)
    if week and not as_list:
        # The week's grid is drawn from the feed (one audited read there): the page itself
        # reads no appointment. Without JavaScript it sends the browser to the list.
        context = week_bounds(day)
        context["list_url"] = f"?location={location.slug}&date={day.isoformat()}&layout=list"
    else:
        lists = week_lists if week else day_lists
        context = lists(actor=user, location=location, day=day)
    context.update(
        {
            "location": location,
            "shown_date": day,
            "zone": location.time_zone,
            "as_list": as_list,
            "columns": columns,
            "column_choices": [("staff", "Staff"), ("room", "Rooms"), ("pen", "Pens")],
            "state_labels": calendar_selectors.STATE_LABELS,
            "grid": {
                "view": "week" if week else "day",
                "date": day.isoformat(),
                "location": location.slug,
                "columns": columns,
                "feed": reverse("scheduling:calendar_feed"),
                "move": reverse("scheduling:calendar_move", args=[0]),
                "book": reverse("scheduling:book"),
                "day": reverse("scheduling:day"),
                "week": reverse("scheduling:week"),
            },
        }
    )
    context["grid_json"] = json.dumps(context["grid"])
    return render(request, "scheduling/week.html" if week else "scheduling/day.html", context)


@role_required("calendar.read")
def day_view(request: HttpRequest) -> HttpResponse:
    return _page(request, week=False)


@role_required("calendar.read")
def week_view(request: HttpRequest) -> HttpResponse:
    return _page(request, week=True)


def _problem(message: str, status: int) -> JsonResponse:
    return JsonResponse({"ok": False, "message": message}, status=status)


@role_required("calendar.read")
@staff_get
def feed_view(request: HttpRequest) -> HttpResponse:
    """Columns, appointments and shaded time for ``start``..``end`` (local dates)."""
    user = _staff_only(request)
    location = _location(request)
    today = clinic_today(location)
    try:
        start = parse_optional_date(request.GET.get("start"), "start", default=today)
        end = parse_optional_date(request.GET.get("end"), "end", default=start)
    except InvalidInput:
        return _problem("The dates must be calendar dates, like 2026-12-03.", 400)
    if end < start or (end - start).days >= MAX_FEED_DAYS:
        return _problem(f"Show between one and {MAX_FEED_DAYS} days at a time.", 400)
    feed = calendar_selectors.calendar_feed(
        actor=user, location=location, start_date=start, end_date=end, columns=_columns(request)
    )
    return JsonResponse(feed.as_json())


def _appointment(user: Any, appointment_id: int, action: str = "appointment.read") -> Any:
    try:
        return selectors.appointment_for(
            actor=user, appointment_id=appointment_id, audit_action=action
        )
    except NotFound:
        raise Http404("No such appointment.") from None


def _wall_clock(raw: object, location: Location) -> datetime:
    """A local wall-clock time at the location (what the grid shows) as an aware instant."""
    text = str(raw or "")[:40]
    try:
        naive = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput.one("start", "must be a time on the calendar") from None
    if naive.tzinfo is not None:
        return naive
    return naive.replace(tzinfo=location.zone)


@role_required("appointment.change", audit_action="appointment.reschedule")
@staff_post
def move_view(request: HttpRequest, appointment_id: int) -> HttpResponse:
    """Drag and drop: ``start`` (the location's wall-clock time) and the column dropped on.
    A staff member's column moves it to them; a room's or pen's must stay the same one."""
    user = _staff_only(request)
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return _problem("The move could not be read; reload the page and try again.", 400)
    if not isinstance(body, dict):
        return _problem("The move could not be read; reload the page and try again.", 400)
    appointment = _appointment(user, appointment_id)
    resource = str(body.get("resource") or "")[:40]
    staff_username = None
    if resource.startswith("staff-"):
        staff = (
            appointment.location.working_hours.filter(staff_id=resource[6:] or 0)
            .select_related("staff")
            .first()
            if resource[6:].isdigit()
            else None
        )
        if staff is None:
            return _problem("That column is not a staff member working here.", 422)
        staff_username = staff.staff.username
    elif resource and resource not in {
        f"room-{appointment.room_id}",
        f"pen-{appointment.device_id}",
    }:
        return _problem(
            "The room and pen follow from the time and the staff member: drag within the "
            "same column to change the time, or show staff columns to change who sees "
            "the patient.",
            409,
        )
    try:
        moved = services.appointment_reschedule(
            actor=user,
            appointment=appointment,
            start=_wall_clock(body.get("start"), appointment.location),
            staff_username=staff_username,
        )
    except InvalidInput as exc:
        return _problem(_words(exc), 422)
    except Forbidden as exc:
        return _problem(exc.message, 403)
    except Conflict as exc:
        return _problem(exc.message, 409)
    when = moved.start.astimezone(moved.location.zone)
    return JsonResponse(
        {
            "ok": True,
            "message": f"Moved to {_spoken(when)} with {moved.staff.display_name}.",
        }
    )


def _clock(when: datetime) -> str:
    """Like "9:30 am"."""
    return clock_words(when)


def _spoken(when: datetime) -> str:
    """Like "Thursday 3 December 2026, 9:30 am"."""
    return f"{when:%A} {when.day} {when:%B %Y}, {_clock(when)}"


def card_context(appointment: Appointment) -> dict[str, Any]:
    started = calendar_selectors.started_treatment_ids([appointment.pk])
    state = calendar_selectors.appointment_state(appointment, started=appointment.pk in started)
    zone = appointment.location.zone
    today = clinic_today(appointment.location)
    on_the_day = local_date(appointment.location, appointment.start) <= today
    booked = appointment.status == "booked"
    return {
        "appointment": appointment,
        "state": state,
        "state_label": calendar_selectors.STATE_LABELS[state],
        "when": _spoken(appointment.start.astimezone(zone)),
        "ends": _clock(appointment.end.astimezone(zone)),
        "pen": calendar_selectors.pen_name(appointment.device) if appointment.device else "",
        "may_check_in": booked and appointment.checked_in_at is None and on_the_day,
        "may_close": booked and on_the_day,
        "checked_in_at": _clock(appointment.checked_in_at.astimezone(zone))
        if appointment.checked_in_at
        else "",
    }


@role_required("appointment.read")
@staff_get
def card_view(request: HttpRequest, appointment_id: int) -> HttpResponse:
    """The appointment's card: the grid's side panel (and a page of its own without it)."""
    user = _staff_only(request)
    appointment = _appointment(user, appointment_id)
    context = card_context(appointment)
    context["back"] = _back(request, appointment)
    template = "scheduling/_card.html" if request.GET.get("part") else "scheduling/card.html"
    return render(request, template, context)


def _back(request: HttpRequest, appointment: Appointment) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    day = local_date(appointment.location, appointment.start)
    return f"{reverse('scheduling:day')}?location={appointment.location.slug}&date={day}"


@role_required("appointment.no_show", audit_action="appointment.status")
@staff_post
def action_view(request: HttpRequest, appointment_id: int, action: str) -> HttpResponse:
    """Check in, no-show or complete: JSON for the grid, else back to where it was pressed."""
    user = _staff_only(request)
    if action not in ACTIONS:
        raise Http404("No such action.")
    service, done = ACTIONS[action]
    appointment = _appointment(user, appointment_id)
    wants_json = "application/json" in request.headers.get("Accept", "")
    try:
        service(actor=user, appointment=appointment)
    except (Conflict, Forbidden) as exc:
        if wants_json:
            return _problem(exc.message, 409 if isinstance(exc, Conflict) else 403)
        messages.error(request, exc.message)
        return redirect(_back(request, appointment))
    if wants_json:
        return JsonResponse({"ok": True, "message": done})
    messages.success(request, done)
    return redirect(_back(request, appointment))


@role_required("calendar.read")
@staff_post
def location_view(request: HttpRequest) -> HttpResponse:
    """The header's switcher: remember the location, then back to the page it was on."""
    _staff_only(request)
    chosen = choose_location(request, request.POST.get("location", ""))
    refresh_location_choices(request)
    if chosen is None:
        messages.error(request, "Choose one of the clinic's locations.")
    else:
        messages.success(request, f"Working at {chosen.name}.")
    wanted = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        wanted = reverse("scheduling:day")
    # A calendar address naming the old location would switch it straight back.
    if "location=" in wanted:
        wanted = wanted.split("?", 1)[0]
    return redirect(wanted)
