"""One location's services: which are offered there, for how long and for how much."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from needlepoint.clinic import services as clinic
from needlepoint.clinic.models import Service
from needlepoint.clinic.offerings import terms_for_services

from .. import selectors as sel
from ..offering_forms import LocationServicesForm
from .common import REFUSALS, actor, admin_only, page, refuse


@admin_only
@require_http_methods(["GET", "POST"])
def location_services(request: HttpRequest, slug: str) -> HttpResponse:
    location = sel.location_named(slug, actor(request))
    services = list(Service.objects.filter(active=True).order_by("name"))
    form = LocationServicesForm(
        request.POST or None,
        services=services,
        terms=terms_for_services(services, location),
    )
    if request.method == "POST" and form.is_valid():
        try:
            clinic.offerings_set(actor=actor(request), location=location, terms=form.terms())
        except REFUSALS as exc:
            refuse(form, exc)
        else:
            messages.success(request, f"Services at {location.name} saved.")
            return redirect("setup:location_services", slug=location.slug)
    return page(
        request,
        "location_services.html",
        {"location": location, "form": form},
        refused=bool(form.errors),
    )
