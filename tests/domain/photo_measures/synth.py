"""Synthetic photos with known truth for the photo-measures engine.

A scene is a skin field of known L*a*b* (with a gentle shading ramp and a fixed fine
texture), dark spots of known area, dark lines of known length and a 24-patch card rendered
from the same reference values the engine fits to. A capture of it adds what a camera and a
hand add: a white-balance cast (a Bradford adaptation from D65 to the white of another
colour temperature), exposure, a small shift and rotation, 8-bit storage and noise.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import cv2
import numpy as np

from needlepoint.domain.photo_measures.colour_space import (
    CARD_REFERENCE_LINEAR,
    RGB_TO_XYZ,
    XYZ_TO_RGB,
    lab_to_linear,
    srgb_encode,
)
from needlepoint.domain.photo_measures.figures import PX_PER_MM, WORK_WIDTH

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import colour


@dataclass(frozen=True)
class Spot:
    x: float
    y: float
    radius: float
    delta_l: float = -8.0


@dataclass(frozen=True)
class Line:
    start: tuple[float, float]
    end: tuple[float, float]
    sigma: float = 1.0  # Gaussian cross-profile, scene px
    contrast: float = 6.0  # L* darker at its centre

    @property
    def length(self) -> float:
        return float(np.hypot(self.end[0] - self.start[0], self.end[1] - self.start[1]))


@dataclass(frozen=True)
class Scene:
    width: int = 800
    height: int = 600
    skin_lab: tuple[float, float, float] = (65.0, 12.0, 16.0)
    shading: float = 4.0  # L* from left edge to right edge
    texture_sd: float = 0.8  # fixed fine skin texture, L*
    spots: tuple[Spot, ...] = ()
    lines: tuple[Line, ...] = ()
    # The patch grid's outer corners clockwise from dark skin, or None for no card.
    card: tuple[tuple[float, float], ...] | None = ((560, 400), (770, 400), (770, 540), (560, 540))
    card_lab_error: float = 0.0  # L*a*b* SD of a faded, mis-printed card
    # Eyes and a mouth near the top and bottom edges: what alignment holds on to in a face.
    features: bool = True
    seed: int = 1


# Where a 800 x 600 scene keeps its face features and card clear of: measure inside this.
SKIN_BOX = (40, 120, 480, 400)


@dataclass(frozen=True)
class Capture:
    kelvin: float = 6504.0  # the white the camera balanced to: D65 means no cast
    exposure: float = 0.9
    noise: float = 1.5  # 8-bit codes
    shift: tuple[float, float] = (0.0, 0.0)
    rotation_deg: float = 0.0
    scale: float = 1.0  # the camera a little nearer (> 1) or farther
    seed: int = 0


def _texture(scene: Scene, move: np.ndarray | None, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    # A fixed fine pattern of the skin: the same for every capture of the scene, sampled from
    # a 3x finer grid when the capture is moved so that moving it does not blur it.
    rng = np.random.default_rng(scene.seed)
    fine = 1 if move is None else 3
    noise = rng.normal(0, 1, (scene.height * fine, scene.width * fine)).astype(np.float32)
    pattern = cv2.GaussianBlur(noise, (0, 0), 0.7 * fine)
    pattern *= scene.texture_sd / pattern.std()
    if move is None:
        return pattern.astype(np.float64)
    map_x = ((xs + 0.5) * fine - 0.5).astype(np.float32)
    map_y = ((ys + 0.5) * fine - 0.5).astype(np.float32)
    return cv2.remap(pattern, map_x, map_y, cv2.INTER_CUBIC, borderMode=cv2.BORDER_REFLECT).astype(
        np.float64
    )


def _skin_lab(scene: Scene, move: np.ndarray | None = None) -> np.ndarray:
    """The scene's L*a*b* as the camera sees it; `move` (2 x 3) takes scene to photo pixels."""
    ys, xs = np.mgrid[0 : scene.height, 0 : scene.width].astype(np.float64)
    if move is not None:  # each photo pixel looks at this point of the scene
        back = cv2.invertAffineTransform(move)
        xs, ys = (
            back[0, 0] * xs + back[0, 1] * ys + back[0, 2],
            back[1, 0] * xs + back[1, 1] * ys + back[1, 2],
        )
    lab = np.empty((scene.height, scene.width, 3))
    lab[..., 0] = scene.skin_lab[0] + scene.shading * (xs / scene.width - 0.5)
    lab[..., 1] = scene.skin_lab[1]
    lab[..., 2] = scene.skin_lab[2]
    lab[..., 0] += _texture(scene, move, xs, ys)
    if scene.features:
        _face_features(lab, scene, xs, ys)
    for spot in scene.spots:
        lab[..., 0] += spot.delta_l * _disk_coverage(xs, ys, spot)
    for line in scene.lines:
        lab[..., 0] -= line.contrast * np.exp(
            -(_segment_distance(xs, ys, line) ** 2) / (2 * line.sigma**2)
        )
    return lab


def _face_features(lab: np.ndarray, scene: Scene, xs: np.ndarray, ys: np.ndarray) -> None:
    sx, sy = scene.width / 800, scene.height / 600
    for cx, cy, ax, ay, delta_l, delta_a in (
        (200, 60, 45, 18, -30, 0),
        (420, 60, 45, 18, -30, 0),
        (310, 565, 70, 20, -12, 12),
    ):
        inside = ((xs - cx * sx) / (ax * sx)) ** 2 + ((ys - cy * sy) / (ay * sy)) ** 2
        weight = np.clip((1.0 - inside) * 4, 0.0, 1.0)
        lab[..., 0] += delta_l * weight
        lab[..., 1] += delta_a * weight


def _disk_coverage(xs: np.ndarray, ys: np.ndarray, spot: Spot) -> np.ndarray:
    # Anti-aliased: the share of each pixel inside the disk, from its distance to the edge.
    distance = np.hypot(xs - spot.x, ys - spot.y)
    return np.clip(spot.radius + 0.5 - distance, 0.0, 1.0)


def _segment_distance(xs: np.ndarray, ys: np.ndarray, line: Line) -> np.ndarray:
    (x0, y0), (x1, y1) = line.start, line.end
    dx, dy = x1 - x0, y1 - y0
    t = np.clip(((xs - x0) * dx + (ys - y0) * dy) / (dx * dx + dy * dy), 0.0, 1.0)
    return np.hypot(xs - (x0 + t * dx), ys - (y0 + t * dy))


def _paint_card(linear: np.ndarray, scene: Scene, move: np.ndarray | None) -> None:
    assert scene.card is not None
    grid = np.float32([[0, 0], [6, 0], [6, 4], [0, 4]])
    corners = np.float32(scene.card)
    if move is not None:
        corners = cv2.transform(corners[None], move)[0].astype(np.float32)
    homography = cv2.getPerspectiveTransform(grid, corners)
    rng = np.random.default_rng(scene.seed + 99)

    def polygon(u0: float, v0: float, u1: float, v1: float) -> np.ndarray:
        square = np.float64([[[u0, v0], [u1, v0], [u1, v1], [u0, v1]]])
        return np.round(cv2.perspectiveTransform(square, homography)[0]).astype(np.int32)

    cv2.fillConvexPoly(linear, polygon(-0.3, -0.3, 6.3, 4.3), (0.012, 0.012, 0.012))
    reference = np.clip(CARD_REFERENCE_LINEAR, 0.0, 1.0)
    if scene.card_lab_error:
        reference = _misprinted(reference, scene.card_lab_error, rng)
    for index, value in enumerate(reference):
        row, column = divmod(index, 6)
        cv2.fillConvexPoly(
            linear,
            polygon(column + 0.1, row + 0.1, column + 0.9, row + 0.9),
            tuple(map(float, value)),
        )


def _misprinted(reference: np.ndarray, sd: float, rng: np.random.Generator) -> np.ndarray:
    from needlepoint.domain.photo_measures.colour_space import linear_to_lab

    lab = linear_to_lab(reference).astype(np.float64) + rng.normal(0, sd, reference.shape)
    return np.clip(lab_to_linear(lab), 0.0, 1.0)


def scene_linear(scene: Scene, move: np.ndarray | None = None) -> np.ndarray:
    linear = lab_to_linear(_skin_lab(scene, move))
    if scene.card is not None:
        _paint_card(linear, scene, move)
    return linear


def cast_matrix(kelvin: float) -> np.ndarray:
    """Linear sRGB → linear sRGB for a camera balanced to `kelvin` instead of D65."""
    d65 = RGB_TO_XYZ @ np.ones(3)
    xy = colour.temperature.CCT_to_xy_CIE_D(kelvin)
    target = colour.xy_to_XYZ(xy)
    adapt = colour.adaptation.matrix_chromatic_adaptation_VonKries(
        d65, target, transform="Bradford"
    )
    return XYZ_TO_RGB @ adapt @ RGB_TO_XYZ


def shot_move(scene: Scene, shot: Capture) -> np.ndarray | None:
    """Scene to photo pixels (2 x 3), or None for a capture that is not moved."""
    if shot.shift == (0.0, 0.0) and not shot.rotation_deg and shot.scale == 1.0:
        return None
    centre = (scene.width / 2, scene.height / 2)
    move = cv2.getRotationMatrix2D(centre, shot.rotation_deg, shot.scale)
    move[:, 2] += shot.shift
    return move


def capture(scene: Scene, shot: Capture = Capture()) -> np.ndarray:
    """The 8-bit RGB photo of the scene."""
    light = scene_linear(scene, shot_move(scene, shot))
    camera = light @ (cast_matrix(shot.kelvin) * shot.exposure).T
    codes = srgb_encode(camera) * 255 + np.random.default_rng(shot.seed).normal(
        0, shot.noise, camera.shape
    )
    return np.clip(np.round(codes), 0, 255).astype(np.uint8)


def px_per_mm(scene: Scene) -> float:
    """The engine's nominal scale, in this scene's pixels."""
    return PX_PER_MM * scene.width / WORK_WIDTH


def true_spot_pct(scene: Scene, box: tuple[int, int, int, int]) -> float:
    x, y, w, h = box
    inside = [s for s in scene.spots if x <= s.x < x + w and y <= s.y < y + h]
    return 100.0 * sum(np.pi * s.radius**2 for s in inside) / (w * h)


def true_line_density(scene: Scene, box: tuple[int, int, int, int]) -> float:
    """mm of line per cm² of the box, at the engine's nominal scale."""
    scale = px_per_mm(scene)
    _, _, w, h = box
    length_mm = sum(line.length for line in scene.lines) / scale
    return length_mm / (w * h / scale**2 / 100.0)
