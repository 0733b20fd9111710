"""The clinic admin's staff pages: the list, invitations, deactivation, second-factor reset.

Thin: each view checks `staff.manage`, calls one selector or service, and shows a refusal
beside the field it names (core.form_errors). Resetting a second factor goes through
allauth's reauthentication flow first (the admin re-enters their password).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from needlepoint.accounts import services
from needlepoint.accounts.models import User
from needlepoint.accounts.permissions import role_required
from needlepoint.accounts.roles import STAFF_ROLES, Role
from needlepoint.clinic.access import is_group_wide, visible_locations
from needlepoint.clinic.selectors import locations as clinic_locations
from needlepoint.clinic.services.access import (
    location_access_grant_group,
    location_access_set,
    managed_staff_ids,
    may_manage,
)
from needlepoint.core.confirm import Question, ask_once, is_confirmed
from needlepoint.core.errors import Conflict, InvalidInput, NotFound
from needlepoint.core.form_errors import add_to_form, form_errors

from . import selectors
from .forms import InviteWithLocationsForm, LocationsForm, RoleForm
from .selectors import held_locations, works_at_words
from .wording import role_change_words


def _member_or_404(request: HttpRequest, user_id: int) -> selectors.StaffMember:
    """A staff member the admin manages: a location's admin, only staff at their locations
    (anyone else is as unknown as a made-up number: 404, decision 0700)."""
    try:
        found = selectors.staff_member(user_id=user_id, now=timezone.now())
    except NotFound:
        raise Http404("No such staff member.") from None
    if not may_manage(request.user, found.user):  # type: ignore[arg-type]
        raise Http404("No such staff member.")
    return found


@role_required("staff.manage")
def staff_list(request: HttpRequest) -> HttpResponse:
    actor: Any = request.user
    managed = managed_staff_ids(actor)
    members = [
        m
        for m in selectors.staff_members(now=timezone.now())
        if managed is None or m.user.pk in managed
    ]
    return render(request, "team/list.html", {"members": members})


def _locations_form(request: HttpRequest, form_class: Any, data: Any, **kwargs: Any) -> Any:
    choices = [(loc.pk, loc.name) for loc in visible_locations(request.user)]
    form = form_class(data, choices=choices, may_grant_group=is_group_wide(request.user), **kwargs)
    if _single_location_clinic():
        # Nothing to choose: everyone works at the one location (decision 0700).
        form.fields.pop("locations", None)
        form.fields.pop("group_wide", None)
    return form


def _single_location_clinic() -> bool:
    """At most one location: nobody has to choose where a staff member works."""
    return clinic_locations()[:2].count() < 2


def _grant(request: HttpRequest, staff: User, values: dict[str, Any]) -> None:
    """The grants the form asked for. A clinic with one location asks for no choice: its
    staff work group-wide (so a second location later changes nothing for them)."""
    ticked = values.get("locations") or []
    untouched = not ticked and not values.get("group_wide")
    if untouched and _single_location_clinic() and is_group_wide(request.user):
        location_access_grant_group(staff=staff)
        return
    location_access_set(
        actor=request.user,  # type: ignore[arg-type]
        staff=staff,
        location_ids=ticked or list(visible_locations(request.user).values_list("pk", flat=True))
        if untouched and _single_location_clinic()
        else ticked,
        group_wide=bool(values.get("group_wide")),
    )


def _locations_missing(values: dict[str, Any]) -> bool:
    untouched = not values.get("locations") and not values.get("group_wide")
    return untouched and not _single_location_clinic()


@role_required("staff.manage")
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest) -> HttpResponse:
    actor: Any = request.user
    form = _locations_form(
        request, InviteWithLocationsForm, request.POST if request.method == "POST" else None
    )
    if form.is_bound and form.is_valid() and _locations_missing(form.cleaned_data):
        form.add_error("locations", "Tick the locations they work at.")
    if form.is_bound and form.is_valid():
        values = form.cleaned_data
        try:
            with transaction.atomic():
                user = services.staff_invite(
                    actor=actor,
                    email=values["email"],
                    full_name=values["full_name"],
                    role=values["role"],
                )
                _grant(request, user, values)
        except InvalidInput as exc:
            add_to_form(form, exc)
        except Conflict as exc:  # saved, but the mail server refused: say so on their page
            messages.error(request, exc.message)
            return redirect("team:member", user_id=exc.extra["user_id"])
        else:
            messages.success(request, f"Invitation sent to {user.display_name} at {user.email}.")
            return redirect("team:list")
    status = 422 if form.is_bound else 200
    return render(request, "team/invite.html", {"form": form}, status=status)


def _member_context(request: HttpRequest, found: selectors.StaffMember, **more: Any) -> Any:
    held = held_locations(found.user)
    initial = {"locations": [pk for pk in held if pk is not None], "group_wide": None in held}
    return {
        "member": found,
        "is_self": _is_self(request, found),
        "role_form": RoleForm(initial={"role": found.user.role}),
        "works_at": works_at_words(found.user),
        "locations_form": _locations_form(request, LocationsForm, None, initial=initial),
        **more,
    }


@role_required("staff.manage")
def member(request: HttpRequest, user_id: int) -> HttpResponse:
    found = _member_or_404(request, user_id)
    return render(request, "team/member.html", _member_context(request, found))


@role_required("staff.manage")
@require_POST
def locations(request: HttpRequest, user_id: int) -> HttpResponse:
    """Where they work: the ticked locations (a location's admin changes only their own)."""
    found = _member_or_404(request, user_id)
    form = _locations_form(request, LocationsForm, request.POST)
    if form.is_valid() and _locations_missing(form.cleaned_data):
        form.add_error("locations", "Tick the locations they work at.")
    if form.is_valid():
        try:
            _grant(request, found.user, form.cleaned_data)
        except InvalidInput as exc:
            add_to_form(form, exc)
        else:
            messages.success(
                request, f"{found.user.display_name} now works at: {works_at_words(found.user)}."
            )
            return redirect("team:member", user_id=found.pk)
    context = _member_context(request, found, locations_form=form)
    return render(request, "team/member.html", context, status=422)


def _is_self(request: HttpRequest, found: selectors.StaffMember) -> bool:
    return bool(found.pk == getattr(request.user, "pk", None))


def _act(
    request: HttpRequest, user_id: int, act: Callable[..., User], done: Callable[[User], str]
) -> HttpResponse:
    """Run one account service; success returns to their page with what happened, a refusal
    shows their page again with what to do instead (409)."""
    found = _member_or_404(request, user_id)
    try:
        user = act(actor=request.user, user_id=found.pk)
    except (Conflict, InvalidInput) as exc:
        shown = form_errors(exc, fields=())
        context = {
            "member": found,
            "is_self": _is_self(request, found),
            "refused": shown.summary,
            "role_form": RoleForm(initial={"role": found.user.role}),
        }
        return render(request, "team/member.html", context, status=409)
    messages.success(request, done(user))
    return redirect("team:member", user_id=found.pk)


@role_required("staff.manage")
@require_http_methods(["GET", "POST"])
def deactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    """Asks once (core/confirm.py), then deactivates."""
    found = _member_or_404(request, user_id)
    name = found.user.display_name
    back = reverse("team:member", args=[found.pk])
    question = Question(
        title=f"Deactivate {name}?",
        says=(
            f"{name} cannot sign in from now on, and their API tokens are revoked.",
            "Their records and the audit trail stay.",
            "You can reactivate them later; revoked API tokens stay revoked.",
        ),
        yes=f"Yes, deactivate {name}",
        no=f"No, keep {name} active",
        back=back,
    )
    # Deactivating yourself is refused outright (409), without asking first.
    if not _is_self(request, found) and (asked := ask_once(request, question)) is not None:
        return asked
    return _act(
        request,
        user_id,
        services.staff_deactivate,
        lambda u: (
            f"{u.display_name} is deactivated: they cannot sign in, and their API "
            "tokens are revoked."
        ),
    )


@role_required("staff.manage")
@require_POST
def reactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    return _act(
        request,
        user_id,
        services.staff_reactivate,
        lambda u: f"{u.display_name} can sign in again.",
    )


@role_required("staff.manage")
@require_POST
def resend_invitation(request: HttpRequest, user_id: int) -> HttpResponse:
    return _act(
        request,
        user_id,
        services.staff_invite_resend,
        lambda u: f"A new invitation is on its way to {u.email}.",
    )


@role_required("staff.manage")
@reauthentication_required
@require_http_methods(["GET", "POST"])
def second_factor_reset(request: HttpRequest, user_id: int) -> HttpResponse:
    """GET: what a reset does, and a button; POST: the reset. Both only within allauth's
    reauthentication window (ACCOUNT_REAUTHENTICATION_TIMEOUT): otherwise allauth asks for
    the admin's password and comes back here."""
    found = _member_or_404(request, user_id)
    if is_confirmed(request):
        return _act(
            request,
            user_id,
            services.staff_second_factor_reset,
            lambda u: (
                f"{u.display_name}'s second factor is reset and they have been told by "
                "e-mail. They set up an authenticator app at their next sign-in."
            ),
        )
    context = {"member": found, "is_self": _is_self(request, found)}
    return render(request, "team/second_factor_reset.html", context)


@role_required("staff.manage")
@require_POST
def role_change(request: HttpRequest, user_id: int) -> HttpResponse:
    """First POST: what the new role changes, and a button to confirm; the POST with
    `confirm`: the change. Anything the service would refuse (their own role, an unknown or
    unchanged role) skips the confirmation and is shown beside the Role field."""
    actor: Any = request.user
    found = _member_or_404(request, user_id)
    form = RoleForm(request.POST)
    form.is_valid()
    role = form.cleaned_data.get("role", "")
    name = found.user.display_name
    wants = role in STAFF_ROLES and role != found.user.role and not _is_self(request, found)
    if wants and "confirm" not in request.POST:
        context = {
            "member": found,
            "role": role,
            "role_words": Role(role).label,
            "changes": role_change_words(name, found.user.role, role),
        }
        return render(request, "team/role_change.html", context)
    try:
        user = services.staff_role_change(actor=actor, staff=found.user, role=role)
    except (Conflict, InvalidInput) as exc:
        shown = form_errors(exc, fields=("role",))
        for message in (*shown.fields.values(), shown.summary):
            if message:
                form.add_error("role", message)
        context = {"member": found, "is_self": _is_self(request, found), "role_form": form}
        status = 422 if isinstance(exc, InvalidInput) else 409
        return render(request, "team/member.html", context, status=status)
    messages.success(
        request,
        f"{user.display_name} is now {user.get_role_display().lower()}. The change applies "
        "from their next page.",
    )
    return redirect("team:member", user_id=found.pk)
