"""Role checks for entry points. Object-level checks live in the selectors."""

from __future__ import annotations

from django.http import HttpRequest

from needlepoint.audit.services import record_denied
from needlepoint.core.errors import Forbidden

from .models import User


def request_user(request: HttpRequest) -> User | None:
    user = getattr(request, "auth", None) or getattr(request, "user", None)
    if isinstance(user, User) and user.is_authenticated:
        return user
    return None


def require(
    request: HttpRequest, capability: str, *, audit_action: str = "", patient_id: object = ""
) -> User:
    """The caller's user if their role grants ``capability``; else a 403, audited when the
    attempt concerned patient data (``audit_action``)."""
    user = request_user(request)
    if user is None or not user.may(capability):
        if audit_action:
            record_denied(
                actor=user,
                action=audit_action,
                object_type="patient",
                object_id=patient_id or "",
                patient_id=patient_id or "",
                reason="role",
            )
        raise Forbidden(f"your role may not {capability.replace('.', ' ')}")
    return user
