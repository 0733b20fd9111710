"""Consent text versions published from the setup pages (decision 0413)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from needlepoint.accounts.models import User
from needlepoint.audit.services import record
from needlepoint.core.errors import Problems
from needlepoint.domain.charting import CONSENT_SECTIONS, parse_consent
from needlepoint.domain.errors import DataError

from ..models import (
    ConsentText,
)
from ..selectors import CONSENT_TEXTS_CACHE_KEY
from .common import required_text

# --- Consent texts ---------------------------------------------------------------------


def consent_text_publish(
    *,
    actor: User,
    version: str,
    sections: Mapping[str, tuple[str, str]],
    note: str,
    known_versions: Sequence[str],
    today: date,
    now: datetime | None = None,
) -> ConsentText:
    """Publish a new consent text version; patients sign it from now on. Versions already
    published (``known_versions``: the data file's and earlier ones) are never changed."""
    problems = Problems()
    version = required_text(problems, "version", version, 64)
    if version and (
        version in known_versions or ConsentText.objects.filter(version=version).exists()
    ):
        problems.add("version", f"version {version} already exists; name the new version")
    if len(note or "") > 300:
        problems.add("note", "is too long (at most 300 characters)")
    raw_sections = {
        key: {"title": sections.get(key, ("", ""))[0], "text": sections.get(key, ("", ""))[1]}
        for key in CONSENT_SECTIONS
    }
    raw = {
        "current": version or "new",
        "versions": [{"version": version or "new", "effective": today, "sections": raw_sections}],
        "photo_release": {"version": "check", "text": "check"},
    }
    try:
        parsed = parse_consent(raw).current
    except DataError as exc:
        # ("versions", 0, "sections", key, "title"|"text") -> "key-title"
        path = [str(p) for p in exc.path[3:5]]
        problems.add("-".join(path) if len(path) == 2 else "version", str(exc))
        parsed = None
    problems.raise_if_any()
    assert parsed is not None
    with transaction.atomic():
        published = ConsentText.objects.create(
            version=version,
            effective=today,
            sections=[{"key": s.key, "title": s.title, "text": s.text} for s in parsed.sections],
            text_hash=parsed.text_hash,
            note=(note or "").strip(),
            published_by=actor,
            published_at=now or timezone.now(),
        )
        record(
            actor=actor,
            action="consent_text.publish",
            object_type="consent_text",
            object_id=published.pk,
            detail={"version": version, "text_hash": published.text_hash},
        )
        # Dropped now (this request reads its own write) and again once committed (a reader
        # in between may have cached the list without it).
        cache.delete(CONSENT_TEXTS_CACHE_KEY)
        transaction.on_commit(lambda: cache.delete(CONSENT_TEXTS_CACHE_KEY))
    return published
