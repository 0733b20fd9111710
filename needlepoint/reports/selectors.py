"""Opening a report: audited in the primary, then read (from the replica when set)."""

from __future__ import annotations

from datetime import date
from typing import Any

from needlepoint.audit.services import record
from needlepoint.clinic.access import is_group_wide, location_for, visible_locations
from needlepoint.clinic.models import Location

from .database import reading_for_reports
from .pages import REPORTS, Report


def locations_for(slug: str, actor: Any = None) -> list[Location]:
    """One location by slug, or for "" every location the actor may see: the group for a
    group-wide user, their own locations otherwise (decision 0700). A location out of the
    actor's reach is NotFound (404)."""
    if slug:
        return (
            [location_for(actor, slug)]
            if actor is not None
            else list(Location.objects.filter(slug=slug))
        )
    return list(visible_locations(actor).order_by("name"))


def report_read(
    *, actor: Any, name: str, start: date, end: date, location_slug: str, download: bool = False
) -> Report:
    record(
        actor=actor,
        action="report.download" if download else "report.read",
        object_type="report",
        object_id=name,
        detail={"from": start.isoformat(), "to": end.isoformat(), "location": location_slug},
    )
    locations = locations_for(location_slug, actor)
    _, build = REPORTS[name]
    # Group figures (those no location owns, like the screening funnel's) only for the group.
    group = not location_slug and is_group_wide(actor)
    with reading_for_reports():
        return build(start, end, locations, group)
