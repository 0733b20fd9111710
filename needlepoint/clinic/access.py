"""Where a staff member may act: the one place every entry point asks (decision 0700).

A role says *what* someone may do; a location grant says *where*. Staff act at the locations
granted to them (``LocationAccess`` rows), or everywhere with the group-wide grant. Patients
and the public are not bound to locations (a patient's record is shared across the group;
their own objects are guarded by ownership), so for them every location is in reach.

Refusals are 404 (``NotFound``), like an object that does not exist: a clerk at one location
learns nothing about another location's day, appointments or set-up by probing for them.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

from needlepoint.core.errors import NotFound

from .models import Location, LocationAccess
from .selectors import location_in_field

M = TypeVar("M", bound=Model)

# Remembered on the user object for the request: the grants are read once per request.
_CACHE_ATTRIBUTE = "_location_reach"


def _is_bound(user: Any) -> bool:
    """Staff are bound to their granted locations; patients and the public are not."""
    return bool(user is not None and getattr(user, "is_authenticated", False)) and bool(
        getattr(user, "is_clinic_staff", False)
    )


def reach(user: Any) -> frozenset[int] | None:
    """The ids of the locations ``user`` may act at; None means every location."""
    if not _is_bound(user) or getattr(user, "is_superuser", False):
        # A superuser is whoever runs the server (``createadmin``): the whole group.
        return None
    if hasattr(user, _CACHE_ATTRIBUTE):
        cached: frozenset[int] | None = getattr(user, _CACHE_ATTRIBUTE)
        return cached
    rows = list(
        LocationAccess.objects.filter(user_id=user.pk).values_list("location_id", flat=True)
    )
    found: frozenset[int] | None = None if None in rows else frozenset(rows)
    setattr(user, _CACHE_ATTRIBUTE, found)
    return found


def forget_reach(user: Any) -> None:
    """Drop the remembered grants (after they changed)."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def is_group_wide(user: Any) -> bool:
    """True when ``user`` acts at every location (staff with the group grant)."""
    return _is_bound(user) and reach(user) is None


def location_id_of(location: Location | int | None) -> int | None:
    if location is None or isinstance(location, int):
        return location
    return int(location.pk)


def may_act_at(user: Any, location: Location | int | None) -> bool:
    """May ``user`` act at ``location``? An object bound to no location is everyone's."""
    location_id = location_id_of(location)
    if location_id is None:
        return True
    ids = reach(user)
    return ids is None or location_id in ids


def require_at(user: Any, location: Location | int | None, what: str = "object") -> None:
    """NotFound (404) unless ``user`` may act at ``location``: nothing leaks that it exists."""
    if not may_act_at(user, location):
        raise NotFound(f"no such {what}")


def visible_locations(user: Any) -> QuerySet[Location]:
    """The locations ``user`` may see and choose, by name."""
    return within_reach(Location.objects.order_by("name"), user, field="pk")


def location_for(user: Any, slug: str) -> Location:
    """The location a URL or form names, when ``user`` may act there; else NotFound (404)."""
    found = Location.objects.filter(slug=slug[:100]).first() if slug else None
    if found is None or not may_act_at(user, found):
        raise NotFound(f"no location {slug!r}")
    return found


def within_reach(
    queryset: QuerySet[M], user: Any, *, field: str = "location", blank_too: bool = False
) -> QuerySet[M]:
    """``queryset`` narrowed to objects at the locations ``user`` may act at. ``field`` is
    the path to the location's id (``"appointment__location"``, ``"pk"`` for locations);
    ``blank_too`` keeps objects bound to no location (a waitlist entry "any location")."""
    ids = reach(user)
    if ids is None:
        return queryset
    lookup = field if field == "pk" else f"{field}_id" if "__" not in field else field
    condition = Q(**{f"{lookup}__in": sorted(ids)})
    if blank_too:
        condition |= Q(**{f"{field}__isnull": True})
    return queryset.filter(condition)


def location_ids_within(user: Any, wanted: Location | int | None) -> list[int] | None:
    """The location ids a filter should cover: ``wanted`` when given (NotFound when out of
    reach); for "every location", the user's own (None: no filter, the whole group)."""
    if wanted is not None:
        require_at(user, wanted, "location")
        return [location_id_of(wanted) or 0]
    ids = reach(user)
    return None if ids is None else sorted(ids)


def location_in_field_for(user: Any, slug: str | None, *, field: str = "location") -> Location:
    """The location a request field names (``selectors.location_in_field``'s rule), when
    ``user`` may act there, else NotFound (404). Blank: a staff member's only location."""
    if not slug:
        ids = reach(user)
        if ids is not None and len(ids) == 1:
            return Location.objects.get(pk=next(iter(ids)))
    found = location_in_field(slug, field=field)
    require_at(user, found, "location")
    return found


def optional_location_in_field_for(
    user: Any, slug: str | None, *, field: str = "location"
) -> Location | None:
    """Like ``location_in_field_for``; None when the field is blank (any location)."""
    return location_in_field_for(user, slug, field=field) if slug else None
