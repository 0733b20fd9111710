"""sRGB, linear RGB and CIE L*a*b* (D65, 2°), and the ColorChecker reference values.

Every conversion the engine makes goes through the functions here, and so do the reference
values of the card, so a photo of the card itself reads back its own reference exactly.
"""

from __future__ import annotations

import warnings

import numpy as np
import numpy.typing as npt

with warnings.catch_warnings():
    # colour-science warns at import that matplotlib (plots only) is absent.
    warnings.simplefilter("ignore")
    import colour

from needlepoint.domain.photo_measures.arrays import ByteImage as ByteImage
from needlepoint.domain.photo_measures.arrays import FloatArray as FloatArray

_SRGB = colour.RGB_COLOURSPACES["sRGB"]
RGB_TO_XYZ: npt.NDArray[np.float64] = np.asarray(_SRGB.matrix_RGB_to_XYZ, dtype=np.float64)
XYZ_TO_RGB: npt.NDArray[np.float64] = np.asarray(np.linalg.inv(RGB_TO_XYZ), dtype=np.float64)
# The D65 white of the sRGB space, as XYZ with Y = 1 (what RGB (1, 1, 1) is).
WHITE_XYZ: npt.NDArray[np.float64] = RGB_TO_XYZ @ np.ones(3)

_EPSILON = 216 / 24389
_KAPPA = 24389 / 27


def _srgb_decode(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.where(values <= 0.04045, values / 12.92, ((values + 0.055) / 1.055) ** 2.4)


def srgb_encode(linear: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    clipped = np.clip(linear, 0.0, 1.0)
    return np.where(clipped <= 0.0031308, clipped * 12.92, 1.055 * clipped ** (1 / 2.4) - 0.055)


# One entry per 8-bit code: decoding a whole image is a table look-up.
_DECODE_TABLE: FloatArray = _srgb_decode(np.arange(256) / 255.0).astype(np.float32)


def to_linear(image: ByteImage) -> FloatArray:
    """8-bit sRGB to linear RGB in [0, 1], float32."""
    return _DECODE_TABLE[image]


def linear_to_lab(linear: npt.NDArray[np.floating]) -> FloatArray:
    """Linear sRGB (…, 3) to L*a*b* (D65) as float32; negative light is clipped to zero."""
    xyz = np.clip(linear, 0.0, None).astype(np.float32) @ RGB_TO_XYZ.T.astype(np.float32)
    ratio = xyz / WHITE_XYZ.astype(np.float32)
    f = np.where(ratio > _EPSILON, np.cbrt(ratio), (_KAPPA * ratio + 16) / 116)
    lab = np.empty_like(f)
    lab[..., 0] = 116 * f[..., 1] - 16
    lab[..., 1] = 500 * (f[..., 0] - f[..., 1])
    lab[..., 2] = 200 * (f[..., 1] - f[..., 2])
    return np.asarray(lab, dtype=np.float32)


def lab_to_linear(lab: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """L*a*b* (D65) to linear sRGB (the inverse of `linear_to_lab`, unclipped)."""
    values = np.asarray(lab, dtype=np.float64)
    fy = (values[..., 0] + 16) / 116
    fx = fy + values[..., 1] / 500
    fz = fy - values[..., 2] / 200
    f = np.stack([fx, fy, fz], axis=-1)
    ratio = np.where(f**3 > _EPSILON, f**3, (116 * f - 16) / _KAPPA)
    xyz = ratio * WHITE_XYZ
    result: npt.NDArray[np.float64] = xyz @ XYZ_TO_RGB.T
    return result


def delta_e2000(first: npt.ArrayLike, second: npt.ArrayLike) -> npt.NDArray[np.float64]:
    return np.asarray(colour.delta_E(first, second, method="CIE 2000"), dtype=np.float64)


def _card_reference() -> tuple[tuple[str, ...], npt.NDArray[np.float64]]:
    # The card's published xyY values are under D50; Bradford adapts them to sRGB's D65.
    checker = colour.CCS_COLOURCHECKERS["ColorChecker24 - After November 2014"]
    names = tuple(str(name) for name in checker.data)
    xyz = colour.xyY_to_XYZ(np.array(list(checker.data.values())))
    linear = colour.XYZ_to_RGB(
        xyz,
        _SRGB,
        illuminant=checker.illuminant,
        chromatic_adaptation_transform="Bradford",
        apply_cctf_encoding=False,
    )
    return names, np.asarray(linear, dtype=np.float64)


# The 24 patches in reading order (row by row from dark skin to black), linear sRGB (D65).
CARD_PATCH_NAMES, CARD_REFERENCE_LINEAR = _card_reference()
CARD_REFERENCE_LAB: npt.NDArray[np.float64] = linear_to_lab(CARD_REFERENCE_LINEAR).astype(
    np.float64
)
