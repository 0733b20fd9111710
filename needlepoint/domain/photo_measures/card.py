"""Finding the 24-patch ColorChecker Classic in a photo and reading its patches.

Card-plane coordinates: the patch grid spans ``[0, 6] x [0, 4]`` (one unit per patch pitch),
dark skin in the cell at the origin, the six-patch rows along u. A hint's corners are the
grid's outer corners clockwise from dark skin: (0, 0), (6, 0), (6, 4), (0, 4).

The automatic finder is our own (decision 0640): patches are the square, equal-sized islands
left between colour edges; their centres are put on the 6 x 4 grid and a homography maps the
grid onto the photo. Which corner holds dark skin is decided later, by the colour fit.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from needlepoint.domain.photo_measures.colour_space import ByteImage, to_linear
from needlepoint.domain.photo_measures.results import CardBox, CardHint, CardQuad

COLUMNS, ROWS = 6, 4
# The middle of each patch that is read (as a fraction of the pitch): wide enough to average
# noise, narrow enough to tolerate a hint or a fit that is off by a quarter of a patch.
SAMPLE_FRACTION = 0.4
_GRID_CORNERS = np.array([[0, 0], [COLUMNS, 0], [COLUMNS, ROWS], [0, ROWS]], dtype=np.float32)
_MIN_SQUARES = 12

Homography = npt.NDArray[np.float64]


@dataclass(frozen=True)
class CardLocation:
    """Homographies from card-plane coordinates to image pixels; one per possible reading
    of which corner is dark skin (a hint with corners gives exactly one)."""

    candidates: tuple[Homography, ...]


def _orientations(homography: Homography) -> tuple[Homography, ...]:
    # The same 6 x 4 grid read from each corner: turned half way, or mirrored (a selfie).
    flips = (
        np.eye(3),
        np.array([[-1, 0, COLUMNS], [0, -1, ROWS], [0, 0, 1]], dtype=np.float64),
        np.array([[-1, 0, COLUMNS], [0, 1, 0], [0, 0, 1]], dtype=np.float64),
        np.array([[1, 0, 0], [0, -1, ROWS], [0, 0, 1]], dtype=np.float64),
    )
    return tuple(homography @ flip for flip in flips)


def _quad_homography(corners: npt.NDArray[np.float32]) -> Homography:
    return np.asarray(cv2.getPerspectiveTransform(_GRID_CORNERS, corners), dtype=np.float64)


def _square_islands(image: ByteImage) -> npt.NDArray[np.float64]:
    """Centres (x, y), side and angle of the square islands between colour edges."""
    blurred = cv2.GaussianBlur(image, (0, 0), 1.2)
    edges = np.zeros(image.shape[:2], dtype=np.uint8)
    for channel in range(3):
        edges |= cv2.Canny(np.ascontiguousarray(blurred[..., channel]), 10, 30)
    edges = cv2.dilate(edges, np.ones((3, 3), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(
        (edges == 0).astype(np.uint8), connectivity=4
    )
    min_area = max(64.0, image.shape[0] * image.shape[1] * 2e-5)
    islands = []
    for label in range(1, count):
        area = float(stats[label, cv2.CC_STAT_AREA])
        width, height = stats[label, cv2.CC_STAT_WIDTH], stats[label, cv2.CC_STAT_HEIGHT]
        if area < min_area or area > 0.02 * image.shape[0] * image.shape[1]:
            continue
        if not 0.5 < width / height < 2.0:
            continue
        x0, y0 = stats[label, cv2.CC_STAT_LEFT], stats[label, cv2.CC_STAT_TOP]
        mask = (labels[y0 : y0 + height, x0 : x0 + width] == label).astype(np.uint8)
        points = cv2.findNonZero(mask)
        (cx, cy), (side_a, side_b), angle = cv2.minAreaRect(points)
        if min(side_a, side_b) <= 0 or not 0.8 < side_a / side_b < 1.25:
            continue
        if area / (side_a * side_b) < 0.88:  # disks and blobs fill less of their rectangle
            continue
        islands.append((cx + x0, cy + y0, (side_a + side_b) / 2, angle))
    return np.array(islands, dtype=np.float64).reshape(-1, 4)


def _grid_from_squares(squares: npt.NDArray[np.float64]) -> Homography | None:
    if len(squares) < _MIN_SQUARES:
        return None
    # The card's patches are the biggest family of equal squares.
    sides = squares[:, 2]
    best = max(
        (squares[np.abs(sides / side - 1) < 0.25] for side in sides), key=len, default=squares
    )
    if len(best) < _MIN_SQUARES:
        return None
    centres = best[:, :2]
    # The grid's angle is the patches' angle modulo a quarter turn (a circular mean of 4θ).
    quarter = np.radians(best[:, 3]) * 4
    angle = np.arctan2(np.sin(quarter).mean(), np.cos(quarter).mean()) / 4
    turn = np.array([[np.cos(angle), np.sin(angle)], [-np.sin(angle), np.cos(angle)]])
    along = centres @ turn.T
    # The pitch along each axis (they differ when the card is seen at a slant): the median
    # distance to the nearest patch in that direction.
    offsets = along[:, None, :] - along[None, :, :]
    pitches = []
    for axis in (0, 1):
        ahead = np.abs(offsets[..., axis])
        ahead[np.abs(offsets[..., 1 - axis]) > 0.5 * ahead] = np.inf
        np.fill_diagonal(ahead, np.inf)
        nearest = ahead.min(axis=1)
        if not np.isfinite(nearest).any():
            return None
        pitches.append(float(np.median(nearest[np.isfinite(nearest)])))
    scaled = (along - along.min(axis=0)) / np.array(pitches)
    cells = np.round(scaled).astype(int)
    if np.abs(scaled - cells).max() > 0.35:
        return None
    span = tuple(cells.max(axis=0) + 1)
    if span == (ROWS, COLUMNS):
        cells = cells[:, ::-1]
    elif span != (COLUMNS, ROWS):
        return None
    homography, inliers = cv2.findHomography(
        (cells + 0.5).astype(np.float32), centres.astype(np.float32), cv2.RANSAC, 0.2 * min(pitches)
    )
    if homography is None or int(inliers.sum()) < _MIN_SQUARES:
        return None
    return np.asarray(homography, dtype=np.float64)


def _find_in(image: ByteImage, offset: tuple[int, int] = (0, 0)) -> Homography | None:
    grid = _grid_from_squares(_square_islands(image))
    if grid is None:
        return None
    shift = np.array([[1, 0, offset[0]], [0, 1, offset[1]], [0, 0, 1]], dtype=np.float64)
    return shift @ grid


def locate_card(image: ByteImage, hint: CardHint | None) -> CardLocation | None:
    """Where the card is: from the hint's corners, inside the hint's box, or anywhere."""
    if isinstance(hint, CardQuad):
        return CardLocation((_quad_homography(np.array(hint.corners, dtype=np.float32)),))
    if isinstance(hint, CardBox):
        x, y, w, h = hint.box
        pad_x, pad_y = w // 10, h // 10
        x0, y0 = max(0, x - pad_x), max(0, y - pad_y)
        crop = image[y0 : y + h + pad_y, x0 : x + w + pad_x]
        found = _find_in(np.ascontiguousarray(crop), (x0, y0)) if crop.size else None
        if found is None:
            # Trust the box itself: the grid's long side along the box's long side.
            corners = [[x, y], [x + w, y], [x + w, y + h], [x, y + h]]
            if h > w:
                corners = corners[1:] + corners[:1]
            found = _quad_homography(np.array(corners, dtype=np.float32))
        return CardLocation(_orientations(found))
    found = _find_in(image)
    return None if found is None else CardLocation(_orientations(found))


def sample_patches(image: ByteImage, homography: Homography) -> npt.NDArray[np.float64]:
    """Median linear RGB of the middle of each of the 24 patches, in reading order; NaN
    for a patch that falls outside the image or has a clipped (255) pixel."""
    half = SAMPLE_FRACTION / 2
    values = np.full((ROWS * COLUMNS, 3), np.nan)
    height, width = image.shape[:2]
    for row in range(ROWS):
        for column in range(COLUMNS):
            u, v = column + 0.5, row + 0.5
            square = np.array(
                [
                    [
                        [u - half, v - half],
                        [u + half, v - half],
                        [u + half, v + half],
                        [u - half, v + half],
                    ]
                ],
                dtype=np.float64,
            )
            corners = cv2.perspectiveTransform(square, homography)[0]
            x0, y0 = np.floor(corners.min(axis=0)).astype(int)
            x1, y1 = np.ceil(corners.max(axis=0)).astype(int) + 1
            if x0 < 0 or y0 < 0 or x1 > width or y1 > height:
                continue
            mask = np.zeros((y1 - y0, x1 - x0), dtype=np.uint8)
            cv2.fillConvexPoly(mask, np.round(corners - [x0, y0]).astype(np.int32), 1)
            pixels = image[y0:y1, x0:x1][mask.astype(bool)]
            if len(pixels) < 4 or (pixels >= 255).any(axis=1).mean() > 0.01:
                continue
            values[row * COLUMNS + column] = np.median(to_linear(pixels), axis=0)
    return values
