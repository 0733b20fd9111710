"""Bearer-token authentication for the API (django-ninja).

Failed tokens are limited per client address (docs/decisions/0231-failed-api-tokens.md):
in each window of NEEDLEPOINT_API_TOKEN_FAILURE_WINDOW_SECONDS an address may fail
NEEDLEPOINT_API_TOKEN_FAILURES times, then gets 429 with Retry-After until the window ends.
The audit trail gets the first failure of a window and one counted event when the limit is
reached: at most two rows per address per window, however many requests arrive.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import Throttled
from ninja.security import HttpBearer

from needlepoint.audit.context import update_origin
from needlepoint.audit.services import record_denied
from needlepoint.core.client_ip import client_address

from .models import ApiToken, User

_TOUCH_EVERY = timedelta(minutes=1)


def _failure_window(request: HttpRequest) -> tuple[str, int]:
    """The cache key counting this address's failures in the current window, and the
    seconds until that window ends."""
    window = settings.NEEDLEPOINT_API_TOKEN_FAILURE_WINDOW_SECONDS
    now = int(time.time())
    start = now - now % window
    return f"api-token-failures:{client_address(request)}:{start}", start + window - now


def _count_failure(key: str, expires_in: int) -> int:
    cache.add(key, 0, timeout=expires_in + 1)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=expires_in + 1)
        return 1


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        key, expires_in = _failure_window(request)
        limit = settings.NEEDLEPOINT_API_TOKEN_FAILURES
        if int(cache.get(key, 0)) >= limit:
            raise Throttled(wait=expires_in)
        found = (
            ApiToken.objects.select_related("user")
            .filter(token_hash=ApiToken.hash_of(token))
            .first()
        )
        if found is None or found.revoked_at is not None or not found.user.is_active:
            failures = _count_failure(key, expires_in)
            if failures in (1, limit):
                reason = "revoked" if found is not None else "unknown_token"
                record_denied(
                    actor=found.user if found else None,
                    action="api_token.use",
                    object_type="api_token",
                    object_id=found.pk if found else "",
                    reason=reason if failures == 1 else "too_many_failures",
                    detail={
                        "count": failures,
                        "window_seconds": settings.NEEDLEPOINT_API_TOKEN_FAILURE_WINDOW_SECONDS,
                    },
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
