"""Regions per view: which names a view may have, checking drawn boxes, and default boxes
placed proportionally in a detected face box (or the middle of a body photo).

Pure: the face box comes from the caller (`faces.detect_face`); no Django here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from needlepoint.domain.outcomes import BODY_VIEWS

from .results import Region

Box = tuple[int, int, int, int]

# Where each face region sits inside the detector's face box, as fractions (x, y, w, h) of it.
# The Haar box runs from mid-forehead to the chin and cheek to cheek; "left" is the patient's
# left, which is on the right of a frontal photo.
_FRONT: Mapping[str, tuple[float, float, float, float]] = {
    "forehead": (0.30, 0.02, 0.40, 0.14),
    "right_cheek": (0.14, 0.50, 0.22, 0.22),
    "left_cheek": (0.64, 0.50, 0.22, 0.22),
    "nose": (0.42, 0.42, 0.16, 0.22),
    "chin": (0.38, 0.86, 0.24, 0.12),
}
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


def default_regions(view: str, *, face: Box | None, width: int, height: int) -> tuple[Region, ...]:
    """Regions to measure when none are drawn: proportional in the face box for face views
    (none without a face), the central area for body views."""
    if view in BODY_VIEWS:
        return (Region("area", _place((0, 0, width, height), _BODY_AREA, width, height)),)
    if face is None:
        return ()
    if view == "front":
        return tuple(Region(n, _place(face, f, width, height)) for n, f in _FRONT.items())
    (name,) = region_names(view)
    return (Region(name, _place(face, _SIDE_CHEEK[name.split("_", 1)[0]], width, height)),)
