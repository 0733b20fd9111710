"""UTC intervals, their algebra, and local working hours expanded into UTC.

Every instant here is an aware datetime normalised to UTC. The clinic's zone is used only to
turn local wall-clock hours into instants, one local day at a time, so a DST day is 23 or
25 hours long and a 09:00 shift starts at 09:00 local on both sides of the change.

Local times that do not exist or exist twice are resolved in ``local_to_utc``:

* nonexistent (the hour skipped in spring): the first instant after the gap, i.e. the moment
  the clocks jump; a shift 02:30-05:00 becomes 03:00-05:00, a shift 02:00-03:00 vanishes.
* ambiguous (the hour repeated in autumn): the earlier occurrence (``fold=0``); a shift
  00:00-01:30 ends at the first 01:30, a shift 00:00-03:00 is four hours long.

Both rules keep the local-to-UTC mapping monotonic, so a span can shrink but never invert.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from operator import attrgetter
from zoneinfo import ZoneInfo

from needlepoint.domain.errors import DomainError

ONE_DAY = timedelta(days=1)
RESOLUTION = timedelta(microseconds=1)  # the smallest step between two datetimes
MINUTES_PER_DAY = 24 * 60
LocalSpan = tuple[time, time]


def as_utc(value: datetime, name: str = "datetime") -> datetime:
    """``value`` in UTC; refuses naive datetimes because their instant is unknown."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise DomainError(f"{name} must be timezone-aware", code="naive_datetime")
    return value if value.tzinfo is UTC else value.astimezone(UTC)


@dataclass(frozen=True, slots=True, order=True)
class Interval:
    """The half-open span [start, end) of UTC time; never empty."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        start, end = self.start, self.end
        if start.tzinfo is UTC and end.tzinfo is UTC and start < end:
            return  # already valid (the common case): nothing to convert
        start, end = as_utc(start, "start"), as_utc(end, "end")
        if not start < end:
            raise DomainError(
                f"interval must end after it starts: {start} >= {end}",
                code="invalid_interval",
            )
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)

    @property
    def duration(self) -> timedelta:
        return self.end - self.start

    def overlaps(self, other: Interval) -> bool:
        # Half-open: [9, 10) and [10, 11) touch but do not overlap.
        return self.start < other.end and other.start < self.end

    def contains(self, other: Interval | datetime) -> bool:
        if isinstance(other, Interval):
            return self.start <= other.start and other.end <= self.end
        return self.start <= other < self.end

    def intersection(self, other: Interval) -> Interval | None:
        start, end = max(self.start, other.start), min(self.end, other.end)
        return Interval(start, end) if start < end else None


_bounds = attrgetter("start", "end")


_new = object.__new__
_set = object.__setattr__


def _trusted(start: datetime, end: datetime) -> Interval:
    # For bounds taken from valid intervals: the algebra builds many, and validating each
    # again was most of its running time.
    interval = _new(Interval)
    _set(interval, "start", start)
    _set(interval, "end", end)
    return interval


def utc_interval(start: datetime, end: datetime) -> Interval:
    """``Interval(start, end)`` for bounds that are usually already valid UTC (database rows).

    Two identity tests and one comparison instead of the full validation; anything else
    (another zone, naive, empty) takes the full constructor and is converted or refused
    exactly as there.
    """
    if start.tzinfo is UTC and end.tzinfo is UTC and start < end:
        # _trusted inlined: this runs once per booked row of a month's calendar.
        interval = _new(Interval)
        _set(interval, "start", start)
        _set(interval, "end", end)
        return interval
    return Interval(start, end)


def normalise(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, with overlapping and touching intervals merged: the canonical form."""
    merged: list[Interval] = []
    for current in sorted(intervals, key=_bounds):
        if merged and current.start <= merged[-1].end:
            if current.end > merged[-1].end:
                merged[-1] = _trusted(merged[-1].start, current.end)
        else:
            merged.append(current)
    return merged


def union(*groups: Iterable[Interval]) -> list[Interval]:
    return normalise(interval for group in groups for interval in group)


def intersect(first: Iterable[Interval], second: Iterable[Interval]) -> list[Interval]:
    """The time covered by both, normalised (a linear sweep over both sorted lists)."""
    a, b = normalise(first), normalise(second)
    result: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start, end = max(a[i].start, b[j].start), min(a[i].end, b[j].end)
        if start < end:
            result.append(_trusted(start, end))
        if a[i].end <= b[j].end:
            i += 1
        else:
            j += 1
    return result


def subtract(base: Iterable[Interval], removed: Iterable[Interval]) -> list[Interval]:
    """The time in ``base`` not covered by ``removed``, normalised."""
    cuts = normalise(removed)
    result: list[Interval] = []
    j = 0
    for interval in normalise(base):
        start = interval.start
        # Cuts ending before this interval can't affect it or any later one.
        while j < len(cuts) and cuts[j].end <= start:
            j += 1
        k = j
        while k < len(cuts) and cuts[k].start < interval.end:
            if cuts[k].start > start:
                result.append(_trusted(start, cuts[k].start))
            start = max(start, cuts[k].end)
            k += 1
        if start < interval.end:
            result.append(_trusted(start, interval.end) if start != interval.start else interval)
    return result


def fitting_starts(free: Iterable[Interval], length: timedelta) -> list[Interval]:
    """The instants at which something ``length`` long can start and stay inside ``free``.

    From a free [a, b) that is the closed range [a, b - length]; datetimes step by one
    microsecond, so that closed range is exactly the half-open [a, b - length + 1µs).
    """
    last_start_gap = length - RESOLUTION
    return [
        _trusted(gap.start, gap.end - last_start_gap)
        for gap in normalise(free)
        if gap.end - gap.start >= length
    ]


def covered_duration(intervals: Iterable[Interval]) -> timedelta:
    """Length of the union (overlaps counted once)."""
    return sum((interval.duration for interval in normalise(intervals)), timedelta())


def covers(normalised: Sequence[Interval], needed: Interval) -> bool:
    """Whether one interval of a normalised list contains ``needed`` entirely (bisect)."""
    index = bisect_right(normalised, needed.start, key=lambda interval: interval.start) - 1
    return index >= 0 and normalised[index].contains(needed)


def overlaps_any(normalised: Sequence[Interval], probe: Interval) -> bool:
    """Whether ``probe`` overlaps any interval of a normalised list (bisect)."""
    index = bisect_left(normalised, probe.end, key=lambda interval: interval.start) - 1
    return index >= 0 and normalised[index].end > probe.start


def local_to_utc(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of local wall-clock ``at`` on ``day``; see the module doc for DST."""
    if at.tzinfo is not None:
        raise DomainError("local times must be naive wall-clock times", code="aware_local_time")
    wall = datetime.combine(day, at)
    earlier = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if earlier.astimezone(zone).replace(tzinfo=None) == wall:
        return earlier
    return _end_of_gap(wall, zone)


def _end_of_gap(wall: datetime, zone: ZoneInfo) -> datetime:
    # Inside a gap, fold=0 reads the wall time with the offset before the jump and fold=1
    # with the offset after it; the jump lies between the two readings. Transitions fall on
    # whole seconds, so bisecting seconds finds it exactly.
    second = timedelta(seconds=1)
    after_jump = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if after_jump.microsecond:
        after_jump = after_jump.replace(microsecond=0) + second
    before_jump = wall.replace(tzinfo=zone, fold=1).astimezone(UTC).replace(microsecond=0)
    offset_before = before_jump.astimezone(zone).utcoffset()
    while after_jump - before_jump > second:
        middle = before_jump + second * (int((after_jump - before_jump).total_seconds()) // 2)
        if middle.astimezone(zone).utcoffset() == offset_before:
            before_jump = middle
        else:
            after_jump = middle
    return after_jump


def day_bounds(day: date, zone: ZoneInfo) -> Interval:
    """The local calendar day as UTC: 23, 24 or 25 hours long."""
    return Interval(local_to_utc(day, time(0), zone), local_to_utc(day + ONE_DAY, time(0), zone))


def local_span(day: date, start: time, end: time, zone: ZoneInfo) -> Interval | None:
    """Local ``start``-``end`` on ``day`` in UTC; None when it fell entirely into a DST gap."""
    utc_start, utc_end = local_to_utc(day, start, zone), local_to_utc(day, end, zone)
    return Interval(utc_start, utc_end) if utc_start < utc_end else None


def days_between(start_date: date, end_date: date) -> list[date]:
    """Every date from ``start_date`` to ``end_date``, both included."""
    if end_date < start_date:
        raise DomainError(
            f"date range ends ({end_date}) before it starts ({start_date})",
            code="invalid_date_range",
        )
    return [start_date + timedelta(days=n) for n in range((end_date - start_date).days + 1)]


def _check_span(start: time, end: time) -> None:
    if start.tzinfo is not None or end.tzinfo is not None:
        raise DomainError("working hours are naive local wall-clock times", code="aware_local_time")
    # Spans stay within one local day; a clinic has no overnight shifts to model.
    if not start < end:
        raise DomainError(f"hours must end after they start: {start}-{end}", code="invalid_hours")


@dataclass(frozen=True)
class WeeklyHours:
    """Local wall-clock working hours by weekday (0 = Monday, as ``date.weekday()``)."""

    days: Mapping[int, tuple[LocalSpan, ...]]

    def __post_init__(self) -> None:
        cleaned: dict[int, tuple[LocalSpan, ...]] = {}
        for weekday, spans in self.days.items():
            if weekday not in range(7):
                raise DomainError(
                    f"weekday must be 0 (Monday) to 6, not {weekday}",
                    code="invalid_hours",
                )
            for start, end in spans:
                _check_span(start, end)
            cleaned[weekday] = tuple(sorted(spans))
        # A private copy: the caller's dict can change without changing these hours.
        object.__setattr__(self, "days", cleaned)

    @classmethod
    def same_every(cls, weekdays: Iterable[int], start: time, end: time) -> WeeklyHours:
        return cls(dict.fromkeys(weekdays, ((start, end),)))

    def spans_on(self, weekday: int) -> tuple[LocalSpan, ...]:
        return self.days.get(weekday, ())

    def __hash__(self) -> int:
        return hash(tuple(sorted(self.days.items())))


@dataclass(frozen=True)
class TimeOff:
    """Local time off on one date: ``start``-``end``, or the whole day when both are None."""

    day: date
    start: time | None = None
    end: time | None = None

    def __post_init__(self) -> None:
        if (self.start is None) != (self.end is None):
            raise DomainError(
                "time off needs both a start and an end, or neither",
                code="invalid_hours",
            )
        if self.start is not None and self.end is not None:
            _check_span(self.start, self.end)

    def interval(self, zone: ZoneInfo) -> Interval | None:
        if self.start is None or self.end is None:
            return day_bounds(self.day, zone)
        return local_span(self.day, self.start, self.end, zone)


@dataclass(frozen=True)
class ExtraHours:
    """Local hours worked on one date in addition to the weekly hours."""

    day: date
    start: time
    end: time

    def __post_init__(self) -> None:
        _check_span(self.start, self.end)


@dataclass(frozen=True)
class Closure:
    """A whole local day the location is shut: overrides weekly and extra hours alike."""

    day: date
    reason: str = ""


def working_intervals(
    hours: WeeklyHours,
    exceptions: Iterable[TimeOff | ExtraHours],
    closures: Iterable[Closure],
    zone: ZoneInfo,
    start_date: date,
    end_date: date,
) -> list[Interval]:
    """Working time from ``start_date`` to ``end_date`` (both included), normalised, in UTC.

    Per local day: weekly hours plus extra hours, minus time off; nothing on a closure day.
    """
    closed = {closure.day for closure in closures}
    extra: dict[date, list[LocalSpan]] = {}
    time_off: dict[date, list[TimeOff]] = {}
    for exception in exceptions:
        if isinstance(exception, ExtraHours):
            extra.setdefault(exception.day, []).append((exception.start, exception.end))
        else:
            time_off.setdefault(exception.day, []).append(exception)

    worked: list[Interval] = []
    for day in days_between(start_date, end_date):
        spans = (*hours.spans_on(day.weekday()), *extra.get(day, ()))
        if not spans or day in closed:
            continue
        offset = _steady_offset(day, zone)
        if offset is None:
            on_duty = [span for start, end in spans if (span := local_span(day, start, end, zone))]
        else:
            # No transition today: every wall time exists once, at this offset, so this is
            # what local_span gives, without two zoneinfo round trips per bound.
            midnight = datetime.combine(day, time(0), UTC) - offset
            on_duty = [
                _trusted(midnight + _since_midnight(start), midnight + _since_midnight(end))
                for start, end in spans
            ]
        if day in time_off:
            away = [gap for off in time_off[day] if (gap := off.interval(zone))]
            worked.extend(subtract(on_duty, away))
        else:
            worked.extend(on_duty)
    return normalise(worked)


def _since_midnight(at: time) -> timedelta:
    return timedelta(
        hours=at.hour, minutes=at.minute, seconds=at.second, microseconds=at.microsecond
    )


def _steady_offset(day: date, zone: ZoneInfo) -> timedelta | None:
    """The UTC offset all through local ``day`` when it has no transition, else None.

    Same offset at both midnights means no transition that day (tzdata has no day with two
    that cancel out); a change at exactly midnight counts for the day it starts.
    """
    midnight = datetime.combine(day, time(0))
    offset = zone.utcoffset(midnight)
    if offset is not None and offset == zone.utcoffset(midnight + ONE_DAY):
        return offset
    return None


def is_on_local_grid(instant: datetime, zone: ZoneInfo, grid_minutes: int) -> bool:
    """Whether the local wall-clock time of ``instant`` is a whole multiple of the grid."""
    local = as_utc(instant).astimezone(zone)
    minute_of_day = local.hour * 60 + local.minute
    return local.second == 0 and local.microsecond == 0 and minute_of_day % grid_minutes == 0


def local_grid(window: Interval, zone: ZoneInfo, grid_minutes: int) -> list[datetime]:
    """Every instant in ``window`` that ``is_on_local_grid``, sorted, in UTC.

    Grid points are local wall-clock times (00:00, 00:15, ...), so a point skipped by spring
    forward doesn't exist and a point in the repeated autumn hour occurs twice.
    """
    if grid_minutes <= 0 or MINUTES_PER_DAY % grid_minutes:
        raise DomainError(f"grid of {grid_minutes} min does not divide a day", code="invalid_grid")
    first_day = window.start.astimezone(zone).date()
    last_day = (window.end - timedelta(microseconds=1)).astimezone(zone).date()
    step = timedelta(minutes=grid_minutes)
    steps = [step * n for n in range(MINUTES_PER_DAY // grid_minutes)]
    points: list[datetime] = []
    for day in days_between(first_day, last_day):
        points.extend(_day_grid(day, zone, steps))
    return points[bisect_left(points, window.start) : bisect_left(points, window.end)]


def _day_grid(day: date, zone: ZoneInfo, steps: list[timedelta]) -> list[datetime]:
    offset = _steady_offset(day, zone)
    if offset is not None:
        # No transition today, so plain arithmetic is exact and ~50x cheaper than zoneinfo.
        first = datetime.combine(day, time(0), UTC) - offset
        return [first + step for step in steps]
    midnight = datetime.combine(day, time(0))
    points: set[datetime] = set()
    for step in steps:
        wall = midnight + step
        for fold in (0, 1):
            instant = wall.replace(tzinfo=zone, fold=fold).astimezone(UTC)
            if instant.astimezone(zone).replace(tzinfo=None) == wall:
                points.add(instant)
    return sorted(points)
