from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from .roles import is_staff_role

# Pages under these prefixes show patient data or clinic setup: staff reach them only
# after enrolling TOTP. Public pages, the account pages (where enrolment happens) and the
# token-authenticated API are outside.
STAFF_ONLY_PREFIXES = ("/staff/", "/admin/")


def has_totp(user: object) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class IdleTimeoutMiddleware:
    """Staff sessions end after 15 idle minutes, patients' after 30 (settings)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timeout = (
                settings.STAFF_IDLE_TIMEOUT
                if is_staff_role(getattr(user, "role", ""))
                else settings.PATIENT_IDLE_TIMEOUT
            )
            request.session.set_expiry(int(timeout.total_seconds()))
        return self.get_response(request)


class StaffMustEnrolTotpMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and request.path.startswith(STAFF_ONLY_PREFIXES)
            # Superusers too: the Django admin is theirs alone (0430), whatever their role.
            and (is_staff_role(getattr(user, "role", "")) or user.is_superuser)
            and not has_totp(user)
        ):
            target = reverse("mfa_activate_totp") + "?" + urlencode({"next": request.path})
            return HttpResponseRedirect(target)
        return self.get_response(request)
