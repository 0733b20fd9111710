"""Times, gaps, staff, rooms and pens as the front desk reads them (docs/decisions/0420).

Never an ISO timestamp, a username or a slug: "Thursday 3 December 2026, 9:30 am with Dana
Lee in Treatment room 1, pen EMP-EVO-240117".
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from needlepoint.core import labels
from needlepoint.core.labels import count_words, day_words


def clock_words(moment: datetime) -> str:
    """The one clock style of every page (core.labels.clock_words, decision 0510)."""
    return labels.clock_words(moment)


def when_words(moment: datetime, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return f"{day_words(local.date())}, {clock_words(local)}"


def pen_name(device: Any) -> str:
    """A pen by the serial number printed on it (two pens of one model differ only there)."""
    return str(device.serial_number)


def pen_choice(device: Any) -> str:
    """A pen in a list to choose from: its serial number and model."""
    return f"{device.serial_number} ({device.model_name})"


def gap_words(days: int) -> str:
    """A spacing in weeks (and days) as people say it: "4 weeks", "3 weeks and 2 days"."""
    weeks, rest = divmod(days, 7)
    if not weeks:
        return count_words(rest, "day")
    if not rest:
        return count_words(weeks, "week")
    return f"{count_words(weeks, 'week')} and {count_words(rest, 'day')}"


def place_words(*, staff: str, room: str, pen: str) -> str:
    """ "with Dana Lee in Treatment room 1, pen …" (the pen only when the service uses one)."""
    words = f"with {staff} in {room}"
    return f"{words}, pen {pen}" if pen else words
