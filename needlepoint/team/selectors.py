"""Reads for the team pages: staff accounts only (patients' logins never appear here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from allauth.mfa.models import Authenticator
from django.db.models import Exists, OuterRef, QuerySet

from needlepoint.accounts.models import User
from needlepoint.accounts.roles import STAFF_ROLES
from needlepoint.clinic.models import Location, LocationAccess
from needlepoint.core.errors import NotFound

from .wording import STATUS_WORDS, last_sign_in_words, status_of


@dataclass(frozen=True)
class StaffMember:
    user: User
    status: str
    status_words: str
    role_words: str
    last_sign_in: str
    has_second_factor: bool

    @property
    def pk(self) -> int:
        return int(self.user.pk)


def _staff() -> QuerySet[User]:
    totp = Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
    return User.objects.filter(role__in=STAFF_ROLES).annotate(has_totp=Exists(totp))


def _member(user: User, now: datetime) -> StaffMember:
    status = status_of(is_active=user.is_active, has_password=user.has_usable_password())
    return StaffMember(
        user=user,
        status=status,
        status_words=STATUS_WORDS[status],
        role_words=user.get_role_display(),
        last_sign_in=last_sign_in_words(user.last_login, now),
        has_second_factor=bool(getattr(user, "has_totp", False)),
    )


def staff_members(*, now: datetime) -> list[StaffMember]:
    """Everyone on staff in one query: active and invited first, then deactivated, by name."""
    users = _staff().order_by("-is_active", "first_name", "last_name", "pk")
    return [_member(user, now) for user in users]


def staff_member(*, user_id: int, now: datetime) -> StaffMember:
    user = _staff().filter(pk=user_id).first()
    if user is None:
        raise NotFound("no such staff member")
    return _member(user, now)


def held_locations(user: User) -> set[int | None]:
    """The location ids granted to ``user`` (None: the group-wide grant)."""
    return set(LocationAccess.objects.filter(user=user).values_list("location_id", flat=True))


def works_at_words(user: User) -> str:
    """Where they work, in words: "all locations (group)", or the locations by name."""
    held = held_locations(user)
    if None in held:
        return "all locations (group)"
    names = list(
        Location.objects.filter(pk__in=[pk for pk in held if pk is not None])
        .order_by("name")
        .values_list("name", flat=True)
    )
    return ", ".join(names) if names else "no location yet"
