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


def derived_hours(locations: list[Location]) -> dict[int, str]:
    """Each location's hours, from when someone works there each weekday (earliest start to
    latest end), in one query whatever the number of locations."""
    spans: dict[int, dict[int, tuple[time, time]]] = {place.pk: {} for place in locations}
    rows = WorkingHours.objects.filter(location__in=[place.pk for place in locations])
    for location_id, weekday, start, end in rows.values_list(
        "location_id", "weekday", "start_time", "end_time"
    ):
        days = spans[location_id]
        opens, closes = days.get(weekday, (start, end))
        days[weekday] = (min(opens, start), max(closes, end))
    return {pk: hours_words(days) for pk, days in spans.items()}


def location_faces(locations: list[Location]) -> list[LocationFace]:
    """The faces of ``locations``; the derived hours of those without typed ones in one read."""
    untyped = [place for place in locations if not place.opening_hours.strip()]
    derived = derived_hours(untyped) if untyped else {}
    return [
        LocationFace(
            slug=place.slug,
            name=place.name,
            address=place.address,
            address_line=place.address_line,
            phone=place.phone,
            hours=place.opening_hours.strip() or derived.get(place.pk, ""),
            map_url=place.map_url,
            time_zone=place.time_zone,
        )
        for place in locations
    ]


def location_face(location: Location) -> LocationFace:
    return location_faces([location])[0]
