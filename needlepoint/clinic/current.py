"""The location a staff member is working at right now: their choice, kept in the session.

A staff member may work at several locations; the header's switcher stores the choice
(docs/decisions/0405). ``current_location`` answers the session's choice while that location
still exists, else the clinic clock's default location. The list of locations the switcher
offers is kept in the session too, so the header costs no query on every page; it is
refreshed whenever a page that reads locations anyway (the calendar, the switch) runs.

Only the locations the user may act at are offered or answered (decision 0700): a staff member
granted one location never has another one chosen for them, not even as the default.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .access import may_act_at, visible_locations
from .clock import default_location
from .models import Location

SESSION_KEY = "current_location"
CHOICES_KEY = "location_choices"
DEFAULT_KEY = "default_location"


def _session(request: HttpRequest) -> Any:
    return getattr(request, "session", None)


def location_choices(request: HttpRequest) -> list[tuple[str, str]]:
    """(slug, name) of the locations the user may act at, remembered in the session."""
    session = _session(request)
    remembered = session.get(CHOICES_KEY) if session is not None else None
    if isinstance(remembered, list):
        return [(str(slug), str(name)) for slug, name in remembered]
    return refresh_location_choices(request)


def refresh_location_choices(request: HttpRequest) -> list[tuple[str, str]]:
    """Read the user's locations again: by name; the default (first by key) remembered."""
    user = getattr(request, "user", None)
    rows = list(visible_locations(user).order_by("pk").values_list("slug", "name"))
    session = _session(request)
    if session is not None:
        session[DEFAULT_KEY] = rows[0][0] if rows else ""
        session[CHOICES_KEY] = [list(row) for row in sorted(rows, key=lambda row: row[1])]
    return sorted(rows, key=lambda row: row[1])


def current_location(request: HttpRequest) -> Location | None:
    """The session's chosen location while it still exists and the user may act there, else
    the default location when they may, else the first of theirs (None: they have none)."""
    user = getattr(request, "user", None)
    session = _session(request)
    slug = session.get(SESSION_KEY) if session is not None else None
    if isinstance(slug, str) and slug:
        chosen = Location.objects.filter(slug=slug).first()
        if chosen is not None and may_act_at(user, chosen):
            return chosen
    default = default_location()
    if default is None or may_act_at(user, default):
        return default
    return visible_locations(user).order_by("pk").first()


def choose_location(request: HttpRequest, slug: str) -> Location | None:
    """Remember ``slug`` as the request's location; None (nothing stored) when there is no
    such one or the user may not act there."""
    chosen = Location.objects.filter(slug=slug[:100]).first() if slug else None
    if chosen is not None and not may_act_at(getattr(request, "user", None), chosen):
        chosen = None
    session = _session(request)
    if chosen is not None and session is not None:
        session[SESSION_KEY] = chosen.slug
    return chosen


def chosen_slug(request: HttpRequest) -> str:
    """The slug the header's switcher shows selected, without a query: the session's choice,
    else the default location remembered with the choices."""
    session = _session(request)
    if session is None:
        return ""
    slug = session.get(SESSION_KEY) or session.get(DEFAULT_KEY)
    return slug if isinstance(slug, str) else ""
