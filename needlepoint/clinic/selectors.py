from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

from django.core.cache import cache
from django.db.models import QuerySet

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
