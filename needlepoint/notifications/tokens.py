"""Signed links in patient messages, and feed tokens.

Manage links carry a signed, time-stamped appointment id (Django's signing with the
SECRET_KEY): nothing to store, expiring after ``NEEDLEPOINT_MANAGE_LINK_DAYS``. Rotating the
secret key invalidates every link. Feed tokens are random and only their hash is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

MANAGE_SALT = "needlepoint.booking.manage"
OFFER_SALT = "needlepoint.waitlist.offer"


def manage_token(appointment_id: int) -> str:
    return signing.dumps({"a": appointment_id}, salt=MANAGE_SALT, compress=True)


def manage_appointment_id(token: str) -> int | None:
    """The appointment id in a valid, unexpired manage token; None otherwise."""
    try:
        data = signing.loads(
            token,
            salt=MANAGE_SALT,
            max_age=timedelta(days=settings.NEEDLEPOINT_MANAGE_LINK_DAYS),
        )
    except signing.BadSignature:
        return None
    value = data.get("a") if isinstance(data, dict) else None
    return value if isinstance(value, int) else None


def absolute(path: str) -> str:
    return settings.NEEDLEPOINT_BASE_URL.rstrip("/") + path


def manage_url(appointment_id: int) -> str:
    return absolute(reverse("booking:manage", args=[manage_token(appointment_id)]))


def offer_token(offer_id: int) -> str:
    return signing.dumps({"o": offer_id}, salt=OFFER_SALT, compress=True)


def offer_id_from(token: str) -> int | None:
    try:
        data = signing.loads(
            token,
            salt=OFFER_SALT,
            max_age=timedelta(days=settings.NEEDLEPOINT_MANAGE_LINK_DAYS),
        )
    except signing.BadSignature:
        return None
    value = data.get("o") if isinstance(data, dict) else None
    return value if isinstance(value, int) else None


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


def feed_token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()
