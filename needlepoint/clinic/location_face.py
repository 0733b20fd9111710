"""A location as patients meet it: its address, opening hours in words and a map link
(decision 0711). The public pages, the messages and the calendar entries all say the same."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from needlepoint.core.labels import clock_words

from .models import Location, WorkingHours

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class LocationFace:
    slug: str
    name: str
    address: str
    address_line: str
    phone: str
    hours: str
    map_url: str
    time_zone: str


def _days_words(first: int, last: int) -> str:
    if first == last:
        return DAY_NAMES[first]
    if last == first + 1:
        return f"{DAY_NAMES[first]} and {DAY_NAMES[last]}"
    return f"{DAY_NAMES[first]} to {DAY_NAMES[last]}"


def hours_words(spans: dict[int, tuple[time, time]]) -> str:
    """Weekday → (opens, closes) in words, consecutive days with the same hours together:
    "Monday to Friday, 9:00 am to 6:00 pm; Saturday, 10:00 am to 2:00 pm"."""
    runs: list[tuple[int, int, tuple[time, time]]] = []
    for day in sorted(spans):
        if runs and runs[-1][1] == day - 1 and runs[-1][2] == spans[day]:
            runs[-1] = (runs[-1][0], day, spans[day])
        else:
            runs.append((day, day, spans[day]))
    return "; ".join(
        f"{_days_words(first, last)}, {clock_words(opens)} to {clock_words(closes)}"
        for first, last, (opens, closes) in runs
    )


def derived_hours(location: Location) -> str:
    """The hours someone works at the location each weekday, earliest start to latest end."""
    spans: dict[int, tuple[time, time]] = {}
    for weekday, start, end in WorkingHours.objects.filter(location=location).values_list(
        "weekday", "start_time", "end_time"
    ):
        opens, closes = spans.get(weekday, (start, end))
        spans[weekday] = (min(opens, start), max(closes, end))
    return hours_words(spans)


def location_face(location: Location) -> LocationFace:
    return LocationFace(
        slug=location.slug,
        name=location.name,
        address=location.address,
        address_line=location.address_line,
        phone=location.phone,
        hours=location.opening_hours.strip() or derived_hours(location),
        map_url=location.map_url,
        time_zone=location.time_zone,
    )
