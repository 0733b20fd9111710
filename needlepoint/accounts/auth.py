"""Bearer-token authentication for the API (django-ninja)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from needlepoint.audit.context import update_origin
from needlepoint.audit.services import record_denied

from .models import ApiToken, User

_TOUCH_EVERY = timedelta(minutes=1)


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = (
            ApiToken.objects.select_related("user")
            .filter(token_hash=ApiToken.hash_of(token))
            .first()
        )
        if found is None or found.revoked_at is not None or not found.user.is_active:
            reason = "revoked" if found is not None else "unknown_token"
            record_denied(
                actor=found.user if found else None,
                action="api_token.use",
                object_type="api_token",
                object_id=found.pk if found else "",
                reason=reason,
            )
            return None
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > _TOUCH_EVERY:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        # Every audit event this request writes names the token it came through.
        update_origin(via=f"token:{found.pk}")
        request.user = found.user
        return found.user


def api_user(request: HttpRequest) -> User:
    user: Any = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user
