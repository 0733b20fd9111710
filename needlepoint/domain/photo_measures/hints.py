"""The upload's optional card hints: JSON strings in form fields, checked and typed here.

`card_box` is `[x, y, w, h]`; `card_quad` is `[[x, y], [x, y], [x, y], [x, y]]` (the patch
grid's outer corners clockwise from the dark-skin patch), both in the stored photo's pixels.
Stored as `{"card_box": [...]}` or `{"card_quad": [...]}`.
"""

from __future__ import annotations

import json
import math
from typing import Any

import cv2
import numpy as np

from needlepoint.domain.photo_measures.arrays import ByteImage
from needlepoint.domain.photo_measures.results import CardBox, CardHint, CardQuad


class HintError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _numbers(field: str, value: Any, count: int) -> list[float]:
    if not isinstance(value, list) or len(value) != count:
        raise HintError(field, f"must be a list of {count} numbers")
    if not all(isinstance(n, int | float) and not isinstance(n, bool) for n in value):
        raise HintError(field, f"must be a list of {count} numbers")
    numbers = [float(n) for n in value]
    if not all(math.isfinite(n) and 0 <= n <= 100_000 for n in numbers):
        raise HintError(field, "must hold pixel positions from 0 to 100000")
    return numbers


def parse_card_hint(card_box: str = "", card_quad: str = "") -> dict[str, Any] | None:
    """The hint to store, or None when neither field is given; `HintError` names the field."""
    if card_box.strip() and card_quad.strip():
        raise HintError("card_quad", "give either card_box or card_quad, not both")
    for field, text in (("card_box", card_box), ("card_quad", card_quad)):
        if not text.strip():
            continue
        try:
            value = json.loads(text)
        except ValueError:
            raise HintError(field, "must be JSON, for example [10, 20, 300, 200]") from None
        if field == "card_box":
            x, y, w, h = _numbers(field, value, 4)
            if w < 24 or h < 16:
                raise HintError(field, "is too small to hold the card's 24 patches")
            return {"card_box": [round(x), round(y), round(w), round(h)]}
        if not isinstance(value, list) or len(value) != 4:
            raise HintError(field, "must be four [x, y] corners")
        corners = [_numbers(field, corner, 2) for corner in value]
        if abs(cv2.contourArea(np.array(corners, dtype=np.float32))) < 24 * 16:
            raise HintError(field, "encloses too little to hold the card's 24 patches")
        return {"card_quad": corners}
    return None


def card_hint_from_stored(stored: dict[str, Any] | None) -> CardHint | None:
    if not stored:
        return None
    if "card_box" in stored:
        x, y, w, h = (int(v) for v in stored["card_box"])
        return CardBox((x, y, w, h))
    a, b, c, d = ((float(x), float(y)) for x, y in stored["card_quad"])
    return CardQuad((a, b, c, d))


def decode_photo(data: bytes) -> ByteImage | None:
    """8-bit RGB pixels of a stored photo (JPEG), or None if it cannot be decoded."""
    decoded = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_COLOR)
    if decoded is None:
        return None
    return np.asarray(cv2.cvtColor(decoded, cv2.COLOR_BGR2RGB), dtype=np.uint8)
