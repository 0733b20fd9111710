"""What the photo-measures engine takes and gives back: frozen values, no arrays.

The result mirrors the API contract of issue #14 (`GET /api/v1/photos/{id}/measures`) field
for field, so the storage layer copies it without translating names.
"""

from __future__ import annotations

from dataclasses import dataclass

# Bump when any definition, threshold or scale below changes: figures of different versions
# are never compared with each other.
METHOD_VERSION = "pm-1.1"

STATUS_DONE = "done"
STATUS_NOT_MEASURED = "not_measured"

# Mean CIEDE2000 of the corrected card patches: above the first the photo is measured with a
# warning, above the second it is not measured at all.
DELTA_E_WARN = 3.0
DELTA_E_REFUSE = 5.0
# A later photo whose alignment to the baseline is worse than this fraction of the width is
# not compared (its regions would not cover the same skin).
ALIGNMENT_LIMIT_OF_WIDTH = 0.01


@dataclass(frozen=True)
class Region:
    """A named box ``(x, y, w, h)`` in the baseline photo's pixels."""

    name: str
    box: tuple[int, int, int, int]


@dataclass(frozen=True)
class CardBox:
    """Hint: the card's patch grid lies inside this box ``(x, y, w, h)``."""

    box: tuple[int, int, int, int]


@dataclass(frozen=True)
class CardQuad:
    """Hint: the patch grid's four outer corners, clockwise from the dark-skin patch."""

    corners: tuple[
        tuple[float, float], tuple[float, float], tuple[float, float], tuple[float, float]
    ]


CardHint = CardBox | CardQuad


@dataclass(frozen=True)
class Calibration:
    card_found: bool
    delta_e2000_mean: float | None


@dataclass(frozen=True)
class Alignment:
    baseline_photo: int | None
    residual_px: float | None


@dataclass(frozen=True)
class RegionMeasures:
    region: str
    l_star: float | None
    a_star: float | None
    b_star: float | None
    ita_deg: float | None
    redness_area_pct: float | None
    evenness_sd: float | None
    spot_count: int | None
    spot_area_pct: float | None
    line_density: float | None
    texture: float | None


Outline = tuple[tuple[int, int], ...]  # a closed outline or a traced line, photo pixels


@dataclass(frozen=True)
class RegionMarks:
    """Where a region's counted spots and lines are, in the measured photo's own pixels (the
    region's outline too: on a later photo it is the baseline's box carried over)."""

    region: str
    outline: Outline
    spots: tuple[Outline, ...]
    lines: tuple[Outline, ...]


@dataclass(frozen=True)
class MeasureResult:
    status: str
    reason: str
    warnings: tuple[str, ...]
    method_version: str
    calibration: Calibration
    alignment: Alignment
    regions: tuple[RegionMeasures, ...]
    marks: tuple[RegionMarks, ...] = ()
