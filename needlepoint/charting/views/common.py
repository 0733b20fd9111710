"""What the treatment-day pages share: the signed-in user, the appointment (404 when it
is not the user's to see) and a refusal turned into what the page shows."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from needlepoint.core.errors import Conflict, InvalidInput, NotFound
from needlepoint.scheduling.models import Appointment

from .. import selectors as sel
from .. import services as svc
from ..wording import tidy


def user_of(request: HttpRequest) -> Any:
    return request.user


def appointment_or_404(request: HttpRequest, appointment_id: int) -> Appointment:
    try:
        return sel.appointment_to_chart(actor=user_of(request), appointment_id=appointment_id)
    except NotFound:
        raise Http404("No such appointment.") from None


def errors_of(exc: Exception) -> tuple[str, dict[str, str], str]:
    """(summary, field errors, rule) for a refusal, for the page to show: the messages are
    words; the rule code is a separate reference the page shows small, never as the message."""
    if isinstance(exc, svc.RuleRefused):
        fields = {p.field: tidy(p.message) for p in exc.problems}
        return tidy(exc.message), fields, exc.rules[0] if exc.rules else ""
    if isinstance(exc, InvalidInput):
        return tidy(exc.message), {p.field: tidy(p.message) for p in exc.problems}, ""
    if isinstance(exc, Conflict):
        return tidy(exc.message), {}, str(exc.code)
    return tidy(str(exc)), {}, ""


def rules_of(exc: Exception) -> dict[str, str]:
    """Each field's rule code, for the small reference beside its message."""
    if isinstance(exc, svc.RuleRefused):
        return {p.field: rule for p, rule in zip(exc.problems, exc.rules, strict=True)}
    return {}
