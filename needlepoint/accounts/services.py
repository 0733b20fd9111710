from __future__ import annotations

import secrets
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from needlepoint.audit.services import record

from .models import ApiToken, User

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
    user.is_staff = role == "clinic_admin"  # the Django admin is for clinic setup only
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
