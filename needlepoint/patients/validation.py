"""Checks on patient demographics shared by the API and the pages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from needlepoint.core.errors import Problems

PHONE = re.compile(r"^\+?[0-9 ()./-]{7,20}$")


def check_patient_fields(
    *, given_name: str, family_name: str, date_of_birth: date, email: str, phone: str, today: date
) -> None:
    problems = Problems()
    if not given_name.strip():
        problems.add("given_name", "is required")
    if not family_name.strip():
        problems.add("family_name", "is required")
    if date_of_birth > today:
        problems.add("date_of_birth", "cannot be in the future")
    elif date_of_birth.year < 1900:
        problems.add("date_of_birth", "must be after 1900")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.add("email", "is not a valid email address")
    if phone and not PHONE.match(phone):
        problems.add("phone", "must be a phone number: digits, spaces, + ( ) - . / (7 to 20)")
    if not email and not phone:
        problems.add("email", "give an email or a phone number so the clinic can reach the patient")
    problems.raise_if_any()


# ---------------------------------------------------------------- what people type to find someone

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_ISO = re.compile(r"\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b")
_NUMERIC = re.compile(r"\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})\b")
_DAY_MONTH_YEAR = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH})\.?,?\s+(\d{{4}})\b", re.IGNORECASE
)
_MONTH_DAY_YEAR = re.compile(
    rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.IGNORECASE
)


@dataclass(frozen=True)
class TypedDate:
    """The dates a typed date can mean (3/4/1985 is 4 March here, 3 April elsewhere: both
    are looked for) and the text left once the date is taken out."""

    dates: tuple[date, ...]
    rest: str


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _full_year(year: str, today: date) -> int:
    """A two-digit year as a date of birth: never in the future (85 is 1985, 07 is 2007)."""
    value = int(year)
    if len(year) == 4:
        return value
    century = today.year - today.year % 100
    return century + value if century + value <= today.year else century - 100 + value


def typed_date(text: str, *, today: date) -> TypedDate | None:
    """The first date in ``text`` as a person would type a date of birth: 3/14/1985,
    14.03.1985, 1985-03-14, 14 March 1985, March 14, 1985 (month first when a numeric date
    could be either, and both when both are dates)."""
    found = _ISO.search(text)
    candidates: list[date | None] = []
    if found:
        candidates = [_day(int(found[1]), int(found[2]), int(found[3]))]
    elif found := _NUMERIC.search(text):
        first, second = int(found[1]), int(found[2])
        year = _full_year(found[3], today)
        candidates = [_day(year, first, second), _day(year, second, first)]
    elif found := _DAY_MONTH_YEAR.search(text):
        candidates = [_day(int(found[3]), MONTHS[found[2].lower()], int(found[1]))]
    elif found := _MONTH_DAY_YEAR.search(text):
        candidates = [_day(int(found[3]), MONTHS[found[1].lower()], int(found[2]))]
    if found is None:
        return None
    dates = tuple(dict.fromkeys(d for d in candidates if d is not None))
    if not dates:
        return None
    rest = (text[: found.start()] + " " + text[found.end() :]).strip()
    return TypedDate(dates=dates, rest=rest)


PHONE_TEXT = re.compile(r"^[0-9+()./ -]+$")


def typed_phone_digits(text: str) -> str:
    """The digits of ``text`` when it reads as (part of) a phone number, else ""."""
    if not PHONE_TEXT.match(text):
        return ""
    digits = re.sub(r"[^0-9]", "", text)
    return digits if len(digits) >= 3 else ""
