"""The page behind a waitlist offer's link (GET shows it, since mail scanners open links;
only the POST of the button accepts), and the staff waitlist page."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from needlepoint.accounts.permissions import role_required
from needlepoint.clinic.selectors import active_services, service_by_slug
from needlepoint.core.errors import Conflict, InvalidInput, NotFound
from needlepoint.core.form_errors import form_errors
from needlepoint.notifications.tokens import manage_token
from needlepoint.patients.selectors import patient_by_record_number

from . import selectors, services


@require_http_methods(["GET", "POST"])
def offer(request: HttpRequest, token: str) -> HttpResponse:
    try:
        found = services.offer_for_token(token)
    except NotFound:
        return render(request, "link_invalid.html", status=404)
    context = {
        "offer": found,
        "start_local": found.slot.start.astimezone(found.slot.location.zone),
        "token": token,
    }
    if request.method == "POST":
        try:
            accepted = services.waitlist_offer_accept(offer=found)
        except Conflict as exc:
            with timezone.override(found.slot.location.zone):
                return render(
                    request, "waitlist/offer.html", {**context, "refused": exc.message}, status=409
                )
        context.update(accepted=True, manage_token=manage_token(accepted.appointment))
    with timezone.override(found.slot.location.zone):
        return render(request, "waitlist/offer.html", context)


@role_required("waitlist.read")
@require_http_methods(["GET", "POST"])
def staff_waitlist(request: HttpRequest) -> HttpResponse:
    """The waitlist, oldest first; staff add a patient by record number and service."""
    actor: Any = request.user
    values = {
        k: request.POST.get(k, "")[:100] for k in ("patient", "service", "earliest", "latest")
    }
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        if not actor.may("waitlist.join"):
            raise PermissionDenied
        patient = patient_by_record_number(values["patient"])
        service = service_by_slug(values["service"])
        dates: dict[str, date | None] = {}
        for name in ("earliest", "latest"):
            try:
                dates[name] = date.fromisoformat(values[name]) if values[name] else None
            except ValueError:
                errors[name] = "must be a date (YYYY-MM-DD)"
        if patient is None:
            errors["patient"] = "there is no patient with this number"
        if service is None:
            errors["service"] = "choose a service"
        if not errors:
            assert patient is not None and service is not None
            try:
                services.waitlist_join(
                    actor=actor,
                    patient=patient,
                    service=service,
                    earliest=dates.get("earliest"),
                    latest=dates.get("latest"),
                )
            except InvalidInput as exc:
                errors.update(form_errors(exc).fields)
            else:
                return redirect("waitlist:staff_waitlist")
        status = 422
    context = {
        "entries": selectors.waiting_entries(actor=actor),
        "services": active_services(),
        "values": values,
        "errors": errors,
    }
    return render(request, "waitlist/staff_waitlist.html", context, status=status)
