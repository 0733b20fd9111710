"""How staff are named to anyone who is not staff: an opaque public id and a display name,
never the username people sign in with (docs/decisions/0261-public-staff-ids.md)."""

from __future__ import annotations

from .models import User

# The same words for every wrong value: they neither echo it nor say whether it is a
# username, a former colleague or nothing at all.
NOT_BOOKABLE = "is not a staff member you can book with; leave it empty for anyone"


def staff_ref(user: User, *, for_staff: bool) -> str:
    return user.username if for_staff else user.public_id


def staff_name(user: User, *, for_staff: bool) -> str:
    return user.display_name if for_staff else user.public_name


def staff_by_public_id(public_id: str) -> User | None:
    return User.objects.filter(public_id=public_id, is_active=True).exclude(role="patient").first()
