"""The region's edge: the background near it comes from the skin around the region (not a
reflection of the region), and a spot only partly inside is not counted. On a real face
(scikit-image's public-domain `astronaut`, framed as the capture guide asks) this used to
draw dark crescents along the cheek boxes: 3 and 1 "spots" covering 22 % and 17 % of them."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from skimage import data

from needlepoint.domain.photo_measures import Region, faces
from needlepoint.domain.photo_measures.engine import measure_photo
from needlepoint.domain.photo_measures.figures import REGION_PAD_PX, structure_figures
from needlepoint.domain.photo_measures.regions import default_regions

from .synth import Capture, Scene, Spot, capture

BOX = (40, 120, 480, 400)
WHOLE = tuple(Spot(x=120 + 90 * i, y=300, radius=6) for i in range(4))


@pytest.fixture(scope="module")
def portrait():
    face = data.astronaut()[10:250, 105:345]
    image = cv2.resize(face, (1500, 1500), interpolation=cv2.INTER_CUBIC)
    regions = default_regions("front", face=faces.detect_face(image), width=1500, height=1500)
    return measure_photo(image, regions=regions)


def test_clear_cheeks_of_a_real_face_have_next_to_no_spots(portrait):
    assert portrait.status == "done", portrait.reason
    cheeks = {r.region: r for r in portrait.regions if r.region.endswith("_cheek")}
    assert set(cheeks) == {"left_cheek", "right_cheek"}
    for name, cheek in cheeks.items():
        assert cheek.spot_count <= 1, name
        assert cheek.spot_area_pct < 1.0, name


def test_a_spot_cut_by_the_regions_edge_is_not_counted():
    cut = (Spot(x=BOX[0], y=250, radius=9), Spot(x=300, y=BOX[1], radius=9))
    result = measure_photo(
        capture(Scene(spots=WHOLE + cut, shading=6.0), Capture()),
        regions=[Region("forehead", BOX)],
    )
    (measured,) = result.regions
    assert measured.spot_count == len(WHOLE)


def test_no_counted_spot_touches_the_region_border():
    # A dark patch filling the window's margin and reaching into the region: left out whole.
    rng = np.random.default_rng(1)
    size, pad = 200, REGION_PAD_PX
    l_star = (60 + rng.normal(0, 0.8, (size + 2 * pad, size + 2 * pad))).astype(np.float32)
    yy, xx = np.mgrid[: size + 2 * pad, : size + 2 * pad]
    l_star[(xx - pad) ** 2 + (yy - pad - 100) ** 2 < 25**2] -= 10  # on the left edge
    l_star[(xx - pad - 100) ** 2 + (yy - pad - 100) ** 2 < 8**2] -= 10  # whole, inside
    figures = structure_figures(l_star, pad)
    assert figures.spots is not None and figures.spots.shape == (size, size)
    assert figures.spot_count == 1
    border = np.concatenate(
        [figures.spots[0], figures.spots[-1], figures.spots[:, 0], figures.spots[:, -1]]
    )
    assert not border.any()
