"""Objective photo measures (issue #14): calibrated colour, spots, lines and texture per region.

Pure computation on arrays (numpy, OpenCV, scikit-image, colour-science); no Django. The
definitions and thresholds are written up in docs/photo-measures.md.

The package itself exports only the light parts (results, card hints, MDC). The engine
(`photo_measures.engine.measure_photo`) loads colour-science and scikit-image, about 3 s, so
it is imported from its module by what measures (the worker), not by every web process
(decision 0644).
"""

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
    "parse_card_hint",
]
