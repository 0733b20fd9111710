"""What the clinic services share: the weekday names, small checks and taking a row in and
out of use."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.text import slugify

from needlepoint.accounts.models import User
from needlepoint.audit.services import record
from needlepoint.core.errors import Problems

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def required_text(problems: Problems, field: str, value: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        problems.add(field, "is required")
    elif len(value) > limit:
        problems.add(field, f"is too long (at most {limit} characters)")
    return value


def optional_text(problems: Problems, field: str, value: str, limit: int) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        problems.add(field, f"is too long (at most {limit} characters)")
    return value


def name_taken(rows: Any, name: str, *, other_than: Any = None) -> bool:
    """Whether a row among ``rows`` already has ``name`` (any case), the one being changed
    (``other_than``) aside; an empty name is reported as missing, not as taken."""
    if other_than is not None:
        rows = rows.exclude(pk=other_than.pk)
    return bool(name) and rows.filter(name__iexact=name).exists()


def active_set(*, actor: User, item: Any, active: bool, object_type: str, on: str, off: str) -> Any:
    """Put a row back in use or out of it (never deleted: other records name it), audited
    as ``<object_type>.<on>`` or ``<object_type>.<off>``."""
    with transaction.atomic():
        item.active = active
        item.save(update_fields=["active"])
        record(
            actor=actor,
            action=f"{object_type}.{on if active else off}",
            object_type=object_type,
            object_id=item.pk,
        )
    return item


def unique_slug(model: Any, text: str, *, exclude: int | None = None) -> str:
    base = slugify(text)[:40] or "item"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exclude(pk=exclude).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
