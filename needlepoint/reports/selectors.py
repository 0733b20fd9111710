"""Opening a report: audited in the primary, then read (from the replica when set)."""

from __future__ import annotations

from datetime import date
from typing import Any

from needlepoint.audit.services import record
from needlepoint.clinic.models import Location

from .database import reading_for_reports
from .pages import REPORTS, Report


def locations_for(slug: str) -> list[Location]:
    """One location by slug, or every location (the group) for ""."""
    found = Location.objects.all() if not slug else Location.objects.filter(slug=slug)
    return list(found.order_by("name"))


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
    locations = locations_for(location_slug)
    _, build = REPORTS[name]
    with reading_for_reports():
        return build(start, end, locations, not location_slug)
