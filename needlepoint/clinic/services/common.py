"""What the clinic services share: the weekday names and two small checks."""

from __future__ import annotations

from typing import Any

from django.utils.text import slugify

from needlepoint.core.errors import Problems

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def required_text(problems: Problems, field: str, value: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        problems.add(field, "is required")
    elif len(value) > limit:
        problems.add(field, f"is too long (at most {limit} characters)")
    return value


def unique_slug(model: Any, text: str, *, exclude: int | None = None) -> str:
    base = slugify(text)[:40] or "item"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exclude(pk=exclude).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
