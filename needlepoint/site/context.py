from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def clinic(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    role = getattr(user, "role", "") if user is not None and user.is_authenticated else ""
    return {
        "clinic_name": settings.NEEDLEPOINT_CLINIC_NAME,
        "user_role": role,
        "is_staff_user": role in {"front_desk", "aesthetician", "physician", "clinic_admin"},
    }
