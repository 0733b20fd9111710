"""Finding the face on a view's baseline, to place default regions (`regions.default_regions`).

OpenCV's Haar cascades, read from the files opencv-python-headless 4.x ships (nothing is
downloaded; decision 0646): the frontal face, then the two eyes inside it (the landmarks the
front regions are placed from), and the profile face for side views the frontal one misses.
Each file's SHA-256 is pinned: a different file (another OpenCV build, a tampered install)
would place regions differently without anyone noticing, so it is refused."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from .colour_space import ByteImage
from .regions import Box, Face, Point

# The files in opencv-python-headless 4.x wheels (4.10 to 4.14 ship the same bytes).
CASCADE_SHA256 = {
    "haarcascade_frontalface_default.xml": (
        "0f7d4527844eb514d4a4948e822da90fbb16a34a0bbbbc6adc6498747a5aafb0"
    ),
    "haarcascade_eye.xml": "71cc64fc305a355dc60067880f6fbbd43dd155bd63ee3844661a1bda34b2fd8c",
    "haarcascade_profileface.xml": (
        "b39a4a3be45539db146a7fc1d3e761a292c196eb88421185e6a615b3055e612d"
    ),
}
CASCADE_FILE = "haarcascade_frontalface_default.xml"
_DETECT_WIDTH = 640  # detection runs on a copy this wide: faces fill the frame, it is enough


class CascadeMismatch(RuntimeError):
    pass


def cascade_path(name: str = CASCADE_FILE) -> Path | None:
    """Where the installed OpenCV keeps a cascade; None when it ships none (OpenCV 5 dropped
    the Haar cascades and `CascadeClassifier`; pyproject pins OpenCV 4.x for them)."""
    folder = getattr(getattr(cv2, "data", None), "haarcascades", "")
    if not folder or not hasattr(cv2, "CascadeClassifier"):
        return None
    path = Path(folder) / name
    return path if path.is_file() else None


@cache
def _cascade(name: str = CASCADE_FILE) -> Any:
    path = cascade_path(name)
    if path is None:
        return None
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != CASCADE_SHA256[name]:
        raise CascadeMismatch(f"{path} has SHA-256 {digest}, expected {CASCADE_SHA256[name]}")
    classifier = getattr(cv2, "CascadeClassifier")  # noqa: B009 (absent from OpenCV 5)
    return classifier(str(path))


def _largest(found: Any) -> Box | None:
    if len(found) == 0:
        return None
    x, y, w, h = max(np.asarray(found).tolist(), key=lambda box: box[2] * box[3])
    return (x, y, w, h)


def _eyes(grey: np.ndarray, box: Box) -> tuple[Point, Point] | None:
    """The eye pair in the upper half of the face box: one each side of its middle, of
    similar size and nearly level; None when the cascade does not find such a pair."""
    cascade = _cascade("haarcascade_eye.xml")
    if cascade is None:
        return None
    x, y, w, h = box
    upper = grey[y : y + h * 3 // 5, x : x + w]
    found = cascade.detectMultiScale(
        upper, scaleFactor=1.05, minNeighbors=5, minSize=(w // 8, w // 8)
    )
    centres = [
        (x + ex + ew / 2, y + ey + eh / 2, ew) for ex, ey, ew, eh in np.asarray(found).tolist()
    ]
    left = [c for c in centres if c[0] < x + w / 2]
    right = [c for c in centres if c[0] >= x + w / 2]
    pairs = [
        (a, b)
        for a in left
        for b in right
        if abs(a[1] - b[1]) < 0.25 * (b[0] - a[0]) and 0.6 < a[2] / b[2] < 1.6
    ]
    if not pairs:
        return None
    a, b = max(pairs, key=lambda pair: pair[1][0] - pair[0][0])
    return ((a[0], a[1]), (b[0], b[1]))


def detect_face(image: ByteImage, *, profile: bool = False) -> Face | None:
    """The largest face (with its eyes when found) in the image's pixels; None when there is
    none, or no detector in this OpenCV (then face views wait for drawn regions). With
    `profile`, a face turned to either side is looked for when no frontal one is found."""
    frontal = _cascade()
    if frontal is None:
        return None
    height, width = image.shape[:2]
    scale = min(1.0, _DETECT_WIDTH / width)
    small = cv2.resize(
        image, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_AREA
    )
    grey = cv2.equalizeHist(cv2.cvtColor(small, cv2.COLOR_RGB2GRAY))
    size = (60, 60)
    box = _largest(frontal.detectMultiScale(grey, scaleFactor=1.1, minNeighbors=5, minSize=size))
    eyes = _eyes(grey, box) if box is not None else None
    if box is None and profile and (side := _cascade("haarcascade_profileface.xml")) is not None:
        box = _largest(side.detectMultiScale(grey, scaleFactor=1.1, minNeighbors=5, minSize=size))
        if box is None:  # the cascade knows faces turned one way: look in the mirror image
            mirrored = _largest(
                side.detectMultiScale(
                    cv2.flip(grey, 1), scaleFactor=1.1, minNeighbors=5, minSize=size
                )
            )
            if mirrored is not None:
                mx, my, mw, mh = mirrored
                box = (grey.shape[1] - mx - mw, my, mw, mh)
    if box is None:
        return None
    return Face(
        box=(
            round(box[0] / scale),
            round(box[1] / scale),
            round(box[2] / scale),
            round(box[3] / scale),
        ),
        eyes=(
            ((eyes[0][0] / scale, eyes[0][1] / scale), (eyes[1][0] / scale, eyes[1][1] / scale))
            if eyes
            else None
        ),
    )
