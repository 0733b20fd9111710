from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from needlepoint.clinic.current import chosen_slug, location_choices

from .health import backlog_warnings


def clinic(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    role = getattr(user, "role", "") if user is not None and user.is_authenticated else ""
    is_staff_user = role in {"front_desk", "aesthetician", "physician", "clinic_admin"}
    context = {
        "clinic_name": settings.NEEDLEPOINT_CLINIC_NAME,
        "user_role": role,
        "is_staff_user": is_staff_user,
    }
    if is_staff_user:
        # The header's location switcher: the list lives in the session (no query per page).
        choices = location_choices(request)
        context["location_choices"] = choices
        context["chosen_location"] = chosen_slug(request)
    if role == "clinic_admin":
        # Background work falling behind, or failing for good, shows on the admin's pages.
        context["background_warnings"] = backlog_warnings(timezone.now())
    return context
