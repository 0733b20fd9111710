"""Role checks for entry points: ``require`` for API operations, ``role_required`` for pages.
Both refuse the same way and audit the refusal the same way. Object-level checks live in the
selectors."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from needlepoint.audit.services import record_denied
from needlepoint.core.errors import Forbidden

from .models import User

View = Callable[..., HttpResponse]


def request_user(request: HttpRequest) -> User | None:
    user = getattr(request, "auth", None) or getattr(request, "user", None)
    if isinstance(user, User) and user.is_authenticated:
        return user
    return None


def _deny(user: Any, capability: str, *, audit_action: str, patient_id: object) -> str:
    """Audit a refusal that concerned patient data (``audit_action``); the refusal's wording."""
    if audit_action:
        record_denied(
            actor=user,
            action=audit_action,
            object_type="patient",
            object_id=patient_id or "",
            patient_id=patient_id or "",
            reason="role",
        )
    return f"may not {capability.replace('.', ' ')}"


def require(
    request: HttpRequest, capability: str, *, audit_action: str = "", patient_id: object = ""
) -> User:
    """The caller's user if their role grants ``capability``; else a 403, audited when the
    attempt concerned patient data (``audit_action``)."""
    user = request_user(request)
    if user is None or not user.may(capability):
        refusal = _deny(user, capability, audit_action=audit_action, patient_id=patient_id)
        raise Forbidden(f"your role {refusal}")
    return user


def role_required(capability: str, *, audit_action: str = "") -> Callable[[View], View]:
    """A page for signed-in users whose role grants ``capability``: anyone else signs in first,
    or gets a 403, audited like ``require``'s."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user: Any = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user.may(capability):
                refusal = _deny(
                    user,
                    capability,
                    audit_action=audit_action,
                    patient_id=kwargs.get("patient_id", ""),
                )
                raise PermissionDenied(f"Your role {refusal}.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
