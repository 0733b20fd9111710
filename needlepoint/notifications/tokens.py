"""Signed links in patient messages, and feed tokens.

Manage links and waitlist offers carry a signed, time-stamped claim (Django's signing with the
SECRET_KEY), expiring after ``NEEDLEPOINT_MANAGE_LINK_DAYS``: the record's id and its own
random ``link_secret``. Ids are handed out again after a restore from a backup; the secret is
not, so a link opens only the record it was sent for. Links in the older format (id only) open
a record only if it existed when the link was signed (docs/decisions/0220-link-secrets.md).
Rotating the secret key invalidates every link. Feed tokens are random and only their hash is
stored.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from django.conf import settings
from django.core import signing
from django.urls import reverse

MANAGE_SALT = "needlepoint.booking.manage"
OFFER_SALT = "needlepoint.waitlist.offer"


class Linkable(Protocol):
    pk: int
    link_secret: str
    created_at: datetime


@dataclass(frozen=True)
class LinkClaim:
    record_id: int
    secret: str | None  # None: a link in the older format, from before link secrets
    signed_at: datetime  # the signature covers it; whole seconds


def _sign(record: Linkable, key: str, salt: str) -> str:
    return signing.dumps({key: record.pk, "s": record.link_secret}, salt=salt, compress=True)


def _read(token: str, key: str, salt: str) -> LinkClaim | None:
    try:
        data = signing.loads(
            token, salt=salt, max_age=timedelta(days=settings.NEEDLEPOINT_MANAGE_LINK_DAYS)
        )
        # "payload:timestamp:signature"; the signature covers the timestamp.
        signed_at = datetime.fromtimestamp(signing.b62_decode(token.rsplit(":", 2)[-2]), UTC)
    except (signing.BadSignature, ValueError, OverflowError):
        return None
    if not isinstance(data, dict):
        return None
    record_id, secret = data.get(key), data.get("s")
    if not isinstance(record_id, int) or isinstance(record_id, bool):
        return None
    if secret is not None and not isinstance(secret, str):
        return None
    return LinkClaim(record_id, secret, signed_at)


def link_opens(claim: LinkClaim, record: Linkable) -> bool:
    """Whether the link was sent for this very record, not an earlier one with its id."""
    if claim.secret is not None:
        return hmac.compare_digest(claim.secret.encode(), record.link_secret.encode())
    # Older format: the record must already have existed when the link was signed (the
    # timestamp is whole seconds, so allow the rest of that second).
    return record.created_at < claim.signed_at + timedelta(seconds=1)


def manage_token(appointment: Linkable) -> str:
    return _sign(appointment, "a", MANAGE_SALT)


def manage_claim(token: str) -> LinkClaim | None:
    """The claim of a valid, unexpired manage token; None otherwise."""
    return _read(token, "a", MANAGE_SALT)


def absolute(path: str) -> str:
    return settings.NEEDLEPOINT_BASE_URL.rstrip("/") + path


def manage_url(appointment: Linkable) -> str:
    return absolute(reverse("booking:manage", args=[manage_token(appointment)]))


def offer_token(offer: Linkable) -> str:
    return _sign(offer, "o", OFFER_SALT)


def offer_claim(token: str) -> LinkClaim | None:
    return _read(token, "o", OFFER_SALT)


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


def feed_token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()
