"""Services: what the clinic offers, for how long, for how much."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from needlepoint.clinic import services as clinic
from needlepoint.core.confirm import Question, ask_once

from .. import selectors as sel
from ..forms import ServiceForm
from .common import REFUSALS, actor, admin_only, group_changes_only, page, refuse


@admin_only
def services(request: HttpRequest) -> HttpResponse:
    return page(request, "services.html", {"services": sel.services()})


def _terms(data: dict[str, object]) -> clinic.ServiceTerms:
    return clinic.ServiceTerms(**data)  # type: ignore[arg-type]


@admin_only
@require_http_methods(["GET", "POST"])
@group_changes_only
def service_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    service = sel.service_at(pk) if pk is not None else None
    initial: dict[str, object] = {
        "performer_roles": ["aesthetician", "physician"],
        "currency": "USD",
    }
    if service is not None:
        initial = {
            name: getattr(service, name)
            for name in ServiceForm.base_fields
            if hasattr(service, name)
        }
    form = ServiceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = clinic.service_save(
                actor=actor(request), terms=_terms(form.cleaned_data), service=service
            )
        except REFUSALS as exc:
            refuse(form, exc)
        else:
            messages.success(request, f"{saved.name} saved.")
            return redirect("setup:services")
    context = {"service": service, "form": form}
    return page(request, "service_edit.html", context, refused=bool(form.errors))


@admin_only
@require_http_methods(["GET", "POST"])
@group_changes_only
def service_active(request: HttpRequest, pk: int) -> HttpResponse:
    """Offered again at once; withdrawing asks first (core/confirm.py)."""
    service = sel.service_at(pk)
    active = request.method == "POST" and request.POST.get("active") == "yes"
    question = Question(
        title=f"Withdraw {service.name}?",
        says=(
            f"Patients and staff can no longer book {service.name}.",
            "Appointments already booked stay as they are.",
            "You can offer it again at any time.",
        ),
        yes=f"Yes, withdraw {service.name}",
        no="No, keep offering it",
        back=reverse("setup:services"),
        keep={"active": "no"},
    )
    if not active and (asked := ask_once(request, question)) is not None:
        return asked
    clinic.service_set_active(actor=actor(request), service=service, active=active)
    messages.success(
        request, f"{service.name} is {'offered again' if active else 'no longer offered'}."
    )
    return redirect("setup:services")
