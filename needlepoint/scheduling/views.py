"""The staff calendar: day and week per location, booking for a caller, rescheduling.

Pages under /staff/ (TOTP enforced). Forms work without JavaScript; with htmx the free times
load in place (the same view answers with just the slots partial).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from needlepoint.accounts.models import User
from needlepoint.accounts.permissions import role_required
from needlepoint.clinic.clock import clinic_today, local_date, local_day_bounds
from needlepoint.clinic.models import Location, Room, Service
from needlepoint.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from needlepoint.core.form_errors import add_to_form
from needlepoint.core.inputs import parse_optional_date
from needlepoint.patients import selectors as patient_selectors
from needlepoint.patients.models import Patient
from needlepoint.screening.page_copy import load_treatment_page

from . import selectors, services
from .forms import BookingForm, CancelForm, RescheduleForm
from .models import AppointmentStatus, BookedVia

SHOWN = [AppointmentStatus.BOOKED, AppointmentStatus.COMPLETED, AppointmentStatus.NO_SHOW]


def _location(request: HttpRequest) -> Location:
    slug = request.GET.get("location", "")[:100]
    location = (
        Location.objects.filter(slug=slug).first()
        if slug
        else Location.objects.order_by("slug").first()
    )
    if location is None:
        raise Http404("No such location.")
    return location


def _day(request: HttpRequest, location: Location) -> date:
    today = clinic_today(location)
    return parse_optional_date(request.GET.get("date"), "date", default=today)


def _columns(location: Location, appointments: list[Any]) -> dict[str, Any]:
    staff = list(
        User.objects.filter(working_hours__location=location, is_active=True)
        .distinct()
        .order_by("username")
    )
    rooms = list(location.rooms.filter(active=True).order_by("slug"))
    return {
        "staff_columns": [
            {"title": u.display_name, "items": [a for a in appointments if a.staff_id == u.pk]}
            for u in staff
        ],
        "room_columns": [
            {"title": r.name, "items": [a for a in appointments if a.room_id == r.pk]}
            for r in rooms
        ],
    }


@role_required("calendar.read")
def day_view(request: HttpRequest) -> HttpResponse:
    location = _location(request)
    day = _day(request, location)
    bounds = local_day_bounds(location, day)
    appointments = selectors.appointments_between(
        actor=request.user,  # type: ignore[arg-type]
        location=location,
        start=bounds.start,
        end=bounds.end,
        statuses=SHOWN,
    )
    context = {
        "location": location,
        "locations": Location.objects.order_by("name"),
        "day": day,
        "shown_date": day,
        "previous": day - timedelta(days=1),
        "next": day + timedelta(days=1),
        "zone": location.time_zone,
        **_columns(location, appointments),
    }
    return render(request, "scheduling/day.html", context)


@role_required("calendar.read")
def week_view(request: HttpRequest) -> HttpResponse:
    location = _location(request)
    day = _day(request, location)
    monday = day - timedelta(days=day.weekday())
    days = [monday + timedelta(days=n) for n in range(7)]
    appointments = selectors.appointments_between(
        actor=request.user,  # type: ignore[arg-type]
        location=location,
        start=local_day_bounds(location, days[0]).start,
        end=local_day_bounds(location, days[-1]).end,
        statuses=SHOWN,
    )
    staff = list(
        User.objects.filter(working_hours__location=location, is_active=True)
        .distinct()
        .order_by("username")
    )
    rooms = list(Room.objects.filter(location=location, active=True).order_by("slug"))
    by_day: dict[date, list[Any]] = {d: [] for d in days}
    for appointment in appointments:
        by_day.setdefault(local_date(location, appointment.start), []).append(appointment)
    rows = [
        {
            "day": d,
            "cells": [[a for a in by_day[d] if a.staff_id == m.pk] for m in staff],
            "room_cells": [[a for a in by_day[d] if a.room_id == r.pk] for r in rooms],
        }
        for d in days
    ]
    context = {
        "location": location,
        "locations": Location.objects.order_by("name"),
        "monday": monday,
        "shown_date": day,
        "previous": monday - timedelta(days=7),
        "next": monday + timedelta(days=7),
        "staff": staff,
        "rooms": rooms,
        "rows": rows,
        "zone": location.time_zone,
    }
    return render(request, "scheduling/week.html", context)


def _slots_for(
    *,
    actor: Any,
    service: Service,
    location: Location,
    day: date,
    staff: str,
    exclude: int | None = None,
) -> list[dict[str, Any]]:
    spec = selectors.service_spec(service)
    calendars = selectors.booking_calendars(
        location=location,
        start_date=day,
        end_date=day,
        reach=spec.occupied,
        exclude_appointment_ids=[exclude] if exclude else (),
    )
    slots = calendars.slots(
        spec,
        now=timezone.now(),
        rules=services.rules_for(actor),
        staff_filter=[staff] if staff else None,
    )
    return [
        {
            "value": s.start.isoformat(),
            "label": s.start.astimezone(location.zone).strftime("%H:%M"),
            "staff": s.staff,
            "room": s.room,
            "device": s.device,
        }
        for s in slots
    ]


@role_required("appointment.book", audit_action="appointment.book")
def book_view(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.is_clinic_staff:
        raise PermissionDenied("The calendar is for staff.")
    data = request.POST if request.method == "POST" else request.GET
    initial = {
        "location": Location.objects.filter(slug=data.get("location", "")[:100]).first()
        or Location.objects.order_by("slug").first(),
        "date": data.get("date", "")[:10],
    }
    form = BookingForm(
        data if "service" in data else None,
        initial=initial,
        may_override_spacing=user.may("appointment.spacing_override"),
    )
    matches: list[Patient] = []
    slots: list[dict[str, Any]] = []
    conflict: dict[str, Any] | None = None
    q = (data.get("q") or "")[:200].strip()
    if q:
        matches = patient_selectors.patient_search(actor=user, q=q, limit=10).items
    if form.is_bound and form.is_valid():
        values = form.cleaned_data
        service, location = values["service"], values["location"]
        if request.method == "POST" and not values.get("start"):
            # "Book" pressed before choosing a time: say so rather than re-show the form.
            form.add_error("start", "Choose one of the free times.")
        elif request.method == "POST":
            patient = Patient.objects.filter(pk=values.get("patient") or 0).first()
            if patient is None:
                form.add_error("patient", "Choose the patient.")
            else:
                try:
                    appointment = services.appointment_book(
                        actor=user,
                        patient=patient,
                        service=service,
                        start=datetime.fromisoformat(values["start"]),
                        location=location,
                        staff_username=values.get("staff") or None,
                        notes=values.get("notes", ""),
                        booked_via=BookedVia.STAFF,
                        spacing_override_reason=values.get("spacing_override_reason", ""),
                    )
                except InvalidInput as exc:
                    add_to_form(form, exc)
                except Forbidden as exc:
                    form.add_error(None, exc.message)
                except Conflict as exc:
                    conflict = {"message": exc.message, **exc.extra}
                except ValueError:
                    form.add_error("start", "Choose one of the free times.")
                else:
                    messages.success(request, f"Booked {service.name}.")
                    local_day = local_date(location, appointment.start)
                    return redirect(
                        f"{reverse('scheduling:day')}?location={location.slug}&date={local_day}"
                    )
        slots = _slots_for(
            actor=user,
            service=service,
            location=location,
            day=values["date"],
            staff=values.get("staff", ""),
        )
    context = {"form": form, "matches": matches, "slots": slots, "conflict": conflict}
    if getattr(request, "htmx", False):
        return render(request, "scheduling/_slots.html", context)
    return render(request, "scheduling/book.html", context, status=422 if form.errors else 200)


@role_required("appointment.change", audit_action="appointment.read")
def appointment_view(request: HttpRequest, appointment_id: int) -> HttpResponse:
    user: Any = request.user
    if not user.is_clinic_staff:
        raise PermissionDenied("The calendar is for staff.")
    try:
        appointment = selectors.appointment_for(
            actor=user, appointment_id=appointment_id, audit_action="appointment.read"
        )
    except NotFound:
        raise Http404("No such appointment.") from None
    location = appointment.location
    data = request.POST if request.method == "POST" else request.GET
    action = data.get("action", "")
    form = RescheduleForm(
        data if "date" in data else None,
        may_override_spacing=user.may("appointment.spacing_override"),
    )
    cancel_form = CancelForm(data if action == "cancel" else None)
    slots: list[dict[str, Any]] = []
    conflict: dict[str, Any] | None = None
    if request.method == "POST" and action == "cancel" and cancel_form.is_valid():
        try:
            services.appointment_cancel(
                actor=user, appointment=appointment, reason=cancel_form.cleaned_data["reason"]
            )
        except Conflict as exc:
            conflict = {"message": exc.message}
        else:
            messages.success(request, "Appointment cancelled.")
            return _back_to_day(appointment)
    if action != "cancel" and form.is_bound and form.is_valid():
        values = form.cleaned_data
        if request.method == "POST" and not values.get("start"):
            # "Book" pressed before choosing a time: say so rather than re-show the form.
            form.add_error("start", "Choose one of the free times.")
        elif request.method == "POST":
            try:
                moved = services.appointment_reschedule(
                    actor=user,
                    appointment=appointment,
                    start=datetime.fromisoformat(values["start"]),
                    staff_username=values.get("staff") or None,
                    spacing_override_reason=values.get("spacing_override_reason", ""),
                )
            except InvalidInput as exc:
                add_to_form(form, exc)
            except Forbidden as exc:
                form.add_error(None, exc.message)
            except Conflict as exc:
                conflict = {"message": exc.message, **exc.extra}
            except ValueError:
                form.add_error("start", "Choose one of the free times.")
            else:
                messages.success(request, "Appointment moved.")
                return _back_to_day(moved)
        slots = _slots_for(
            actor=user,
            service=appointment.service,
            location=location,
            day=values["date"],
            staff=values.get("staff", ""),
            exclude=appointment.pk,
        )
    context = {
        "appointment": appointment,
        "form": form,
        "cancel_form": cancel_form,
        "slots": slots,
        "conflict": conflict,
        "zone": location.time_zone,
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
