"""The picture of what was counted: a photo with its regions, spots and lines drawn over it.

Each mark is drawn twice, a dark band under a bright line, so it stands out on light and dark
skin alike; the colours are named in words on the page that shows the picture (`LEGEND`)."""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from .colour_space import ByteImage
from .results import Outline, RegionMarks

OVERLAY_WIDTH = 1600  # wide enough to see a 1 mm spot on a screen, small enough to send
_JPEG_QUALITY = 88
# RGB; the dark band under every mark.
REGION_COLOUR = (255, 255, 255)
SPOT_COLOUR = (0, 229, 255)
LINE_COLOUR = (255, 64, 200)
_UNDER = (0, 0, 0)
LEGEND = (
    ("white", "boxes", "the regions measured"),
    ("blue-green", "rings", "the spots counted"),
    ("pink", "traces", "the lines counted"),
)


def _polylines(
    canvas: ByteImage,
    outlines: Sequence[Outline],
    colour: tuple[int, int, int],
    scale: float,
    width: int,
) -> None:
    points = [
        np.round(np.asarray(o, dtype=np.float64) * scale).astype(np.int32) for o in outlines if o
    ]
    if not points:
        return
    cv2.polylines(canvas, points, True, _UNDER, width + 2, cv2.LINE_AA)
    cv2.polylines(canvas, points, True, colour, width, cv2.LINE_AA)


def _moved(outline: Outline, dx: int, dy: int) -> Outline:
    return tuple((x - dx, y - dy) for x, y in outline)


def _framing(image: ByteImage, marks: Sequence[RegionMarks]) -> tuple[int, int, int, int]:
    """The part of the photo around the regions (a third of their extent added on each side),
    so small regions on a face are big enough to read; the whole photo without marks."""
    height, width = image.shape[:2]
    corners = np.asarray([p for mark in marks for p in mark.outline], dtype=np.float64)
    if corners.size == 0:
        return (0, 0, width, height)
    (left, top), (right, bottom) = corners.min(axis=0), corners.max(axis=0)
    pad = max(right - left, bottom - top) / 3
    x0, y0 = max(0, int(left - pad)), max(0, int(top - pad))
    x1, y1 = min(width, int(right + pad)), min(height, int(bottom + pad))
    if x1 - x0 < 2 or y1 - y0 < 2:
        return (0, 0, width, height)
    return (x0, y0, x1, y1)


def draw_marks(
    image: ByteImage, marks: Sequence[RegionMarks], *, width: int = OVERLAY_WIDTH
) -> bytes:
    """The part of the photo (8-bit RGB, marks in its pixels) around its regions, at most
    `width` wide, with the marks drawn, as JPEG bytes."""
    x0, y0, x1, y1 = _framing(image, marks)
    image = np.ascontiguousarray(image[y0:y1, x0:x1])
    marks = [
        RegionMarks(
            region=m.region,
            outline=_moved(m.outline, x0, y0),
            spots=tuple(_moved(o, x0, y0) for o in m.spots),
            lines=tuple(_moved(o, x0, y0) for o in m.lines),
        )
        for m in marks
    ]
    scale = min(1.0, width / image.shape[1])
    size = (round(image.shape[1] * scale), round(image.shape[0] * scale))
    canvas = np.ascontiguousarray(
        cv2.resize(image, size, interpolation=cv2.INTER_AREA) if scale < 1 else image.copy()
    )
    stroke = max(1, round(size[0] / 800))
    for mark in marks:
        _polylines(canvas, [mark.outline], REGION_COLOUR, scale, stroke + 1)
        _polylines(canvas, mark.lines, LINE_COLOUR, scale, stroke)
        _polylines(canvas, mark.spots, SPOT_COLOUR, scale, stroke)
    ok, encoded = cv2.imencode(
        ".jpg", cv2.cvtColor(canvas, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, _JPEG_QUALITY]
    )
    if not ok:
        raise ValueError("the picture could not be encoded")
    return bytes(encoded.tobytes())
