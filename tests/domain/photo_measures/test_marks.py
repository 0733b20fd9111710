"""Where the engine says the spots and lines are (in the measured photo's pixels, through the
working scale and the alignment to the baseline), and the picture drawn from them."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from needlepoint.domain.photo_measures import Region
from needlepoint.domain.photo_measures.engine import Baseline, measure_photo
from needlepoint.domain.photo_measures.overlay import LINE_COLOUR, SPOT_COLOUR, draw_marks

from .synth import Capture, Line, Scene, Spot, capture

SPOTS = (Spot(120, 200, 6), Spot(250, 300, 7), Spot(330, 180, 6))
LINE = Line((120, 420), (400, 440), sigma=1.2, contrast=7.0)
SCENE = Scene(spots=SPOTS, lines=(LINE,), shading=0.0, features=False)
REGIONS = (Region("left_cheek", (40, 120, 440, 360)),)


def _centres(outlines):
    return sorted(tuple(np.mean(np.asarray(o, dtype=float), axis=0)) for o in outlines)


@pytest.fixture(scope="module")
def baseline():
    image = capture(SCENE)
    return image, measure_photo(image, regions=REGIONS)


def test_the_spots_are_outlined_where_they_are_in_the_photo(baseline):
    _, result = baseline
    (marks,) = result.marks
    assert len(marks.spots) == result.regions[0].spot_count == len(SPOTS)
    for (x, y), spot in zip(_centres(marks.spots), sorted(SPOTS, key=lambda s: s.x), strict=True):
        assert (x, y) == pytest.approx((spot.x, spot.y), abs=2)
    assert marks.outline == ((40, 120), (480, 120), (480, 480), (40, 480))


def test_the_line_is_traced_along_its_length(baseline):
    _, result = baseline
    (marks,) = result.marks
    # The longest trace is the drawn line (skin texture may add a speck the engine counts too).
    longest = max(marks.lines, key=lambda o: np.ptp(np.asarray(o)[:, 0]))
    xs = [x for x, _ in longest]
    ys = [y for _, y in longest]
    assert min(xs) <= LINE.start[0] + 10 and max(xs) >= LINE.end[0] - 10
    assert min(ys) >= 410 and max(ys) <= 450


def test_on_a_later_photo_the_marks_follow_the_skin_not_the_baseline_pixels(baseline):
    base_image, _ = baseline
    moved = capture(SCENE, Capture(seed=3, shift=(12.0, -8.0)))
    result = measure_photo(moved, regions=REGIONS, baseline=Baseline(1, base_image))
    assert result.status == "done", result.reason
    (marks,) = result.marks
    expected = sorted((s.x + 12, s.y - 8) for s in SPOTS)
    for found, want in zip(_centres(marks.spots), expected, strict=True):
        assert found == pytest.approx(want, abs=2.5)
    assert marks.outline[0] == pytest.approx((52, 112), abs=2)


def test_the_picture_shows_spots_and_lines_in_their_colours(baseline):
    image, result = baseline
    picture = draw_marks(image, result.marks)
    drawn = cv2.imdecode(np.frombuffer(picture, np.uint8), cv2.IMREAD_COLOR)[..., ::-1]
    # Framed on the region (40-480 x 120-480) with a third of its extent around it.
    assert drawn.shape == (600 - 0, 480 + 146, 3)
    image = image[:, :626]

    def count(x, y, blue_green: bool, r=10):
        r_, g, b = (drawn[y - r : y + r, x - r : x + r].astype(int)[..., i] for i in range(3))
        hit = (g > r_ + 60) & (b > r_ + 60) if blue_green else (r_ > g + 60) & (b > g + 40)
        return int(hit.sum())

    assert SPOT_COLOUR[1] > SPOT_COLOUR[0] and LINE_COLOUR[0] > LINE_COLOUR[1]
    for spot in SPOTS:
        assert count(round(spot.x), round(spot.y), blue_green=True) >= 5
        assert count(round(spot.x), round(spot.y), blue_green=False) == 0
    assert count(260, 430, blue_green=False) >= 5
    # Far from every mark the photo is untouched (JPEG aside).
    assert np.abs(drawn[60:100, 520:600].astype(int) - image[60:100, 520:600]).mean() < 3


def test_a_small_region_is_shown_framed_on_it():
    image = capture(SCENE)
    (marks,) = measure_photo(image, regions=(Region("nose", (180, 220, 140, 140)),)).marks
    assert len(marks.spots) == 1  # the spot at (250, 300)
    drawn = cv2.imdecode(np.frombuffer(draw_marks(image, [marks]), np.uint8), cv2.IMREAD_COLOR)
    # 140 px and a third of it each side: from (133, 173) to (366, 406).
    assert drawn.shape[:2] == (233, 233)
    b, g, r = (
        drawn[127 - 10 : 127 + 10, 117 - 10 : 117 + 10].astype(int)[..., i] for i in range(3)
    )
    assert ((g > r + 60) & (b > r + 60)).sum() >= 5


def test_a_wide_photo_is_drawn_at_most_the_picture_width():
    wide = np.full((1000, 4000, 3), 180, np.uint8)
    picture = draw_marks(wide, (), width=1600)
    assert cv2.imdecode(np.frombuffer(picture, np.uint8), cv2.IMREAD_COLOR).shape[:2] == (400, 1600)
