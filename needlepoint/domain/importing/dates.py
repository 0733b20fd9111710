"""Dates and times as an old system wrote them into an export, read without guessing.

ISO dates (1980-04-03) are always read. A numeric date like 03/04/1980 is read in the file's
date order: day first (``dmy``) or month first (``mdy``). With no order given (``None``) a
date is read only when just one reading exists (13/04/1980, 04/13/1980, 05/05/1980); the
others are refused as ambiguous, never guessed. ``file_date_order`` finds the order a file
proves by itself (any 13/04/1980 in it). Two-digit years are refused: 03/04/80 may be 1980
or 2080, and a date of birth must not be a guess. Month names (3 April 1980, Apr 3, 1980)
need no order. See docs/decisions/0610-import-from-another-system.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Literal

from needlepoint.domain.errors import DomainError

DateOrder = Literal["dmy", "mdy"]

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTHS = {name.lower(): n for n, name in enumerate(MONTH_NAMES, start=1)} | {
    name[:3].lower(): n for n, name in enumerate(MONTH_NAMES, start=1)
}
_MONTHS["sept"] = 9
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))

_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d+)$")
_DAY_NAME = re.compile(rf"^(\d{{1,2}})(?:st|nd|rd|th)?[\s-]+({_MONTH})\.?,?[\s-]+(\d+)$", re.I)
_NAME_DAY = re.compile(rf"^({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d+)$", re.I)
_TIME = re.compile(r"(\d{1,2})[:.](\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?", re.I)
_TIME_AT_END = re.compile(r"\s(\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?)$", re.I)


class DateRefused(DomainError):
    """A date that cannot be read; the message says why, in words, for a clinic admin."""

    code = "date_refused"


def in_words(day: date) -> str:
    """3 April 1980: a date nobody reads the wrong way round."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def _calendar_date(text: str, year: int, month: int, day: int) -> date:
    if len(str(year)) != 4:
        raise DateRefused(f"“{text}” has a two-digit year; write the year in full")
    if not 1 <= month <= 12:
        raise DateRefused(f"“{text}” is not a date: {month} is not a month")
    try:
        return date(year, month, day)
    except ValueError:
        raise DateRefused(f"“{text}” is not a date in the calendar") from None


def read_date(text: str, order: DateOrder | None) -> date:
    """The date ``text`` means, or DateRefused saying why it cannot be read."""
    value = " ".join(text.split())
    if not value:
        raise DateRefused("is missing")
    if re.fullmatch(r"\d{4}(-\d{1,2})?", value):
        raise DateRefused(f"“{value}” is not a whole date: the day, month and year are needed")
    if found := _ISO.match(value):
        return _calendar_date(value, int(found[1]), int(found[2]), int(found[3]))
    if found := _DAY_NAME.match(value):
        return _named(value, found[3], found[2], found[1])
    if found := _NAME_DAY.match(value):
        return _named(value, found[3], found[1], found[2])
    if found := _NUMERIC.match(value):
        first, second, year = int(found[1]), int(found[2]), found[3]
        if len(year) != 4:
            raise DateRefused(f"“{value}” has a two-digit year; write the year in full")
        if order is None:
            order = _only_reading(value, first, second, int(year))
        day, month = (first, second) if order == "dmy" else (second, first)
        return _calendar_date(value, int(year), month, day)
    raise DateRefused(f"“{value}” is not a date we can read (write it as 1980-04-03)")


def _named(text: str, year: str, month: str, day: str) -> date:
    if len(year) != 4:
        raise DateRefused(f"“{text}” has a two-digit year; write the year in full")
    return _calendar_date(text, int(year), _MONTHS[month.lower().rstrip(".")], int(day))


def _only_reading(text: str, first: int, second: int, year: int) -> DateOrder:
    """The order in which a numeric date can be read when only one reading is a date."""
    if first == second or second > 12:
        return "mdy"
    if first > 12:
        return "dmy"
    day_first = _calendar_date(text, year, second, first)
    month_first = _calendar_date(text, year, first, second)
    raise DateRefused(
        f"“{text}” could be {in_words(day_first)} or {in_words(month_first)}; "
        "say whether the file writes the day or the month first"
    )


def file_date_order(texts: Iterable[str]) -> DateOrder | None:
    """The order a file's numeric dates prove (some day above 12 in one place only), or None
    when none does or the file writes both orders (then ambiguous dates stay refused)."""
    seen: set[DateOrder] = set()
    for text in texts:
        value = " ".join(text.split()).split(" ")[0] if text.strip() else ""
        found = _NUMERIC.match(value)
        if not found:
            continue
        first, second = int(found[1]), int(found[2])
        if first > 12 >= second:
            seen.add("dmy")
        elif second > 12 >= first:
            seen.add("mdy")
    return seen.pop() if len(seen) == 1 else None


def read_time(text: str) -> time:
    """10:30, 10.30, 10:30:00, 2:15 pm."""
    value = " ".join(text.split())
    found = _TIME.fullmatch(value)
    if not found:
        raise DateRefused(f"“{value}” is not a time we can read (write it as 14:30)")
    hour, minute = int(found[1]), int(found[2])
    meridiem = (found[4] or "").lower().replace(".", "")
    if meridiem:
        if not 1 <= hour <= 12:
            raise DateRefused(f"“{value}” is not a time")
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if hour > 23 or minute > 59:
        raise DateRefused(f"“{value}” is not a time")
    return time(hour, minute)


def read_date_time(text: str, order: DateOrder | None) -> datetime:
    """A date and a time in one cell (2027-03-15 10:00, 15/03/2027 10:00, 2027-03-15T10:00);
    a naive local wall-clock time: the location's zone is applied by the caller."""
    value = " ".join((text.replace("T", " ", 1) if _starts_iso(text) else text).split())
    if not value:
        raise DateRefused("is missing")
    found = _TIME_AT_END.search(value)
    if not found:
        raise DateRefused(f"“{value}” has no time of day (write it as 2027-03-15 14:30)")
    day = read_date(value[: found.start()].rstrip(" ,"), order)
    return datetime.combine(day, read_time(found[1]))


def _starts_iso(text: str) -> bool:
    return bool(re.match(r"^\s*\d{4}-\d{1,2}-\d{1,2}T", text))
