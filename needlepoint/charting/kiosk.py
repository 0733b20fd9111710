"""The tablet handed to the patient for consent (a kiosk step).

Staff start it from the treatment-day page; from then on this browser session shows only
the consent screen, whatever address is typed, until a staff member re-enters the signed-in
staff member's password, or signs out (and someone signs in again). Five wrong passwords
sign the session out. Decision: docs/decisions/0202-consent-kiosk.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from needlepoint.accounts.permissions import role_required
from needlepoint.audit.services import record
from needlepoint.core.errors import Conflict, InvalidInput
from needlepoint.core.form_errors import form_errors
from needlepoint.domain.charting import Step

from . import selectors as sel
from . import services as svc
from .forms import consent_signature_from_post
from .views.common import appointment_or_404

SESSION_KEY = "needlepoint_kiosk"
MAX_UNLOCK_TRIES = 5


def kiosk_url(appointment_id: int) -> str:
    return reverse("charting:kiosk", args=[appointment_id])


class KioskMiddleware:
    """While a session is in kiosk mode every other page leads back to the consent screen
    (GET) or is refused (any other method); signing out stays possible."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        state = session.get(SESSION_KEY) if session is not None else None
        user = getattr(request, "user", None)
        if state and user is not None and user.is_authenticated:
            allowed = kiosk_url(int(state["appointment"]))
            if request.path not in (allowed, reverse("account_logout")):
                if request.method in ("GET", "HEAD"):
                    return HttpResponseRedirect(allowed)
                raise PermissionDenied("The tablet is with the patient for consent.")
        return self.get_response(request)


@role_required("consent.collect")
@require_POST
def kiosk_start(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = appointment_or_404(request, appointment_id)
    request.session[SESSION_KEY] = {"appointment": appointment.pk, "tries": 0}
    user: Any = request.user
    record(
        actor=user,
        action="kiosk.start",
        object_type="appointment",
        object_id=appointment.pk,
        patient_id=appointment.patient_id,
    )
    return redirect(kiosk_url(appointment.pk))


def _unlock(request: HttpRequest, appointment: Any) -> HttpResponse | str:
    """The redirect out of the kiosk, or the message to show."""
    user: Any = request.user
    state = dict(request.session.get(SESSION_KEY) or {})
    if user.check_password(request.POST.get("password", "")):
        request.session.pop(SESSION_KEY, None)
        record(
            actor=user,
            action="kiosk.end",
            object_type="appointment",
            object_id=appointment.pk,
            patient_id=appointment.patient_id,
        )
        messages.success(request, "The tablet is back in staff mode.")
        return redirect(reverse("charting:treatment_day", args=[appointment.pk]))
    state["tries"] = int(state.get("tries", 0)) + 1
    if state["tries"] >= MAX_UNLOCK_TRIES:
        record(
            actor=user,
            action="kiosk.signed_out",
            object_type="appointment",
            object_id=appointment.pk,
            patient_id=appointment.patient_id,
            detail={"reason": "wrong passwords"},
        )
        logout(request)
        return redirect(reverse("account_login"))
    request.session[SESSION_KEY] = state
    return "That password is not right. Staff: enter your password to return."


@role_required("consent.collect", audit_action="treatment_day.read")
@require_http_methods(["GET", "POST"])
def kiosk(request: HttpRequest, appointment_id: int) -> HttpResponse:
    state = request.session.get(SESSION_KEY)
    if not state or int(state["appointment"]) != appointment_id:
        return redirect(reverse("charting:treatment_day", args=[appointment_id]))
    appointment = appointment_or_404(request, appointment_id)
    values: Any = {}
    errors: dict[str, str] = {}
    summary, unlock_error = "", ""
    if request.method == "POST" and request.POST.get("step") == "unlock":
        outcome = _unlock(request, appointment)
        if isinstance(outcome, HttpResponse):
            return outcome
        unlock_error = outcome
    elif request.method == "POST":
        values = request.POST
        kind, signature, problems = consent_signature_from_post(request.POST)
        try:
            if problems:
                raise svc.RuleRefused(problems, "The consent is not signed yet.")
            user: Any = request.user
            svc.consent_sign(
                actor=user,
                appointment=appointment,
                consent_version=request.POST.get("consent_version", "current"),
                signature=signature,
                signature_kind=kind,
                photo_release=request.POST.get("photo_release") == "on",
                source="tablet",
            )
        except InvalidInput as exc:
            # Words for the patient, without the rule codes the staff page shows.
            summary = exc.message or "The consent is not signed yet."
            errors = form_errors(exc).fields
            if kind == "drawn" and "signature" in errors:
                errors["signature_drawing"] = errors.pop("signature")
        except Conflict as exc:
            summary = exc.message
    day = sel.treatment_day(appointment)
    library = sel.consent_library()
    context = {
        "appointment": appointment,
        "patient": appointment.patient,
        "signed": day.next_step != Step.CONSENT.value,
        "consent": library.current,
        "photo_release": library.photo_release,
        "values": values,
        "errors": errors,
        "summary": summary,
        "unlock_error": unlock_error,
    }
    status = 422 if summary or unlock_error else 200
    return render(request, "charting/kiosk.html", context, status=status)
