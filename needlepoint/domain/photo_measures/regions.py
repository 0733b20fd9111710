"""Regions per view: which names a view may have, checking drawn boxes, and default boxes
placed from a detected face's eyes or box (or the middle of a body photo).

Pure: the face comes from the caller (`faces.detect_face`); no Django, no OpenCV here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from needlepoint.domain.outcomes import BODY_VIEWS

from .results import Region

Box = tuple[int, int, int, int]
Point = tuple[float, float]


@dataclass(frozen=True)
class Face:
    """A face found in a photo, in its pixels: the detector's box and, when both were found,
    the centres of the eyes (the one on the left of the picture first)."""

    box: Box
    eyes: tuple[Point, Point] | None = None


# Where each front region sits, from the eyes: its centre (along the line from the picture's
# left eye to its right eye, and square to it, downwards) and its width and height, in eye
# distances from the point between the eyes. Measured on a frontal portrait (the test's): the
# nose tip is 0.55 below the eyes, the mouth 1.0, the chin 1.7, the brows 0.3 above.
# "left" is the patient's left, which is on the right of a frontal photo.
_FRONT: Mapping[str, tuple[float, float, float, float]] = {
    "forehead": (0.0, -0.4, 0.9, 0.2),
    "right_cheek": (-0.6, 0.5, 0.45, 0.45),
    "left_cheek": (0.6, 0.5, 0.45, 0.45),
    "nose": (0.0, 0.4, 0.28, 0.4),
    "chin": (0.0, 1.6, 0.55, 0.28),
}
# Without eyes, where they usually are in the frontal Haar box (fractions of it): the box
# runs from the brows' top to the lower lip.
_EYES_IN_BOX = ((0.29, 0.38), (0.71, 0.38))
# An oblique or profile shows one cheek; the detector finds the frontal part of the face, so
# the cheek is the half of the box nearer the ear.
_SIDE_CHEEK: Mapping[str, tuple[float, float, float, float]] = {
    "left": (0.55, 0.45, 0.35, 0.30),
    "right": (0.10, 0.45, 0.35, 0.30),
}
_BODY_AREA = (0.25, 0.25, 0.50, 0.50)  # the central quarter of the photo


def region_names(view: str) -> tuple[str, ...]:
    """The names a view's regions may have."""
    if view == "front":
        return tuple(_FRONT)
    if view in BODY_VIEWS:
        return ("area",)
    side = view.split("_", 1)[0]
    return (f"{side}_cheek",)


@dataclass(frozen=True)
class RegionProblem:
    field: str
    message: str


def check_regions(
    view: str, regions: Sequence[Region], *, width: int, height: int
) -> list[RegionProblem]:
    """Problems with drawn regions, each naming its field (``regions[1].box``)."""
    problems: list[RegionProblem] = []
    allowed = region_names(view)
    seen: set[str] = set()
    for index, region in enumerate(regions):
        if region.name not in allowed:
            problems.append(
                RegionProblem(f"regions[{index}].name", f"must be one of {', '.join(allowed)}")
            )
        elif region.name in seen:
            problems.append(RegionProblem(f"regions[{index}].name", "is drawn twice"))
        seen.add(region.name)
        x, y, w, h = region.box
        if w < 8 or h < 8:
            problems.append(
                RegionProblem(f"regions[{index}].box", "must be at least 8 px wide and high")
            )
        elif x < 0 or y < 0 or x + w > width or y + h > height:
            problems.append(
                RegionProblem(
                    f"regions[{index}].box", f"must lie inside the {width} x {height} photo"
                )
            )
    return problems


def _place(box: Box, frac: tuple[float, float, float, float], width: int, height: int) -> Box:
    fx, fy, fw, fh = box
    x = max(0, round(fx + frac[0] * fw))
    y = max(0, round(fy + frac[1] * fh))
    w = max(1, min(round(frac[2] * fw), width - x))
    h = max(1, min(round(frac[3] * fh), height - y))
    return (x, y, w, h)


def _eyes(face: Face) -> tuple[Point, Point]:
    if face.eyes is not None:
        return face.eyes
    x, y, w, h = face.box
    (ax, ay), (bx, by) = _EYES_IN_BOX
    return ((x + ax * w, y + ay * h), (x + bx * w, y + by * h))


def _from_eyes(
    face: Face, spec: tuple[float, float, float, float], width: int, height: int
) -> Box | None:
    (ax, ay), (bx, by) = _eyes(face)
    distance = float(((bx - ax) ** 2 + (by - ay) ** 2) ** 0.5)
    ux, uy = (bx - ax) / distance, (by - ay) / distance
    along, down, w, h = spec
    cx = (ax + bx) / 2 + distance * (along * ux - down * uy)
    cy = (ay + by) / 2 + distance * (along * uy + down * ux)
    left, top = round(cx - w * distance / 2), round(cy - h * distance / 2)
    right, bottom = round(cx + w * distance / 2), round(cy + h * distance / 2)
    if left < 0 or top < 0 or right > width or bottom > height or right - left < 1:
        return None  # not wholly on the photo: half a chin is not the chin
    return (left, top, right - left, bottom - top)


def default_regions(view: str, *, face: Face | None, width: int, height: int) -> tuple[Region, ...]:
    """Regions to measure when none are drawn: placed from the eyes (found, or where they
    usually are in the face box) for the front view, in the face box for side views (none
    without a face), the central area for body views."""
    if view in BODY_VIEWS:
        return (Region("area", _place((0, 0, width, height), _BODY_AREA, width, height)),)
    if face is None:
        return ()
    if view == "front":
        placed = ((n, _from_eyes(face, spec, width, height)) for n, spec in _FRONT.items())
        return tuple(Region(n, box) for n, box in placed if box is not None)
    (name,) = region_names(view)
    return (Region(name, _place(face.box, _SIDE_CHEEK[name.split("_", 1)[0]], width, height)),)
