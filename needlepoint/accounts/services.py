from __future__ import annotations

import secrets
from dataclasses import dataclass

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from needlepoint.audit.services import record
from needlepoint.core.errors import Conflict, InvalidInput, NotFound, Problems

from .models import ApiToken, User
from .roles import STAFF_ROLES

TOKEN_PREFIX = "np_"  # noqa: S105 (a prefix, not a secret)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    raw: str


def api_token_create(*, user: User, actor: User | None = None) -> IssuedToken:
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, prefix=raw[: len(TOKEN_PREFIX) + 6], token_hash=ApiToken.hash_of(raw)
        )
        record(actor=actor, action="api_token.create", object_type="api_token", object_id=token.pk)
    return IssuedToken(token=token, raw=raw)


def api_token_revoke_all(*, user: User, actor: User | None = None) -> int:
    with transaction.atomic():
        tokens = list(
            ApiToken.objects.select_for_update(of=("self",)).filter(user=user, revoked_at=None)
        )
        now = timezone.now()
        for token in tokens:
            token.revoked_at = now
            token.save(update_fields=["revoked_at"])
            record(
                actor=actor, action="api_token.revoke", object_type="api_token", object_id=token.pk
            )
    return len(tokens)


def user_create(
    *,
    username: str,
    role: str,
    password: str | None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    actor: User | None = None,
) -> User:
    user = User(
        username=username, role=role, email=email, first_name=first_name, last_name=last_name
    )
    # is_staff alone no longer opens the Django admin (superusers only, decision 0430); it is
    # kept as before so existing accounts and fixtures read the same.
    user.is_staff = role == "clinic_admin"
    if password is None:
        user.set_unusable_password()
    else:
        validate_password(password, user)
        user.set_password(password)
    with transaction.atomic():
        user.save()
        if email:
            # The clinic created this login for a known address: it counts as verified, so
            # the first sign-in goes straight to enrolling the second factor.
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        record(actor=actor, action="user.create", object_type="user", object_id=user.pk)
    return user


# ---------------------------------------------------------------- staff accounts (issue #11)
# The clinic admin's team pages (needlepoint.team) call these. Account mail goes straight
# through Django's mail backend, as allauth's own password mail does, not the notifications
# outbox: that outbox is keyed to patients and retries reminders; an invitation is re-sent by
# the admin (docs/decisions/0431-staff-account-mail.md).

NAME_MAX = 150
EMAIL_MAX = 254


def _clinic_name() -> str:
    return str(settings.NEEDLEPOINT_CLINIC_NAME)


def _absolute(path: str) -> str:
    return str(settings.NEEDLEPOINT_BASE_URL).rstrip("/") + path


def staff_invite_link(user: User) -> str:
    """allauth's set-a-new-password link: it expires (PASSWORD_RESET_TIMEOUT) and works once
    (the token covers the password hash, which setting a password changes)."""
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    return _absolute(path)


def _send_invitation(user: User, actor: User) -> None:
    days = max(1, int(settings.PASSWORD_RESET_TIMEOUT) // 86400)
    body = (
        f"Hello {user.display_name},\n\n"
        f"{actor.display_name} has invited you to {_clinic_name()}'s Needlepoint as "
        f"{user.get_role_display().lower()}.\n\n"
        f"Choose your password here (the link works once, for {days} days):\n"
        f"{staff_invite_link(user)}\n\n"
        "Then sign in with your e-mail address and that password. On your first sign-in you "
        "will set up a second factor: an authenticator app on your phone.\n\n"
        "If you did not expect this, ignore this message or tell the clinic.\n"
    )
    send_mail(f"You are invited to {_clinic_name()}", body, None, [user.email])


def _send_second_factor_reset(user: User, actor: User) -> None:
    body = (
        f"Hello {user.display_name},\n\n"
        f"{actor.display_name} has reset the second factor of your {_clinic_name()} account: "
        "your authenticator app and your recovery codes no longer work.\n\n"
        "The next time you sign in, you will set up an authenticator app again.\n\n"
        "If you did not ask for this, tell the clinic admin straight away.\n"
    )
    send_mail(f"Your {_clinic_name()} second factor was reset", body, None, [user.email])


def _staff_member(user_id: int) -> User:
    user = User.objects.filter(pk=user_id, role__in=STAFF_ROLES).first()
    if user is None:
        raise NotFound("no such staff member")
    return user


def _mailed(send: object, user: User, actor: User, what: str) -> None:
    """Send after the change is committed; a mail server that refuses is reported, not a 500."""
    try:
        send(user, actor)  # type: ignore[operator]
    except OSError:
        raise Conflict(
            f"{what} saved, but the e-mail to {user.email} could not be sent: the mail server "
            "refused. Check the mail settings, then send it again.",
            extra={"user_id": user.pk},
        ) from None


def staff_invite(*, actor: User, email: str, full_name: str, role: str) -> User:
    """A new staff login with no password yet, and an e-mail with the link to choose one."""
    email = (email or "").strip()
    full_name = " ".join((full_name or "").split())
    problems = Problems()
    if not full_name:
        problems.add("full_name", "Enter the staff member's full name.")
    elif len(full_name) > NAME_MAX:
        problems.add("full_name", f"Use at most {NAME_MAX} characters.")
    if role not in STAFF_ROLES:
        problems.add("role", "Choose a role: front desk, aesthetician, physician or clinic admin.")
    if not email or "@" not in email.strip("@") or len(email) > EMAIL_MAX or " " in email:
        problems.add("email", "Enter an e-mail address, like name@example.com.")
    problems.raise_if_any()
    first_name, _, last_name = full_name.partition(" ")
    with transaction.atomic():
        taken = (
            User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists()
            or EmailAddress.objects.filter(email__iexact=email).exists()
        )
        if taken:
            raise InvalidInput.one(
                "email",
                "This e-mail address already belongs to an account. Find that person in the "
                "staff list (re-send their invitation there), or use another address.",
            )
        user = User(
            username=email.lower(),
            email=email,
            first_name=first_name[:NAME_MAX],
            last_name=last_name[:NAME_MAX],
            role=role,
        )
        user.set_unusable_password()
        user.save()
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        record(
            actor=actor,
            action="staff.invite",
            object_type="user",
            object_id=user.pk,
            detail={"role": role},
        )
    _mailed(_send_invitation, user, actor, "The invitation was")
    return user


def staff_invite_resend(*, actor: User, user_id: int) -> User:
    """A fresh link for someone invited who has not chosen a password yet."""
    with transaction.atomic():
        user = _staff_member(user_id)
        if not user.is_active:
            raise Conflict(f"{user.display_name} is deactivated: reactivate them first.")
        if user.has_usable_password():
            raise Conflict(
                f"{user.display_name} has already chosen a password. If they forgot it, they "
                'use "Forgot your password?" on the sign-in page.'
            )
        record(actor=actor, action="staff.invite_resend", object_type="user", object_id=user.pk)
    _mailed(_send_invitation, user, actor, "The new invitation was")
    return user


def staff_deactivate(*, actor: User, user_id: int) -> User:
    """They can no longer sign in (open sessions end at their next request: Django's backend
    refuses inactive users) and every API token of theirs is revoked."""
    with transaction.atomic():
        user = _staff_member(user_id)
        if user.pk == actor.pk:
            raise Conflict(
                "You cannot deactivate your own account. Ask another clinic admin to do it."
            )
        if user.is_superuser:
            raise Conflict("This account is a superuser's; whoever runs the server manages it.")
        if not user.is_active:
            raise Conflict(f"{user.display_name} is already deactivated.")
        user.is_active = False
        user.save(update_fields=["is_active"])
        record(actor=actor, action="staff.deactivate", object_type="user", object_id=user.pk)
        api_token_revoke_all(user=user, actor=actor)
    return user


def staff_reactivate(*, actor: User, user_id: int) -> User:
    """They may sign in again; revoked API tokens stay revoked (a new one is issued)."""
    with transaction.atomic():
        user = _staff_member(user_id)
        if user.is_active:
            raise Conflict(f"{user.display_name} is already active.")
        user.is_active = True
        user.save(update_fields=["is_active"])
        record(actor=actor, action="staff.reactivate", object_type="user", object_id=user.pk)
    return user


def staff_second_factor_reset(*, actor: User, user_id: int) -> User:
    """Removes their authenticator app (TOTP) and recovery codes and tells them by e-mail;
    the staff pages then make them enrol again at their next sign-in
    (accounts.middleware.StaffMustEnrolTotpMiddleware). The caller has re-authenticated the
    admin (the team page uses allauth's reauthentication flow)."""
    with transaction.atomic():
        user = _staff_member(user_id)
        if user.pk == actor.pk:
            raise Conflict(
                "You cannot reset your own second factor here. Change it under Security "
                "(your two-factor settings), or ask another clinic admin to reset it."
            )
        if user.is_superuser:
            raise Conflict("This account is a superuser's; whoever runs the server manages it.")
        removed = list(Authenticator.objects.filter(user=user).values_list("type", flat=True))
        if not removed:
            raise Conflict(
                f"{user.display_name} has no second factor to reset: they set one up at "
                "their next sign-in."
            )
        Authenticator.objects.filter(user=user).delete()
        record(
            actor=actor,
            action="staff.second_factor_reset",
            object_type="user",
            object_id=user.pk,
            detail={"removed": sorted(removed)},
        )
    if user.email:
        _mailed(_send_second_factor_reset, user, actor, "The reset was")
    return user


def staff_role_change(*, actor: User, staff: User, role: str) -> User:
    """A staff member's new role. `User.role` is read from the database at every request, so
    what they may do changes at their next page; their session and second factor stay."""
    if role not in STAFF_ROLES:
        raise InvalidInput.one(
            "role", "Choose a role: front desk, aesthetician, physician or clinic admin."
        )
    with transaction.atomic():
        user = _staff_member(staff.pk)
        if user.pk == actor.pk:
            raise Conflict("You cannot change your own role. Ask another clinic admin to do it.")
        if user.is_superuser:
            raise Conflict("This account is a superuser's; whoever runs the server manages it.")
        old = user.role
        if old == role:
            raise InvalidInput.one("role", f"{user.display_name} already has this role.")
        if old == "clinic_admin" and user.is_active:
            # Lock every clinic admin so two admins demoting each other cannot both succeed.
            admins = User.objects.select_for_update(of=("self",)).filter(
                role="clinic_admin", is_active=True
            )
            if not [pk for pk in admins.values_list("pk", flat=True) if pk != user.pk]:
                raise Conflict(
                    f"{user.display_name} is the last active clinic admin: no one could manage "
                    "staff any more. Make someone else a clinic admin first."
                )
        user.role = role
        user.save(update_fields=["role"])
        record(
            actor=actor,
            action="staff.role_change",
            object_type="user",
            object_id=user.pk,
            detail={"from": old, "to": role},
        )
    return user
