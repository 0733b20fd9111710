"""Reads of the clinic's set-up, and the lookups every entry point uses (docs/decisions/0308).

Which location is meant, one rule per situation:

- a URL names it (``/locations/{slug}/...``): ``location_at(slug)``, or NotFound;
- a request field names it (``"location": "downtown"``): ``location_in_field(slug)``; a
  name that matches nothing is InvalidInput on that field; a blank field means the clinic's
  only location (``only_location()``), and InvalidInput when it has several (or none);
- a field that may stay blank (a waitlist entry "any location"): ``optional_location_in_field``;
- a page or a date with no location chosen: ``needlepoint.clinic.clock.default_location``
  (the first location by primary key), the location whose zone says what "today" is.

A service named in a request field: ``service_in_field(slug)``; by URL: ``service_at(slug)``.
"""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

from django.core.cache import cache
from django.db.models import QuerySet

from needlepoint.core.errors import InvalidInput, NotFound
from needlepoint.domain.charting import ConsentLibrary, ConsentSection, ConsentVersion

from .models import ConsentText, Device, Location, Room, Service

CONSENT_TEXTS_CACHE_KEY = "clinic:published-consent-texts"
# Other processes see a new version within this time even with a per-process cache.
CONSENT_TEXTS_CACHE_SECONDS = 60


def public_services() -> QuerySet[Service]:
    return Service.objects.filter(active=True).order_by("name")


def service_by_slug(slug: str) -> Service | None:
    return Service.objects.filter(slug=slug, active=True).first()


def locations() -> QuerySet[Location]:
    return Location.objects.order_by("name")


def location_by_slug(slug: str) -> Location | None:
    return Location.objects.filter(slug=slug).first()


def rooms_at(location: Location) -> QuerySet[Room]:
    return Room.objects.filter(location=location).order_by("slug")


def devices_at(location: Location) -> QuerySet[Device]:
    return Device.objects.filter(location=location).order_by("slug")


def location_at(slug: str) -> Location:
    """The location a URL names (404 when there is none)."""
    location = location_by_slug(slug)
    if location is None:
        raise NotFound(f"no location {slug!r}")
    return location


def service_at(slug: str) -> Service:
    """The active service a URL names (404 when there is none)."""
    service = service_by_slug(slug)
    if service is None:
        raise NotFound(f"no service {slug!r}")
    return service


def only_location() -> Location | None:
    """The location when the clinic has exactly one; None when it has none or several."""
    found = list(Location.objects.order_by("slug")[:2])
    return found[0] if len(found) == 1 else None


LOCATION_REQUIRED = "is required when the clinic has several locations"


def location_in_field(
    slug: str | None, *, field: str = "location", missing: str = LOCATION_REQUIRED
) -> Location:
    """The location a request field names; blank: the clinic's only location."""
    if slug:
        location = location_by_slug(slug)
        if location is None:
            raise InvalidInput.one(field, f"there is no location {slug!r}")
        return location
    found = only_location()
    if found is None:
        raise InvalidInput.one(field, missing)
    return found


def optional_location_in_field(slug: str | None, *, field: str = "location") -> Location | None:
    """The location a request field names, or None when the field is blank."""
    return location_in_field(slug, field=field) if slug else None


def service_in_field(slug: str, *, field: str = "service") -> Service:
    """The active service a request field names (InvalidInput on that field otherwise)."""
    service = service_by_slug(slug)
    if service is None:
        raise InvalidInput.one(field, f"there is no service {slug!r}")
    return service


def active_services() -> QuerySet[Service]:
    """Active services in the database's order (a page's choice list)."""
    return Service.objects.filter(active=True)


def clinic_phone() -> str:
    """The phone number patients are told to call: the first location's (by primary key)."""
    return Location.objects.order_by("pk").values_list("phone", flat=True).first() or ""


# --- Consent texts published from the setup pages --------------------------------------


def published_consent_texts() -> list[ConsentVersion]:
    """Versions published from the setup pages, oldest first. Cached (the cache entry is
    dropped when one is published), so signing and charting pages pay no query for it."""
    cached = cache.get(CONSENT_TEXTS_CACHE_KEY)
    if cached is None:
        cached = [
            ConsentVersion(
                row.version,
                row.effective,
                tuple(ConsentSection(s["key"], s["title"], s["text"]) for s in row.sections),
            )
            for row in ConsentText.objects.order_by("published_at", "id")
        ]
        cache.set(CONSENT_TEXTS_CACHE_KEY, cached, CONSENT_TEXTS_CACHE_SECONDS)
    return list(cached)


def with_published_consent_texts(base: ConsentLibrary) -> ConsentLibrary:
    """The data file's consent texts with the published ones after them; the newest
    published version, when there is one, is the one in force."""
    published = published_consent_texts()
    if not published:
        return base
    versions = {**base.versions, **{v.version: v for v in published}}
    return replace(base, versions=MappingProxyType(versions), current_version=published[-1].version)
