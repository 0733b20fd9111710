from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from needlepoint.audit.services import record_denied

View = Callable[..., HttpResponse]


def role_required(capability: str, *, audit_action: str = "") -> Callable[[View], View]:
    """Login, then the role's capability; a refusal on patient data is audited."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user: Any = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user.may(capability):
                if audit_action:
                    patient_id = kwargs.get("patient_id", "")
                    record_denied(
                        actor=user,
                        action=audit_action,
                        object_type="patient",
                        object_id=patient_id,
                        patient_id=patient_id,
                        reason="role",
                    )
                raise PermissionDenied(f"Your role may not {capability.replace('.', ' ')}.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
