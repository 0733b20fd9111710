"""Objective photo measures (issue #14): calibrated colour, spots, lines and texture per region.

Pure computation on arrays (numpy, OpenCV, scikit-image, colour-science); no Django. The
definitions and thresholds are written up in docs/photo-measures.md.
"""

from needlepoint.domain.photo_measures.engine import Baseline, measure_photo
from needlepoint.domain.photo_measures.repeatability import Mdc, mdc95
from needlepoint.domain.photo_measures.results import (
    METHOD_VERSION,
    Alignment,
    Calibration,
    CardBox,
    CardHint,
    CardQuad,
    MeasureResult,
    Region,
    RegionMeasures,
)

__all__ = [
    "METHOD_VERSION",
    "Alignment",
    "Baseline",
    "Calibration",
    "CardBox",
    "CardHint",
    "CardQuad",
    "Mdc",
    "MeasureResult",
    "Region",
    "RegionMeasures",
    "mdc95",
    "measure_photo",
]
