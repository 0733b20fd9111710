"""Measuring one photo: calibrate on the card, carry the regions over, measure each region.

The photo is first resampled to `WORK_WIDTH` (see figures.py); card hints and region boxes
come in the stored photos' own pixels and are scaled here, and the alignment residual goes
back out in the photo's pixels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from needlepoint.domain.photo_measures.calibration import ColourFit, apply_correction, fit_colour
from needlepoint.domain.photo_measures.card import COLUMNS, ROWS, CardLocation, locate_card
from needlepoint.domain.photo_measures.colour_space import ByteImage, linear_to_lab, to_linear
from needlepoint.domain.photo_measures.figures import (
    REGION_PAD_PX,
    WORK_WIDTH,
    StructureFigures,
    colour_figures,
    structure_figures,
)
from needlepoint.domain.photo_measures.registration import register
from needlepoint.domain.photo_measures.results import (
    ALIGNMENT_LIMIT_OF_WIDTH,
    DELTA_E_REFUSE,
    DELTA_E_WARN,
    METHOD_VERSION,
    STATUS_DONE,
    STATUS_NOT_MEASURED,
    Alignment,
    Calibration,
    CardBox,
    CardHint,
    CardQuad,
    MeasureResult,
    Outline,
    Region,
    RegionMarks,
    RegionMeasures,
)

_MIN_REGION_PX = 40  # a side shorter than this (working pixels) is too small to measure


@dataclass(frozen=True)
class Baseline:
    """The view's baseline photo (8-bit RGB), whose pixels the regions are drawn in."""

    photo_id: int
    image: ByteImage


def _to_work(image: ByteImage) -> tuple[ByteImage, float]:
    factor = WORK_WIDTH / image.shape[1]
    if factor == 1:
        return image, 1.0
    method = cv2.INTER_AREA if factor < 1 else cv2.INTER_LINEAR
    size = (WORK_WIDTH, max(1, round(image.shape[0] * factor)))
    return np.asarray(cv2.resize(image, size, interpolation=method), dtype=np.uint8), factor


def _scaled_hint(hint: CardHint | None, factor: float) -> CardHint | None:
    if isinstance(hint, CardBox):
        x, y, w, h = (round(value * factor) for value in hint.box)
        return CardBox((x, y, w, h))
    if isinstance(hint, CardQuad):
        a, b, c, d = ((x * factor, y * factor) for x, y in hint.corners)
        return CardQuad((a, b, c, d))
    return None


def _card_mask(shape: tuple[int, ...], location: CardLocation | None) -> npt.NDArray[np.bool_]:
    mask = np.zeros(shape[:2], dtype=np.uint8)
    if location is not None:
        margin = 0.5
        grid = np.array(
            [
                [
                    [-margin, -margin],
                    [COLUMNS + margin, -margin],
                    [COLUMNS + margin, ROWS + margin],
                    [-margin, ROWS + margin],
                ]
            ],
            dtype=np.float64,
        )
        corners = cv2.perspectiveTransform(grid, location.candidates[0])[0]
        cv2.fillConvexPoly(mask, np.round(corners).astype(np.int32), 1)
    return mask.astype(bool)


def _crop(
    work: ByteImage, box: tuple[int, int, int, int], transform: npt.NDArray[np.float64]
) -> ByteImage:
    x, y, w, h = box
    to_photo = transform @ np.array([[1, 0, x], [0, 1, y], [0, 0, 1]], dtype=np.float64)
    return np.asarray(
        cv2.warpAffine(
            work,
            to_photo[:2].astype(np.float32),
            (w, h),
            flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
            borderMode=cv2.BORDER_REFLECT,
        ),
        dtype=np.uint8,
    )


def _outlines(
    mask: npt.NDArray[np.bool_] | None, to_photo: npt.NDArray[np.float64]
) -> tuple[Outline, ...]:
    """The mask's outer outlines, taken from the crop's pixels to the photo's."""
    if mask is None or not mask.any():
        return ()
    found, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    outlines = []
    for contour in found:
        points = cv2.perspectiveTransform(contour.reshape(1, -1, 2).astype(np.float64), to_photo)
        outlines.append(tuple((round(x), round(y)) for x, y in points[0]))
    return tuple(outlines)


def _region_marks(
    name: str,
    structure: StructureFigures,
    box: tuple[int, int, int, int],
    transform: npt.NDArray[np.float64],
    factor: float,
) -> RegionMarks:
    """Outlines in the photo's pixels: crop pixel -> baseline working pixel (the box's
    offset) -> this photo's working pixel (the alignment) -> photo pixel (1 / factor)."""
    x, y, w, h = box
    to_photo = (
        np.diag([1 / factor, 1 / factor, 1.0])
        @ transform
        @ np.array([[1, 0, x], [0, 1, y], [0, 0, 1]], dtype=np.float64)
    )
    corners = np.array([[[0, 0], [w, 0], [w, h], [0, h]]], dtype=np.float64)
    outline = cv2.perspectiveTransform(corners, to_photo)[0]
    return RegionMarks(
        region=name,
        outline=tuple((round(px), round(py)) for px, py in outline),
        spots=_outlines(structure.spots, to_photo),
        lines=_outlines(structure.lines, to_photo),
    )


def _measure_region(
    name: str, padded: ByteImage, fit: ColourFit | None
) -> tuple[RegionMeasures, StructureFigures]:
    """`padded`: the region with `REGION_PAD_PX` of the photo around it on every side."""
    lab = linear_to_lab(apply_correction(to_linear(padded), fit))
    pad = REGION_PAD_PX
    colour = colour_figures(np.ascontiguousarray(lab[pad:-pad, pad:-pad])) if fit else None
    structure = structure_figures(np.ascontiguousarray(lab[..., 0]), pad)
    measures = RegionMeasures(
        region=name,
        l_star=colour.l_star if colour else None,
        a_star=colour.a_star if colour else None,
        b_star=colour.b_star if colour else None,
        ita_deg=colour.ita_deg if colour else None,
        redness_area_pct=colour.redness_area_pct if colour else None,
        evenness_sd=structure.evenness_sd,
        spot_count=structure.spot_count,
        spot_area_pct=structure.spot_area_pct,
        line_density=structure.line_density,
        texture=structure.texture,
    )
    return measures, structure


def _refused(
    reason: str, calibration: Calibration, alignment: Alignment, warnings: list[str]
) -> MeasureResult:
    return MeasureResult(
        status=STATUS_NOT_MEASURED,
        reason=reason,
        warnings=tuple(warnings),
        method_version=METHOD_VERSION,
        calibration=calibration,
        alignment=alignment,
        regions=(),
    )


def measure_photo(
    image: ByteImage,
    *,
    regions: Sequence[Region],
    card_hint: CardHint | None = None,
    baseline: Baseline | None = None,
) -> MeasureResult:
    """Measure an 8-bit RGB photo (H x W x 3). Regions are in the baseline's pixels (this
    photo's own when it is the baseline)."""
    work, factor = _to_work(image)
    warnings: list[str] = []
    reason = ""
    location = locate_card(work, _scaled_hint(card_hint, factor))
    fit: ColourFit | None = None
    alignment = Alignment(baseline_photo=baseline.photo_id if baseline else None, residual_px=None)
    if location is None:
        calibration = Calibration(card_found=False, delta_e2000_mean=None)
        reason = "no colour card found in the photo, so it has no colour figures"
    else:
        fit, why = fit_colour(work, location)
        calibration = Calibration(
            card_found=True, delta_e2000_mean=round(fit.delta_e_mean, 2) if fit else None
        )
        if fit is None:
            return _refused(f"card not usable: {why}", calibration, alignment, warnings)
        if fit.delta_e_mean > DELTA_E_REFUSE:
            return _refused(
                f"card not usable: its colours are off by ΔE2000 {fit.delta_e_mean:.1f} after "
                f"correction (the limit is {DELTA_E_REFUSE:g})",
                calibration,
                alignment,
                warnings,
            )
        if fit.delta_e_mean > DELTA_E_WARN:
            warnings.append(
                f"colour correction is loose (ΔE2000 {fit.delta_e_mean:.1f}, above "
                f"{DELTA_E_WARN:g}): colour figures are less certain"
            )
    if not regions:
        return _refused("no regions are drawn for this view", calibration, alignment, warnings)

    transform = np.eye(3)
    base_factor = factor
    if baseline is not None:
        base_work, base_factor = _to_work(baseline.image)
        registration = register(
            base_work,
            work,
            baseline_mask_out=_card_mask(base_work.shape, locate_card(base_work, None)),
            photo_mask_out=_card_mask(work.shape, location),
        )
        if registration.transform is None or registration.residual_px is None:
            return _refused(
                "could not be aligned to the baseline", calibration, alignment, warnings
            )
        residual = registration.residual_px / factor
        alignment = Alignment(baseline_photo=baseline.photo_id, residual_px=round(residual, 2))
        if registration.residual_px > ALIGNMENT_LIMIT_OF_WIDTH * WORK_WIDTH:
            return _refused(
                f"could not be aligned to the baseline within 1% of the width "
                f"(residual {residual:.0f} px)",
                calibration,
                alignment,
                warnings,
            )
        transform[:2] = registration.transform

    measured, marks = [], []
    base_width, base_height = (baseline.image if baseline else image).shape[1::-1]
    for region in regions:
        left, top, right, bottom = (*region.box[:2], sum(region.box[::2]), sum(region.box[1::2]))
        if left < 0 or top < 0 or right > base_width or bottom > base_height:
            warnings.append(f"region {region.name} reaches outside the photo")
            continue
        x, y, w, h = (round(value * base_factor) for value in region.box)
        if min(w, h) < _MIN_REGION_PX:
            warnings.append(f"region {region.name} is too small to measure")
            continue
        pad = REGION_PAD_PX
        padded = _crop(work, (x - pad, y - pad, w + 2 * pad, h + 2 * pad), transform)
        figures, structure = _measure_region(region.name, padded, fit)
        measured.append(figures)
        marks.append(_region_marks(region.name, structure, (x, y, w, h), transform, factor))
    return MeasureResult(
        status=STATUS_DONE,
        reason=reason,
        warnings=tuple(warnings),
        method_version=METHOD_VERSION,
        calibration=calibration,
        alignment=alignment,
        regions=tuple(measured),
        marks=tuple(marks),
    )
