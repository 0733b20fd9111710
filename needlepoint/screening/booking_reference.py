"""The reference that carries a stored screening from its result to a booking.

Signed with the secret key for this one purpose, so only the person who was shown the result
(or the API client that submitted it) can attach the screening to a booking; the bare id, which
staff pages show, is not enough (docs/decisions/0262-screening-carried-to-booking.md).
"""

from __future__ import annotations

import uuid

from django.core import signing

SALT = "needlepoint.screening.booking-reference"
MAX_AGE_DAYS = 90  # a screening older than a season is taken again rather than carried


def booking_reference(screening_id: object) -> str:
    return signing.dumps(str(screening_id), salt=SALT, compress=False)


def screening_id_for(reference: str) -> uuid.UUID | None:
    """The screening a reference names, or None when it is forged, altered or too old."""
    try:
        value = signing.loads(reference, salt=SALT, max_age=MAX_AGE_DAYS * 86400)
        return uuid.UUID(str(value))
    except (signing.BadSignature, ValueError):
        return None
