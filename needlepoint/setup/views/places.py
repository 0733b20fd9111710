"""Setup home, locations, rooms, pens and cartridge products."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from needlepoint.charting.selectors import stock_report
from needlepoint.clinic import services as clinic
from needlepoint.clinic.clock import clinic_today
from needlepoint.clinic.models import Device
from needlepoint.core.confirm import Question, ask_once

from .. import selectors as sel
from ..forms import LocationForm, PenForm, PenStatusForm, RoomForm
from .common import (
    REFUSALS,
    actor,
    admin_only,
    group_admin_only,
    page,
    refuse,
    within_reach_of,
)


@admin_only
def home(request: HttpRequest) -> HttpResponse:
    return page(request, "home.html", {"areas": sel.areas(clinic_today())})


@admin_only
@require_http_methods(["GET", "POST"])
def locations(request: HttpRequest) -> HttpResponse:
    form = LocationForm(request.POST or None, initial={"time_zone": "America/New_York"})
    if request.method == "POST":
        group_admin_only(request)  # a new location is the group's
    if request.method == "POST" and form.is_valid():
        try:
            added = clinic.location_save(actor=actor(request), **form.cleaned_data)
        except REFUSALS as exc:
            refuse(form, exc)
        else:
            messages.success(request, f"{added.name} added.")
            return redirect("setup:locations")
    return page(
        request,
        "locations.html",
        {"locations": sel.locations(actor(request)), "form": form},
        refused=bool(form.errors),
    )


@admin_only
@require_http_methods(["GET", "POST"])
def location_edit(request: HttpRequest, slug: str) -> HttpResponse:
    location = sel.location_named(slug, actor(request))
    initial = {
        "name": location.name,
        "address": location.address,
        "phone": location.phone,
        "opening_hours": location.opening_hours,
        "time_zone": location.time_zone,
    }
    form = LocationForm(request.POST or None, initial=initial, current_zone=location.time_zone)
    if request.method == "POST" and form.is_valid():
        zone_before = location.time_zone
        try:
            clinic.location_save(actor=actor(request), location=location, **form.cleaned_data)
        except REFUSALS as exc:
            refuse(form, exc)
        else:
            messages.success(request, f"{location.name} saved.")
            booked = sel.booked_from(location, clinic_today(location))
            if location.time_zone != zone_before and booked:
                # Appointments are instants: in the new zone their clock times change.
                messages.warning(
                    request,
                    f"{booked} appointment{'s' if booked != 1 else ''} booked ahead now "
                    f"{'show' if booked != 1 else 'shows'} at different clock times: "
                    "check them on the calendar.",
                )
            return redirect("setup:locations")
    return page(
        request,
        "location_edit.html",
        {"location": location, "form": form},
        refused=bool(form.errors),
    )


@admin_only
@require_http_methods(["GET", "POST"])
def rooms(request: HttpRequest) -> HttpResponse:
    form = RoomForm(request.POST or None)
    within_reach_of(request, form)
    if request.method == "POST" and form.is_valid():
        try:
            added = clinic.room_save(actor=actor(request), **form.cleaned_data)
        except REFUSALS as exc:
            refuse(form, exc)
        else:
            messages.success(request, f"{added.name} added at {added.location.name}.")
            return redirect("setup:rooms")
    return page(
        request,
        "rooms.html",
        {"rooms": sel.rooms(actor(request)), "form": form},
        refused=bool(form.errors),
    )


@admin_only
@require_http_methods(["GET", "POST"])
def room_edit(request: HttpRequest, pk: int) -> HttpResponse:
    room = sel.room_at(pk, actor(request))
    initial = {"location": room.location, "name": room.name, "kind": room.kind}
    form = RoomForm(request.POST or None, initial=initial)
    within_reach_of(request, form)
    if request.method == "POST" and form.is_valid():
        try:
            clinic.room_save(actor=actor(request), room=room, **form.cleaned_data)
        except REFUSALS as exc:
            refuse(form, exc)
        else:
            messages.success(request, f"{room.name} saved.")
            return redirect("setup:rooms")
    return page(request, "room_edit.html", {"room": room, "form": form}, refused=bool(form.errors))


@admin_only
@require_http_methods(["GET", "POST"])
def room_active(request: HttpRequest, pk: int) -> HttpResponse:
    """Back into use at once; out of use asks first (core/confirm.py)."""
    room = sel.room_at(pk, actor(request))
    active = request.method == "POST" and request.POST.get("active") == "yes"
    question = Question(
        title=f"Take {room.name} out of use?",
        says=(
            f"No new appointment can be booked in {room.name}.",
            "Appointments already booked there stay as they are: move them if needed.",
            "You can bring the room back into use at any time.",
        ),
        yes=f"Yes, take {room.name} out of use",
        no="No, keep it in use",
        back=reverse("setup:rooms"),
        keep={"active": "no"},
    )
    if not active and (asked := ask_once(request, question)) is not None:
        return asked
    clinic.room_set_active(actor=actor(request), room=room, active=active)
    messages.success(request, f"{room.name} is {'in use again' if active else 'out of use'}.")
    return redirect("setup:rooms")


@admin_only
@require_http_methods(["GET", "POST"])
def pens(request: HttpRequest) -> HttpResponse:
    form = PenForm(request.POST or None)
    within_reach_of(request, form)
    if request.method == "POST" and form.is_valid():
        try:
            added = clinic.device_create(actor=actor(request), **form.cleaned_data)
        except REFUSALS as exc:
            refuse(form, exc)
        else:
            messages.success(request, f"Pen {added.slug} added, in service.")
            return redirect("setup:pens")
    context = {"pens": sel.pens(actor(request)), "form": form, "statuses": Device.Status.choices}
    return page(request, "pens.html", context, refused=bool(form.errors))


@admin_only
@require_POST
def pen_status(request: HttpRequest, pk: int) -> HttpResponse:
    pen = sel.pen_at(pk, actor(request))
    form = PenStatusForm(request.POST)
    if not form.is_valid():
        raise Http404("no such status")
    clinic.device_set_status(actor=actor(request), device=pen, status=form.cleaned_data["status"])
    messages.success(request, f"Pen {pen.slug}: {pen.get_status_display().lower()}.")
    return redirect("setup:pens")


@admin_only
def cartridges(request: HttpRequest) -> HttpResponse:
    rows, warnings = stock_report(clinic_today(), actor=request.user)
    context = {
        "products": sel.lots_by_product(rows),
        "warnings": sel.warnings_in_words(rows, warnings),
    }
    return page(request, "cartridges.html", context)
