"""Finding the face on a view's baseline, to place default regions (`regions.default_regions`).

OpenCV's frontal-face Haar cascade, read from the file opencv-python-headless ships (nothing
is downloaded). Its SHA-256 is pinned: a different file (another OpenCV build, a tampered
install) would place regions differently without anyone noticing, so it is refused."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from .colour_space import ByteImage

CASCADE_FILE = "haarcascade_frontalface_default.xml"
# The file in opencv-python-headless 4.x wheels (4.10 to 4.14 ship the same bytes).
CASCADE_SHA256 = "0f7d4527844eb514d4a4948e822da90fbb16a34a0bbbbc6adc6498747a5aafb0"
_DETECT_WIDTH = 640  # detection runs on a copy this wide: faces fill the frame, it is enough


class CascadeMismatch(RuntimeError):
    pass


def cascade_path() -> Path | None:
    """Where the installed OpenCV keeps the cascade; None when it ships none (OpenCV 5
    dropped the Haar cascades and `CascadeClassifier`: decision 0643)."""
    folder = getattr(getattr(cv2, "data", None), "haarcascades", "")
    if not folder or not hasattr(cv2, "CascadeClassifier"):
        return None
    path = Path(folder) / CASCADE_FILE
    return path if path.is_file() else None


@cache
def _cascade() -> Any:
    path = cascade_path()
    if path is None:
        return None
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != CASCADE_SHA256:
        raise CascadeMismatch(f"{path} has SHA-256 {digest}, expected {CASCADE_SHA256}")
    classifier = getattr(cv2, "CascadeClassifier")  # noqa: B009 (absent from OpenCV 5)
    return classifier(str(path))


def detect_face(image: ByteImage) -> tuple[int, int, int, int] | None:
    """The largest frontal face's box (x, y, w, h) in the image's pixels; None when there
    is none, or no detector in this OpenCV (then face views wait for drawn regions)."""
    cascade = _cascade()
    if cascade is None:
        return None
    height, width = image.shape[:2]
    scale = min(1.0, _DETECT_WIDTH / width)
    small = cv2.resize(
        image, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_AREA
    )
    grey = cv2.equalizeHist(cv2.cvtColor(small, cv2.COLOR_RGB2GRAY))
    found = cascade.detectMultiScale(grey, scaleFactor=1.1, minNeighbors=5, minSize=(60, 60))
    if len(found) == 0:
        return None
    x, y, w, h = max(np.asarray(found).tolist(), key=lambda box: box[2] * box[3])
    return (round(x / scale), round(y / scale), round(w / scale), round(h / scale))
