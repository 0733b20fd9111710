"""The clinic as its public pages show it: a name and the picture at the top (decision 0511).

Every page's header names the clinic, so the answer is cached (the cache is shared between
processes in production and cleared between tests); ``forget_public_face`` runs when the
clinic admin saves the "Public pages" setup.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError

from .models import ClinicProfile

CACHE_KEY = "clinic:public-face"
CACHE_SECONDS = 300


@dataclass(frozen=True)
class PublicFace:
    name: str
    # The stored picture's file name (served by the site's picture view), "" for the default.
    picture: str
    picture_alt: str


def public_face() -> PublicFace:
    cached = cache.get(CACHE_KEY)
    if isinstance(cached, PublicFace):
        return cached
    row = ClinicProfile.objects.filter(pk=1).first()
    face = PublicFace(
        name=row.name if row and row.name else str(settings.NEEDLEPOINT_CLINIC_NAME),
        picture=PurePosixPath(str(row.hero_image.name)).name if row and row.hero_image else "",
        picture_alt=row.hero_alt if row else "",
    )
    cache.set(CACHE_KEY, face, CACHE_SECONDS)
    return face


def cached_clinic_name() -> str:
    """The clinic's name without asking the database (the 500 page: the error may be the
    database's): the cached profile's name, else the deployment's name. The cache may itself
    be a database table (production's default), hence the guard."""
    try:
        cached = cache.get(CACHE_KEY)
    except DatabaseError:
        cached = None
    if isinstance(cached, PublicFace):
        return cached.name
    return str(settings.NEEDLEPOINT_CLINIC_NAME)


def stored_picture_path() -> str:
    """The storage path of the clinic's own picture ("" when it uses the default)."""
    row = ClinicProfile.objects.filter(pk=1).only("hero_image").first()
    return str(row.hero_image.name) if row and row.hero_image else ""


def forget_public_face() -> None:
    cache.delete(CACHE_KEY)
