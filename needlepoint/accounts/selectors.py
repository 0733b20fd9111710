"""Lookups of staff members for entry points (docs/decisions/0308).

Staff name a colleague by username; anyone else (a patient, the public) by the opaque public
id (docs/decisions/0261-public-staff-ids.md). A wrong public id always answers the same words,
whatever was sent.
"""

from __future__ import annotations

from collections.abc import Iterable

from needlepoint.core.errors import InvalidInput

from .models import User
from .public_ids import NOT_BOOKABLE, staff_by_public_id


def active_staff_by_username(username: str) -> User | None:
    return User.objects.filter(username=username, is_active=True).exclude(role="patient").first()


def staff_in_field(ref: str | None, *, field: str = "staff", for_staff: bool = True) -> User | None:
    """The staff member a request field names (None when blank); InvalidInput on the field
    when nobody bookable answers to it."""
    if not ref:
        return None
    if not for_staff:
        found = staff_by_public_id(ref)
        if found is None:
            raise InvalidInput.one(field, NOT_BOOKABLE)
        return found
    found = active_staff_by_username(ref)
    if found is None:
        raise InvalidInput.one(field, f"there is no staff member {ref!r}")
    return found


def users_by_username(usernames: Iterable[str]) -> dict[str, User]:
    """The users with these usernames, by username (one query)."""
    return {u.username: u for u in User.objects.filter(username__in=set(usernames))}
