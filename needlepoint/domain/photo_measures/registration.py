"""Aligning a later photo to its view's baseline, both at the working scale.

ORB features with a RANSAC similarity give the global move (robust to large shifts and a
change of distance); ECC (affine) refines it on smoothed grey. The residual is what
remains: the shift that phase correlation still finds between the baseline and the aligned
photo.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt
from skimage.registration import phase_cross_correlation

from needlepoint.domain.photo_measures.colour_space import ByteImage

Affine = npt.NDArray[np.float64]  # 2 x 3, maps baseline pixels to photo pixels

# Registration runs on a half-size grey image; the transform is scaled back.
_SCALE = 0.5
_MIN_INLIERS = 12


@dataclass(frozen=True)
class Registration:
    transform: Affine | None
    residual_px: float | None  # in working pixels


def _grey(image: ByteImage, mask_out: npt.NDArray[np.bool_] | None) -> npt.NDArray[np.uint8]:
    grey = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    small = cv2.resize(grey, None, fx=_SCALE, fy=_SCALE, interpolation=cv2.INTER_AREA)
    if mask_out is not None:
        hidden = cv2.resize(mask_out.astype(np.uint8), small.shape[::-1]) > 0
        small[hidden] = int(np.median(small[~hidden])) if (~hidden).any() else 0
    return np.asarray(small, dtype=np.uint8)


def _features(baseline: npt.NDArray[np.uint8], photo: npt.NDArray[np.uint8]) -> Affine | None:
    orb = cv2.ORB.create(nfeatures=3000)
    kp_b, des_b = orb.detectAndCompute(baseline, None)
    kp_p, des_p = orb.detectAndCompute(photo, None)
    if des_b is None or des_p is None or len(kp_b) < _MIN_INLIERS or len(kp_p) < _MIN_INLIERS:
        return None
    matches = cv2.BFMatcher(cv2.NORM_HAMMING, crossCheck=True).match(des_b, des_p)
    if len(matches) < _MIN_INLIERS:
        return None
    src = np.array([kp_b[m.queryIdx].pt for m in matches], dtype=np.float32)
    dst = np.array([kp_p[m.trainIdx].pt for m in matches], dtype=np.float32)
    transform, inliers = cv2.estimateAffinePartial2D(
        src, dst, method=cv2.RANSAC, ransacReprojThreshold=2.0
    )
    if transform is None or int(inliers.sum()) < _MIN_INLIERS:
        return None
    return np.asarray(transform, dtype=np.float64)


def _refine(
    baseline: npt.NDArray[np.uint8], photo: npt.NDArray[np.uint8], start: Affine
) -> Affine | None:
    warp = start.astype(np.float32)
    criteria = (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 100, 1e-5)
    try:
        # ECC's warp maps template (baseline) coordinates into the input (photo).
        _, warp = cv2.findTransformECC(
            baseline.astype(np.float32),
            photo.astype(np.float32),
            warp,
            cv2.MOTION_AFFINE,
            criteria,
            None,
            5,
        )
    except cv2.error:
        return None
    return np.asarray(warp, dtype=np.float64)


def _residual(
    baseline: npt.NDArray[np.uint8], photo: npt.NDArray[np.uint8], transform: Affine
) -> float:
    aligned = cv2.warpAffine(
        photo,
        transform.astype(np.float32),
        baseline.shape[::-1],
        flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
        borderMode=cv2.BORDER_REFLECT,
    )
    shift, _, _ = phase_cross_correlation(
        baseline.astype(np.float32), aligned.astype(np.float32), upsample_factor=10
    )
    return float(np.hypot(*shift))


def register(
    baseline: ByteImage,
    photo: ByteImage,
    *,
    baseline_mask_out: npt.NDArray[np.bool_] | None = None,
    photo_mask_out: npt.NDArray[np.bool_] | None = None,
) -> Registration:
    """The transform from baseline to photo (working pixels), or None if neither method
    converged. Masked-out areas (the card, which moves with the hand) are ignored."""
    grey_b = _grey(baseline, baseline_mask_out)
    grey_p = _grey(photo, photo_mask_out)
    start = _features(grey_b, grey_p)
    refined = _refine(grey_b, grey_p, start if start is not None else np.eye(2, 3))
    small = refined if refined is not None else start
    if small is None:
        return Registration(transform=None, residual_px=None)
    residual = _residual(grey_b, grey_p, small) / _SCALE
    # Back to full working scale: same rotation, translation scaled up.
    transform = small.copy()
    transform[:, 2] /= _SCALE
    return Registration(transform=transform, residual_px=residual)
