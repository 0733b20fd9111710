"""Calendar arithmetic the rules are stated in: whole calendar months and age in years."""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def add_months(start: date, months: int) -> date:
    """``start`` moved by whole calendar months, clamped to the month's last day.

    Clinics say "six months after the last dose", so Aug 31 + 6 months is the end of
    February (28th or 29th), not a date in March.
    """
    month_index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(month_index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(start.day, last_day))


def add_offset(start: date, *, months: int, days: int) -> date:
    """Months first, then days, so "1 month 3 days" after Jan 31 is Mar 3 (or Mar 2)."""
    return add_months(start, months) + timedelta(days=days)


def age_on(date_of_birth: date, on: date) -> int:
    """Completed years on ``on``; someone born on Feb 29 turns a year older on Mar 1."""
    had_birthday = (on.month, on.day) >= (date_of_birth.month, date_of_birth.day)
    return on.year - date_of_birth.year - (0 if had_birthday else 1)
