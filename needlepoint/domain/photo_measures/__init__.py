"""Objective photo measures (issue #14): calibrated colour, spots, lines and texture per region.

Pure computation on arrays (numpy, OpenCV, scikit-image, colour-science); no Django. The
definitions and thresholds are written up in docs/photo-measures.md.
"""

from needlepoint.domain.photo_measures.engine import Baseline, measure_photo
from needlepoint.domain.photo_measures.hints import (
    HintError,
    card_hint_from_stored,
    decode_photo,
    parse_card_hint,
)
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
    "HintError",
    "Mdc",
    "MeasureResult",
    "Region",
    "RegionMeasures",
    "card_hint_from_stored",
    "decode_photo",
    "mdc95",
    "measure_photo",
    "parse_card_hint",
]
