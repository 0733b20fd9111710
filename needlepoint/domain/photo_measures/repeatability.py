"""Minimal detectable change (MDC95) from repeat photos of the same view at the same visit.

SEM is the pooled within-group SD: every group is one visit's repeats of one view (same
skin, same day), so what varies inside a group is the photo, not the skin.
MDC95 = 1.96 · √2 · SEM: the smallest change between two photos that is beyond what
repeat photos vary by, 95 times in 100.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Mdc:
    value: float | None  # None until at least one group has two photos
    sem: float | None
    photos: int  # how many photos it rests on (in groups of two or more)
    groups: int


def mdc95(groups: Iterable[Sequence[float]]) -> Mdc:
    squares, freedom, photos, counted = 0.0, 0, 0, 0
    for group in groups:
        values = [float(value) for value in group if value is not None]
        if len(values) < 2:
            continue
        mean = sum(values) / len(values)
        squares += sum((value - mean) ** 2 for value in values)
        freedom += len(values) - 1
        photos += len(values)
        counted += 1
    if freedom == 0:
        return Mdc(value=None, sem=None, photos=0, groups=0)
    sem = math.sqrt(squares / freedom)
    return Mdc(value=1.96 * math.sqrt(2) * sem, sem=sem, photos=photos, groups=counted)
