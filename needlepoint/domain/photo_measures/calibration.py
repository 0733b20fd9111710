"""Colour correction from the card: a 3 x 3 matrix fitted in linear RGB, and its residual.

The fit is least squares from the photo's patch values to the card's reference values
(Cheung 2004 with three terms, as colour-science names it): a plain matrix, so exposure and
white balance, both linear in light, are undone exactly and nothing is over-fitted to 24
points. The residual is the mean CIEDE2000 between corrected and reference patches.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from needlepoint.domain.photo_measures.card import CardLocation, sample_patches
from needlepoint.domain.photo_measures.colour_space import (
    CARD_REFERENCE_LAB,
    CARD_REFERENCE_LINEAR,
    ByteImage,
    delta_e2000,
    linear_to_lab,
)

# Patches an 8-bit sRGB photo cannot hold (cyan lies outside sRGB) never count.
_IN_GAMUT = (CARD_REFERENCE_LINEAR >= 0).all(axis=1) & (CARD_REFERENCE_LINEAR <= 1).all(axis=1)
# Fewer readable patches than this and the fit means little.
MIN_PATCHES = 18


@dataclass(frozen=True)
class ColourFit:
    matrix: npt.NDArray[np.float64]  # corrected = matrix @ measured, in linear RGB
    delta_e_mean: float
    delta_e_max: float
    patches_used: int


def _fit(measured: npt.NDArray[np.float64]) -> ColourFit | None:
    usable = _IN_GAMUT & ~np.isnan(measured).any(axis=1)
    if int(usable.sum()) < MIN_PATCHES:
        return None
    source, target = measured[usable], CARD_REFERENCE_LINEAR[usable]
    solution, *_ = np.linalg.lstsq(source, target, rcond=None)
    matrix = np.asarray(solution.T, dtype=np.float64)
    corrected = source @ matrix.T
    errors = delta_e2000(linear_to_lab(corrected), CARD_REFERENCE_LAB[usable])
    return ColourFit(
        matrix=matrix,
        delta_e_mean=float(errors.mean()),
        delta_e_max=float(errors.max()),
        patches_used=int(usable.sum()),
    )


def fit_colour(image: ByteImage, location: CardLocation) -> tuple[ColourFit | None, str]:
    """The best fit over the possible orientations of the card, or None and why not."""
    fits = [_fit(sample_patches(image, homography)) for homography in location.candidates]
    found = [fit for fit in fits if fit is not None]
    if not found:
        return None, f"fewer than {MIN_PATCHES} of its patches are readable (clipped or cut off)"
    return min(found, key=lambda fit: fit.delta_e_mean), ""


def apply_correction(
    linear: npt.NDArray[np.float32], fit: ColourFit | None
) -> npt.NDArray[np.float32]:
    if fit is None:
        return linear
    return (linear @ fit.matrix.T.astype(np.float32)).astype(np.float32)
