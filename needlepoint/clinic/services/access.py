"""Granting staff the locations they work at (decision 0700), audited.

A clinic admin grants only within their own reach: a location's admin grants or takes away
their own locations and leaves the others' grants as they are; only a group admin (a clinic
admin with the group-wide grant) grants "all locations (group)".
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from needlepoint.accounts.models import User
from needlepoint.accounts.roles import STAFF_ROLES
from needlepoint.audit.services import record
from needlepoint.core.errors import InvalidInput, NotFound

from ..access import forget_reach, is_group_wide, reach
from ..models import Location, LocationAccess

FIELD = "locations"


def location_access_set(
    *, actor: User, staff: User, location_ids: Iterable[int], group_wide: bool = False
) -> User:
    """Make ``staff``'s grants: ``group_wide``, or exactly ``location_ids`` (as far as the
    actor's reach goes; grants at locations outside it stay as they are)."""
    wanted = {int(pk) for pk in location_ids}
    actor_reach = reach(actor)
    if group_wide and actor_reach is not None:
        raise InvalidInput.one(FIELD, "Only a group admin may grant all locations (the group).")
    known = set(Location.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    if actor_reach is not None:
        known &= actor_reach
    if wanted - known:
        raise InvalidInput.one(FIELD, "Choose among the locations listed.")
    with transaction.atomic():
        current = list(
            LocationAccess.objects.select_for_update(of=("self",)).filter(user=staff).order_by("pk")
        )
        held = {row.location_id for row in current}
        had_group = None in held
        if had_group and actor_reach is not None:
            # The staff member works group-wide: a location's admin cannot narrow that.
            raise InvalidInput.one(
                FIELD, f"{staff.display_name} works at every location; ask a group admin."
            )
        managed = held - {None} if actor_reach is None else held & actor_reach
        final: set[int | None] = {None} if group_wide else (held - {None} - managed) | wanted
        if not final:
            raise InvalidInput.one(FIELD, "Choose at least one location they work at.")
        before, after = _described(held), _described(final)
        stale = [row.pk for row in current if row.location_id not in final]
        LocationAccess.objects.filter(pk__in=stale).delete()
        LocationAccess.objects.bulk_create(
            [LocationAccess(user=staff, location_id=pk) for pk in final - held]
        )
        if after != before:
            record(
                actor=actor,
                action="staff.locations",
                object_type="user",
                object_id=staff.pk,
                detail={"from": before, "to": after},
            )
    forget_reach(staff)
    return staff


def location_access_grant_group(*, staff: User) -> None:
    """Group-wide access for a staff member the system itself creates (a single-location
    clinic's invitations, the demo, commands): nobody has to think about locations there."""
    LocationAccess.objects.get_or_create(user=staff, location=None)
    forget_reach(staff)


def location_access_grant_at(*, staff: User, slugs: Iterable[str]) -> None:
    """Access at the named locations for a staff member the system itself creates (the
    demo's who-works-where table); like ``location_access_grant_group``, not audited."""
    for location in Location.objects.filter(slug__in=list(slugs)):
        LocationAccess.objects.get_or_create(user=staff, location=location)


def _described(held: set[int | None]) -> list[str]:
    """The grants in words for the audit trail: location names, or "all locations"."""
    if None in held:
        return ["all locations (group)"]
    return sorted(
        Location.objects.filter(pk__in=[pk for pk in held if pk is not None]).values_list(
            "name", flat=True
        )
    )


def staff_within_reach(*, actor: User, staff_id: int) -> User:
    """A staff member the actor may manage: one who works at one of the actor's locations
    (a group admin: anyone). Else NotFound (404), like an unknown person."""
    staff = User.objects.filter(pk=staff_id).first()
    if staff is None or not may_manage(actor, staff):
        raise NotFound("no such staff member")
    return staff


def may_manage(actor: User, staff: User) -> bool:
    """A group admin manages everyone; a location's admin, staff sharing a location with them
    (and not group-wide: those are the group's), plus staff with no grant yet."""
    if is_group_wide(actor):
        return True
    actor_reach = reach(actor) or frozenset()
    held = set(LocationAccess.objects.filter(user=staff).values_list("location_id", flat=True))
    if None in held:
        return False
    return not held or bool(held & actor_reach)


def managed_staff_ids(actor: User) -> list[int] | None:
    """The staff a clinic admin manages and whose trail they read (``may_manage`` for many
    at once): None (everyone) for a group admin; else those working at one of the actor's
    locations and not group-wide, those with no grant yet, and the actor."""
    ids = reach(actor)
    if ids is None:
        return None
    group = LocationAccess.objects.filter(location__isnull=True).values("user_id")
    found = (
        LocationAccess.objects.filter(location_id__in=sorted(ids))
        .exclude(user_id__in=group)
        .values_list("user_id", flat=True)
    )
    ungranted = (
        User.objects.filter(role__in=STAFF_ROLES)
        .exclude(location_grants__isnull=False)
        .values_list("pk", flat=True)
    )
    return sorted({*found, *ungranted, actor.pk})
