from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from needlepoint.api import api

admin.site.site_header = "Needlepoint clinic setup"
admin.site.site_title = "Needlepoint"


def _admin_for_superusers(request: HttpRequest) -> bool:
    # The Django admin is the operator's tool (superusers only): the clinic admin works in
    # Needlepoint's own pages (staff under /staff/team/), which audit and check every change.
    # A role, or is_staff alone, no longer opens it (docs/decisions/0430-team-pages.md).
    user: Any = request.user
    return bool(user.is_active and user.is_superuser)


def _admin_login(request: HttpRequest, extra_context: object = None) -> HttpResponse:
    # Admin sign-in goes through allauth (rate limits, TOTP) rather than Django's own form.
    # Someone already signed in who is not a superuser: sending them to sign in again
    # would bounce straight back here (a redirect loop), so they get the 403 page.
    if request.user.is_authenticated:
        raise PermissionDenied(
            "The Django admin is for superusers only. Clinic setup and staff are in "
            "Needlepoint's own pages."
        )
    return redirect_to_login(request.get_full_path())


admin.site.has_permission = _admin_for_superusers  # type: ignore[method-assign]
admin.site.login = _admin_login  # type: ignore[method-assign]

urlpatterns = [
    path("api/v1/", api.urls),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("staff/calendar/", include("needlepoint.scheduling.urls")),
    path("staff/team/", include("needlepoint.team.urls")),
    path("staff/setup/", include("needlepoint.setup.urls")),
    path("staff/reports/", include("needlepoint.reports.urls")),
    path("", include("needlepoint.site.urls")),
    path("", include("needlepoint.booking.urls")),
    path("", include("needlepoint.notifications.urls")),
    path("", include("needlepoint.waitlist.urls")),
    path("", include("needlepoint.outcomes.urls")),
    path("", include("needlepoint.followups.urls")),
    path("", include("needlepoint.portal.urls")),
    path("", include("needlepoint.screening.urls")),
    path("", include("needlepoint.treatments.urls")),
    path("", include("needlepoint.charting.urls")),
    path("", include("needlepoint.privacy.urls")),
]

handler400 = "needlepoint.site.views.api_aware_400"
handler403 = "needlepoint.site.views.api_aware_403"
handler404 = "needlepoint.site.views.api_aware_404"
handler500 = "needlepoint.site.views.api_aware_500"
