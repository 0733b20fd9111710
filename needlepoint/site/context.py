from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone

from needlepoint.clinic.current import chosen_slug, location_choices
from needlepoint.clinic.public_face import public_face

from .health import backlog_warnings

# The picture shipped with Needlepoint, until the clinic sets its own (decision 0511).
DEFAULT_PICTURE = "site/hero-default.svg"
DEFAULT_PICTURE_ALT = "A face in profile drawn in one line, with a field of fine dots on the cheek"


def clinic(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    role = getattr(user, "role", "") if user is not None and user.is_authenticated else ""
    is_staff_user = role in {"front_desk", "aesthetician", "physician", "clinic_admin"}
    face = public_face()
    context = {
        "clinic_name": face.name,
        "clinic_picture": {
            "url": reverse("site:clinic_picture", args=[face.picture])
            if face.picture
            else static(DEFAULT_PICTURE),
            "alt": face.picture_alt if face.picture else DEFAULT_PICTURE_ALT,
        },
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
