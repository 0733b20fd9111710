"""The three parsers for values that enter from outside: bounded integers, text and dates.

Query parameters, form fields and API bodies go through these (or through the ninja schemas
built from the same bounds), so nothing unbounded reaches the database or date arithmetic:
no ``int("³")`` after ``"³".isdigit()``, no OFFSET past a 64-bit integer, no NUL byte for
PostgreSQL to refuse, no ``date.max + timedelta(days=1)``. Each refusal is an
``InvalidInput`` naming the field (decision 0250).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated

from ninja import Schema
from pydantic import AfterValidator, AwareDatetime, Field

from .errors import InvalidInput

# Far beyond any page or row a clinic has, far below what SQLite and PostgreSQL overflow on.
MAX_OFFSET = 1_000_000_000
MAX_PAGE = 1_000_000
# Dates a clinic can mean: anyone alive was born after 1900, and nothing is booked, shown or
# planned past 2199. Outside, ``date`` arithmetic (a week either side) could leave year 1-9999.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)

_ASCII_INT = re.compile(r"[+-]?[0-9]{1,19}")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_int(raw: object, field: str, *, minimum: int, maximum: int) -> int:
    """An integer written with ASCII digits within ``minimum..maximum``.

    ``str.isdigit()`` accepts superscripts and other scripts' digits that ``int()`` then
    refuses or reads differently; only 0-9 are numbers here.
    """
    if isinstance(raw, bool):
        raise InvalidInput.one(field, "must be a whole number")
    if isinstance(raw, int):
        value = raw
    else:
        text = str(raw).strip()
        if not _ASCII_INT.fullmatch(text):
            raise InvalidInput.one(field, "must be a whole number")
        value = int(text)
    if not minimum <= value <= maximum:
        raise InvalidInput.one(field, f"must be between {minimum} and {maximum}")
    return value


def whole_number(raw: object, *, digits: int = 9) -> int | None:
    """A non-negative integer typed with ASCII digits (at most ``digits`` of them), or None
    when the text is not one, for forms that re-show what was typed with their own message."""
    text = str(raw or "").strip()
    return int(text) if re.fullmatch(f"[0-9]{{1,{digits}}}", text) else None


def record_number(raw: object) -> int | None:
    """A database id typed by a person ("123"), or None when it is not one (for look-ups
    that treat anything else as "no such record" or as search text)."""
    number = whole_number(raw, digits=18)
    return number if number else None


def parse_text(raw: object, field: str, *, max_length: int, default: str = "") -> str:
    """Text without NUL or other control characters (tab and newlines allowed), trimmed."""
    if raw is None:
        return default
    text = str(raw)
    if len(text) > max_length:
        raise InvalidInput.one(field, f"must be at most {max_length} characters")
    if has_control_characters(text):
        raise InvalidInput.one(field, "must not contain control characters")
    return text.strip()


def has_control_characters(text: str) -> bool:
    return any(ord(c) < 32 and c not in "\t\r\n" for c in text) or "\x7f" in text


def parse_date(
    raw: object,
    field: str,
    *,
    earliest: date = EARLIEST_DATE,
    latest: date = LATEST_DATE,
) -> date:
    """A calendar date as YYYY-MM-DD within ``earliest..latest``."""
    if isinstance(raw, date):
        value = raw
    else:
        text = str(raw).strip()
        if not _ISO_DATE.fullmatch(text):
            raise InvalidInput.one(field, "must be a date as YYYY-MM-DD")
        try:
            value = date.fromisoformat(text)
        except ValueError:
            raise InvalidInput.one(field, "must be a real date as YYYY-MM-DD") from None
    if not earliest <= value <= latest:
        raise InvalidInput.one(field, f"must be between {earliest} and {latest}")
    return value


def parse_optional_date(raw: object, field: str, *, default: date) -> date:
    """``default`` when the parameter is absent or empty, else ``parse_date``."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return default
    return parse_date(raw, field)


def _clinic_date(value: date) -> date:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValueError(f"must be between {EARLIEST_DATE} and {LATEST_DATE}")
    return value


def _clinic_datetime(value: datetime) -> datetime:
    # Compared on the written date: converting year 9999 at -12:00 to UTC would overflow.
    _clinic_date(value.date())
    return value


# For API schemas: a date or an aware date-time within the bounds above (422 naming it).
ClinicDate = Annotated[date, AfterValidator(_clinic_date)]
ClinicDateTime = Annotated[AwareDatetime, AfterValidator(_clinic_datetime)]


class Page(Schema):
    """``?limit=&offset=`` of every API list (subclass to change the default or the cap)."""

    limit: int = Field(default=50, ge=1, le=200)
    offset: int = Field(default=0, ge=0, le=MAX_OFFSET)
