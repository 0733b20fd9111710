"""A date of birth as a caller says it and the front desk types it (pure Python)."""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def birth_dates_in(text: str) -> set[date]:
    """The dates of birth a caller's answer may mean: 1990-05-01, 01/05/1990 (either order:
    callers say both), "1 May 1990", "May 1 1990". Empty when the text is not one date."""
    words = [w for w in re.split(r"[\s,./-]+", text.strip().lower()) if w]
    if len(words) != 3:
        return set()
    if all(w.isdigit() for w in words):
        a, b, c = (int(w) for w in words)
        if len(words[0]) == 4:
            found = {_day(a, b, c)}
        elif len(words[2]) == 4:
            found = {_day(c, b, a), _day(c, a, b)}
        else:
            return set()
        return {d for d in found if d is not None}
    numbers = [w for w in words if w.isdigit()]
    months = [_MONTHS[w] for w in words if w in _MONTHS]
    if len(numbers) != 2 or len(months) != 1:
        return set()
    day, year = sorted((int(n) for n in numbers), key=lambda n: n > 31)
    found_one = _day(year, months[0], day) if year > 1000 else None
    return {found_one} if found_one else set()
