"""The automatic region finder on a real face: scikit-image's `astronaut` (Eileen Collins,
a NASA portrait in the public domain, shipped inside the scikit-image wheel, 512 x 512).

The landmark positions below were read off the picture by eye, in its pixels."""

from __future__ import annotations

import numpy as np
import pytest
from skimage import data

from needlepoint.domain.photo_measures import faces
from needlepoint.domain.photo_measures.regions import default_regions

RIGHT_EYE = (204, 101)  # the patient's right: on the left of the picture
LEFT_EYE = (247, 104)
WHERE = {
    "right_cheek": (197, 122),
    "left_cheek": (252, 122),
    "nose": (224, 120),  # between the bridge (110) and the tip (126)
    "chin": (222, 175),
}
FOREHEAD = ((205, 245), (74, 90))  # between the fringe and the brows


def _centre(box):
    x, y, w, h = box
    return (x + w / 2, y + h / 2)


@pytest.fixture(scope="module")
def astronaut():
    return data.astronaut()


def test_the_face_and_both_eyes_are_found(astronaut):
    face = faces.detect_face(astronaut)
    assert face is not None and face.eyes is not None
    assert face.eyes[0] == pytest.approx(RIGHT_EYE, abs=5)
    assert face.eyes[1] == pytest.approx(LEFT_EYE, abs=5)


def test_front_regions_land_on_the_cheeks_nose_chin_and_forehead(astronaut):
    face = faces.detect_face(astronaut)
    placed = {r.name: r.box for r in default_regions("front", face=face, width=512, height=512)}
    for name, point in WHERE.items():
        assert _centre(placed[name]) == pytest.approx(point, abs=8), name
    (left, right), (top, bottom) = FOREHEAD
    x, y = _centre(placed["forehead"])
    assert left <= x <= right and top <= y <= bottom


def test_a_side_view_gets_the_cheek_of_its_side(astronaut):
    face = faces.detect_face(astronaut, profile=True)
    (left,) = default_regions("left_45", face=face, width=512, height=512)
    (right,) = default_regions("right_45", face=face, width=512, height=512)
    assert _centre(left.box) == pytest.approx(WHERE["left_cheek"], abs=12)
    assert _centre(right.box) == pytest.approx(WHERE["right_cheek"], abs=12)


def test_a_face_turned_to_the_side_is_found_by_the_profile_detector():
    # The cameraman (public domain, shipped with scikit-image) is seen from his side; the
    # frontal detector misses him, the profile one finds his head (read off by eye).
    cameraman = np.dstack([data.camera()] * 3)
    assert faces.detect_face(cameraman) is None
    face = faces.detect_face(cameraman, profile=True)
    assert face is not None
    assert _centre(face.box) == pytest.approx((226, 152), abs=30)
    # He looks to the right of the picture: his right cheek, between ear and nose, faces us.
    (cheek,) = default_regions("right_90", face=face, width=512, height=512)
    assert _centre(cheek.box) == pytest.approx((215, 160), abs=15)


def test_no_face_in_a_cat(astronaut):
    assert faces.detect_face(data.chelsea(), profile=True) is None


def test_the_pinned_cascades_are_the_installed_ones():
    for name in faces.CASCADE_SHA256:
        path = faces.cascade_path(name)
        assert path is not None, f"{name} is not shipped by the installed OpenCV"
        faces._cascade.cache_clear()
        assert faces._cascade(name) is not None
