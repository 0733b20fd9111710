"""Consent texts: the version in force, the history, and publishing a new version."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from needlepoint.charting.selectors import consent_library
from needlepoint.clinic import services as clinic
from needlepoint.clinic.clock import clinic_today
from needlepoint.domain.charting import CONSENT_SECTIONS

from .. import selectors as sel
from ..forms import ConsentTextForm
from .common import REFUSALS, actor, admin_only, group_changes_only, page, refuse


@admin_only
def consent(request: HttpRequest) -> HttpResponse:
    library = consent_library()
    context = {"current": library.current, "history": sel.consent_history()}
    return page(request, "consent.html", context)


@admin_only
def consent_version(request: HttpRequest, version: str) -> HttpResponse:
    library = consent_library()
    shown = library.versions.get(version)
    if shown is None:
        raise Http404("no such consent version")
    context = {"shown": shown, "current": version == library.current_version}
    return page(request, "consent_version.html", context)


@admin_only
@require_http_methods(["GET", "POST"])
@group_changes_only
def consent_publish(request: HttpRequest) -> HttpResponse:
    library = consent_library()
    initial: dict[str, str] = {}
    for section in library.current.sections:
        initial[f"{section.key}-title"] = section.title
        initial[f"{section.key}-text"] = section.text
    form = ConsentTextForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            published = clinic.consent_text_publish(
                actor=actor(request),
                version=data["version"],
                sections={k: (data[f"{k}-title"], data[f"{k}-text"]) for k in CONSENT_SECTIONS},
                note=data["note"],
                known_versions=list(library.versions),
                today=clinic_today(),
            )
        except REFUSALS as exc:
            refuse(form, exc)
        else:
            messages.success(
                request, f"Version {published.version} published: patients sign it from now on."
            )
            return redirect("setup:consent")
    context = {"form": form, "current": library.current}
    return page(request, "consent_publish.html", context, refused=bool(form.errors))
