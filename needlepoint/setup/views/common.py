"""What every setup page shares: who may open it, and how a refusal reaches the form."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from needlepoint.accounts.models import User
from needlepoint.accounts.permissions import role_required
from needlepoint.clinic.access import is_group_wide, visible_locations
from needlepoint.core.errors import Conflict, InvalidInput, NotFound
from needlepoint.core.form_errors import add_to_form

# Only the clinic admin sets the clinic up; anyone else gets a 403, audited.
admin_only: Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]] = role_required(
    "clinic.change", audit_action="setup.open"
)
REFUSALS = (InvalidInput, Conflict, NotFound)


def actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def within_reach_of(request: HttpRequest, *forms: Any) -> None:
    """Offer (and accept) only the locations the admin may act at (decision 0700): a
    location's admin cannot add a room, pen, closure or time off at another location."""
    for form in forms:
        field = form.fields.get("location")
        if field is not None:
            field.queryset = visible_locations(request.user)


def group_admin_only(request: HttpRequest) -> None:
    """The group's own setup (new locations, services, consent, public pages) is a group
    admin's: a location's admin gets a 403 page, audited like a role refusal."""
    if not is_group_wide(request.user):
        raise PermissionDenied("Only a group admin (a clinic admin for all locations) may.")


def group_changes_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page of the group's own setup: every clinic admin reads it; only a group admin
    changes it (a POST from a location's admin is a 403 page)."""

    @functools.wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST":
            group_admin_only(request)
        return view(request, *args, **kwargs)

    return guarded


def page(
    request: HttpRequest, template: str, context: dict[str, Any], *, refused: bool = False
) -> HttpResponse:
    """The page; 422 when it shows a form the service (or the form) refused."""
    return render(request, f"setup/{template}", context, status=422 if refused else 200)


def refuse(form: Any, exc: Exception) -> None:
    """The service's refusal beside the fields it names; the form keeps what was typed."""
    assert isinstance(exc, REFUSALS)
    add_to_form(form, exc)
