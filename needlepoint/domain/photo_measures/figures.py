"""The per-region figures, on an L*a*b* crop already at the working scale.

Every spatial constant is in working pixels: photos are resampled so that their width is
`WORK_WIDTH` before anything is measured, so a figure does not depend on the phone's
resolution, only on the framing (which the capture guide holds constant). At the nominal
framing (a face about 150 mm across filling two thirds of the width) a working pixel is
1/7.5 mm, which is how lengths and areas below are given in mm.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np
import numpy.typing as npt
from skimage.feature import graycomatrix, graycoprops
from skimage.filters import sato
from skimage.morphology import skeletonize

FloatImage = npt.NDArray[np.float32]
Mask = npt.NDArray[np.bool_]

WORK_WIDTH = 2000
PX_PER_MM = 7.5
# Low-frequency shading (face curvature, light fall-off) is what a Gaussian of 4 mm keeps.
BACKGROUND_SIGMA_PX = 30.0
# Spots and lines are looked for on a window this much wider than the region on every side, so
# the background near the region's edge is estimated from the skin around it rather than from
# a reflection of the region (which drew dark crescents along the edges of small regions).
REGION_PAD_PX = round(BACKGROUND_SIGMA_PX)
# Spots: at least this much darker than the local background (L*) and this big (1 mm²).
SPOT_DELTA_L = 4.0
MIN_BLOB_PX = round(1.0 * PX_PER_MM**2)
BLOB_MIN_ROUNDNESS = 0.4
# Red areas: a* this much above the local background.
RED_DELTA_A = 4.0
# Lines: sato scales (σ in px, about 0.25-0.6 mm); 0.385 is sato's peak per L* of contrast
# on a Gaussian-profile line; lines of less than 2 L* contrast or 2 mm length are ignored.
LINE_SIGMAS = (2.0, 3.0, 4.5)
SATO_PEAK_PER_CONTRAST = 0.385
LINE_MIN_CONTRAST = 2.0
LINE_MIN_LENGTH_PX = 2.0 * PX_PER_MM
LINE_MIN_ELONGATION = 3.0  # long side of the box around a line / its short side
# Evenness and texture look at L* with the shading removed and smoothed by 0.2 mm, so that
# pixel noise and resampling (a carried-over region is interpolated) do not count as skin.
FINE_SIGMA_PX = 1.5
# Texture: that L* (centred on 50) on a fixed scale of 256 levels over 0-100 (0.39 L* a
# level), compared between pixels 2 and 4 px apart.
TEXTURE_LEVELS = 256
TEXTURE_STEP = 100.0 / (TEXTURE_LEVELS - 1)
TEXTURE_DISTANCES = (2, 4)


@dataclass(frozen=True)
class ColourFigures:
    l_star: float
    a_star: float
    b_star: float
    ita_deg: float
    redness_area_pct: float


@dataclass(frozen=True)
class StructureFigures:
    evenness_sd: float
    spot_count: int
    spot_area_pct: float
    line_density: float
    texture: float
    # Where the counted spots and lines are (crop pixels), for the pictures drawn over the
    # photo; not part of the figures' equality.
    spots: Mask | None = field(default=None, compare=False, repr=False)
    lines: Mask | None = field(default=None, compare=False, repr=False)


def ita_degrees(l_star: float, b_star: float) -> float:
    return float(np.degrees(np.arctan2(l_star - 50.0, b_star)))


def _blur(values: FloatImage, sigma: float) -> FloatImage:
    if sigma < 8:
        return np.asarray(
            cv2.GaussianBlur(values, (0, 0), sigma, borderType=cv2.BORDER_REFLECT), np.float32
        )
    # A wide blur keeps only low frequencies: blur a quarter-size copy and scale it back up
    # (about 15 times faster at σ = 30 px, and within 0.01 L* of the full blur on skin).
    height, width = values.shape
    small = cv2.resize(
        values, (max(1, width // 4), max(1, height // 4)), interpolation=cv2.INTER_AREA
    )
    small = cv2.GaussianBlur(small, (0, 0), sigma / 4, borderType=cv2.BORDER_REFLECT)
    return np.asarray(
        cv2.resize(small, (width, height), interpolation=cv2.INTER_LINEAR), np.float32
    )


def local_background(values: FloatImage, exclude: Mask | None = None) -> FloatImage:
    """Gaussian background, computed without the excluded pixels (normalised convolution),
    so spots do not pull their own background towards them."""
    if exclude is None or not exclude.any():
        return _blur(values, BACKGROUND_SIGMA_PX)
    weight = (~exclude).astype(np.float32)
    total = _blur(values * weight, BACKGROUND_SIGMA_PX)
    share = _blur(weight, BACKGROUND_SIGMA_PX)
    fallback = _blur(values, BACKGROUND_SIGMA_PX)
    return np.where(share > 0.05, total / np.maximum(share, 1e-6), fallback).astype(np.float32)


def _departure(values: FloatImage, sign: float, threshold: float) -> FloatImage:
    # Two passes: the first finds what stands out, the second measures against a background
    # computed without it.
    first = sign * (values - local_background(values))
    background = local_background(values, exclude=first > threshold / 2)
    return _blur(sign * (values - background), 1.0)


def _blobs(
    mask: Mask, lines: Mask | None = None, *, whole_only: bool = False
) -> tuple[int, int, Mask]:
    """Count, total area and mask of the roundish components of at least 1 mm²; elongated
    ones (width/length under `BLOB_MIN_ROUNDNESS`) and those mostly on a line are pieces of
    lines. With `whole_only`, components touching the mask's edge are left out: only part of
    them is in the region, so neither their shape nor their area can be judged."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), 8)
    kept, total = 0, 0
    is_kept = np.zeros(count, dtype=bool)
    for label in range(1, count):
        area = int(stats[label, cv2.CC_STAT_AREA])
        if area < MIN_BLOB_PX:
            continue
        x, y = stats[label, cv2.CC_STAT_LEFT], stats[label, cv2.CC_STAT_TOP]
        w, h = stats[label, cv2.CC_STAT_WIDTH], stats[label, cv2.CC_STAT_HEIGHT]
        if whole_only and (x == 0 or y == 0 or x + w == mask.shape[1] or y + h == mask.shape[0]):
            continue
        points = cv2.findNonZero((labels[y : y + h, x : x + w] == label).astype(np.uint8))
        _, sides, _ = cv2.minAreaRect(points)
        if min(sides) + 1 < BLOB_MIN_ROUNDNESS * (max(sides) + 1):
            continue
        if (
            lines is not None
            and lines[y : y + h, x : x + w][labels[y : y + h, x : x + w] == label].mean() > 0.5
        ):
            continue
        kept, total = kept + 1, total + area
        is_kept[label] = True
    return kept, total, is_kept[labels]


def colour_figures(lab: FloatImage) -> ColourFigures:
    l_star, a_star, b_star = (float(np.median(lab[..., i])) for i in range(3))
    _, red_px, _ = _blobs(
        _departure(np.ascontiguousarray(lab[..., 1]), 1.0, RED_DELTA_A) > RED_DELTA_A
    )
    return ColourFigures(
        l_star=l_star,
        a_star=a_star,
        b_star=b_star,
        ita_deg=ita_degrees(l_star, b_star),
        redness_area_pct=100.0 * red_px / lab[..., 0].size,
    )


def skeleton_lengths(labels: npt.NDArray[np.int32], count: int) -> npt.NDArray[np.float64]:
    """Length of each labelled one-pixel skeleton piece, with Kulpa's weights: 0.948 per
    orthogonal step and 1.343 per diagonal step (a diagonal step that also has an orthogonal
    corner is already counted)."""
    s = labels > 0
    steps = (
        (labels[:, :-1], s[:, :-1] & s[:, 1:], 0.948),
        (labels[:-1, :], s[:-1, :] & s[1:, :], 0.948),
        (labels[:-1, :-1], s[:-1, :-1] & s[1:, 1:] & ~s[:-1, 1:] & ~s[1:, :-1], 1.343),
        (labels[:-1, 1:], s[:-1, 1:] & s[1:, :-1] & ~s[:-1, :-1] & ~s[1:, 1:], 1.343),
    )
    lengths = np.zeros(count, dtype=np.float64)
    for owner, joined, weight in steps:
        lengths += weight * np.bincount(owner[joined], minlength=count)[:count]
    lengths[0] = 0.0
    return lengths


def line_mask(l_star: FloatImage, pad: int = 0) -> tuple[Mask, float]:
    """Ridges darker than their surroundings that are long (2 mm) and thin (the box around
    them at least 3 times as long as wide: a spot's rim is round); and their length in px.
    A ridge is judged whole, but only its part inside the `pad` margin is kept and measured."""
    response = np.asarray(sato(l_star, sigmas=LINE_SIGMAS, black_ridges=True), np.float32)
    mask = response > SATO_PEAK_PER_CONTRAST * LINE_MIN_CONTRAST
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), 8)
    skeleton = np.asarray(skeletonize(mask), dtype=bool)
    lengths = skeleton_lengths(np.where(skeleton, labels, 0).astype(np.int32), count)
    inner = _inner(pad)
    inside = skeleton_lengths(np.where(skeleton, labels, 0)[inner].astype(np.int32), count)
    is_line = np.zeros(count, dtype=bool)
    for label in np.flatnonzero(lengths >= LINE_MIN_LENGTH_PX):
        x, y = stats[label, cv2.CC_STAT_LEFT], stats[label, cv2.CC_STAT_TOP]
        w, h = stats[label, cv2.CC_STAT_WIDTH], stats[label, cv2.CC_STAT_HEIGHT]
        points = cv2.findNonZero((labels[y : y + h, x : x + w] == label).astype(np.uint8))
        _, sides, _ = cv2.minAreaRect(points)
        is_line[label] = max(sides) >= LINE_MIN_ELONGATION * (min(sides) + 1)
    return is_line[labels][inner], float(inside[is_line].sum())


def _inner(pad: int) -> tuple[slice, slice]:
    return (slice(pad, -pad), slice(pad, -pad)) if pad else (slice(None), slice(None))


def line_density(length_px: float, area_px: int) -> float:
    """Line length per skin area, in mm per cm² at the nominal scale."""
    return (length_px / PX_PER_MM) / (area_px / PX_PER_MM**2 / 100.0)


def texture_figure(detrended: FloatImage) -> float:
    """Root-mean-square L* step between pixels 2 and 4 px apart (GLCM contrast on a fixed
    quantisation of L* around its background; never rescaled to the image's own range)."""
    levels = np.clip(np.round((detrended + 50.0) / TEXTURE_STEP), 0, TEXTURE_LEVELS - 1)
    matrix = graycomatrix(
        levels.astype(np.uint8),
        distances=list(TEXTURE_DISTANCES),
        angles=[0, np.pi / 4, np.pi / 2, 3 * np.pi / 4],
        levels=TEXTURE_LEVELS,
        symmetric=True,
        normed=True,
    )
    contrast = float(np.mean(graycoprops(matrix, "contrast")))
    return float(np.sqrt(contrast) * TEXTURE_STEP)


def structure_figures(l_star: FloatImage, pad: int = 0) -> StructureFigures:
    """The figures of the region inside a `pad`-pixel margin of `l_star` (the margin only
    informs the background and whole ridges); spots touching the region's edge are left out."""
    inner = _inner(pad)
    dark = _departure(l_star, -1.0, SPOT_DELTA_L)
    lines, line_px = line_mask(l_star, pad)
    spot_count, spot_px, spots = _blobs((dark > SPOT_DELTA_L)[inner], lines, whole_only=True)
    detrended = _blur(
        l_star - local_background(l_star, exclude=dark > SPOT_DELTA_L / 2), FINE_SIGMA_PX
    )[inner]
    area = detrended.size
    return StructureFigures(
        evenness_sd=float(np.std(detrended)),
        spot_count=spot_count,
        spot_area_pct=100.0 * spot_px / area,
        line_density=line_density(line_px, area),
        texture=texture_figure(np.ascontiguousarray(detrended)),
        spots=spots,
        lines=lines,
    )
