"""The engine's span arithmetic: free time clipped, fitted, united and intersected as
(start, end) pairs, and the first free resource for each start."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from itertools import chain, islice
from operator import attrgetter
from typing import cast

from needlepoint.domain.time import Interval

# The engine's inner representation: (start, end) pairs of UTC datetimes, no Interval objects
# (building and validating those was most of its time). Free time is half-open like
# Interval; start ranges are closed, [first, last], the starts at which a booking fits.
_Span = tuple[datetime, datetime]

_by_start = attrgetter("start")
_bounds = attrgetter("start", "end")


def _clip(intervals: Iterable[Interval], low: datetime, high: datetime) -> list[_Span]:
    """The normalised (sorted, merged) half-open spans of ``intervals`` within [low, high)."""
    merged: list[_Span] = []
    for interval in sorted(intervals, key=_by_start):
        start, end = interval.start, interval.end
        if end <= low or start >= high:
            continue
        if start < low:
            start = low
        if end > high:
            end = high
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _fitting_starts(
    free: Sequence[_Span], busy: Iterable[Interval], occupied: timedelta
) -> list[_Span]:
    """Closed ranges of the starts ``s`` with [s, s + occupied) inside ``free`` and clear of
    ``busy``: subtraction and fitting in one sweep. ``free`` is normalised; ``busy`` any order.

    A free gap [a, b) accepts exactly the starts in [a, b - occupied].
    """
    cuts = sorted(map(_bounds, busy))
    count = len(cuts)
    ranges: list[_Span] = []
    j = 0
    for low, high in free:
        # Cuts ending before this free span can't affect it or any later one.
        while j < count and cuts[j][1] <= low:
            j += 1
        cursor = low
        for cut_start, cut_end in islice(cuts, j, None):
            if cut_start >= high:
                break
            if cut_start > cursor:
                last = cut_start - occupied
                if last >= cursor:
                    ranges.append((cursor, last))
            if cut_end > cursor:
                cursor = cut_end
        if cursor < high:
            last = high - occupied
            if last >= cursor:
                ranges.append((cursor, last))
    return ranges


def _union(groups: Iterable[list[_Span]]) -> list[_Span]:
    """The union of closed ranges, sorted and with overlapping ranges merged."""
    merged: list[_Span] = []
    for first, last in sorted(chain.from_iterable(groups)):
        if merged and first <= merged[-1][1]:
            if last > merged[-1][1]:
                merged[-1] = (merged[-1][0], last)
        else:
            merged.append((first, last))
    return merged


def _intersect(a: list[_Span], b: list[_Span]) -> list[_Span]:
    """The intersection of two sorted lists of disjoint closed ranges (a linear sweep)."""
    result: list[_Span] = []
    i = j = 0
    len_a, len_b = len(a), len(b)
    while i < len_a and j < len_b:
        a_first, a_last = a[i]
        b_first, b_last = b[j]
        first = a_first if a_first > b_first else b_first
        if a_last <= b_last:
            if first <= a_last:
                result.append((first, a_last))
            i += 1
        else:
            if first <= b_last:
                result.append((first, b_last))
            j += 1
    return result


def _first_free(named_starts: list[tuple[str, list[_Span]]], starts: list[datetime]) -> list[str]:
    """For each of the sorted ``starts``, the first resource (in the order given) whose start
    ranges contain it: each resource's ranges are bisected into the starts, never a scan of
    every resource for every start, and resources after the last one needed aren't read."""
    chosen: list[str | None] = [None] * len(starts)
    missing = len(starts)
    for name, ranges in named_starts:
        if not missing:
            break
        low, count = 0, len(starts)
        for first, last in ranges:
            low = bisect_left(starts, first, low)
            if low == count or starts[low] > last:
                continue
            high = bisect_right(starts, last, low)
            for position in range(low, high):
                if chosen[position] is None:
                    chosen[position] = name
                    missing -= 1
            low = high
    if missing:
        # Unreachable: callers only ask about starts inside the union of these ranges.
        raise LookupError(f"no resource accepts {starts[chosen.index(None)]}")
    return cast(list[str], chosen)
