"""Region names per view, checking drawn boxes, default boxes from the eyes or a face box,
and the pinned face-detector files. (A real face: test_faces.py.)"""

from __future__ import annotations

import numpy as np
import pytest

from needlepoint.domain.photo_measures import Region, faces
from needlepoint.domain.photo_measures.regions import (
    Face,
    check_regions,
    default_regions,
    region_names,
)


def test_names_per_view():
    assert set(region_names("front")) == {"forehead", "left_cheek", "right_cheek", "chin", "nose"}
    assert region_names("left_45") == ("left_cheek",)
    assert region_names("right_90") == ("right_cheek",)
    assert region_names("thighs") == ("area",)


def test_boxes_are_checked_inside_the_photo_and_named_once():
    problems = check_regions(
        "front",
        [
            Region("chin", (0, 0, 50, 50)),
            Region("chin", (0, 0, 50, 50)),
            Region("nose", (90, 0, 20, 20)),
        ],
        width=100,
        height=100,
    )
    assert [p.field for p in problems] == ["regions[1].name", "regions[2].box"]


def _centres(face: Face) -> dict[str, tuple[float, float]]:
    return {
        r.name: (r.box[0] + r.box[2] / 2, r.box[1] + r.box[3] / 2)
        for r in default_regions("front", face=face, width=640, height=480)
    }


def test_front_regions_are_placed_from_the_eyes():
    # Eyes 100 px apart, level, centred on (300, 200).
    placed = _centres(Face(box=(180, 110, 240, 240), eyes=((250.0, 200.0), (350.0, 200.0))))
    assert set(placed) == set(region_names("front"))
    assert placed["forehead"] == pytest.approx((300, 160), abs=1)
    assert placed["nose"] == pytest.approx((300, 240), abs=1)
    assert placed["chin"] == pytest.approx((300, 360), abs=1)
    # The patient's left cheek is on the right of a frontal photo, below that eye.
    assert placed["left_cheek"] == pytest.approx((360, 250), abs=1)
    assert placed["right_cheek"] == pytest.approx((240, 250), abs=1)


def test_a_tilted_head_tilts_the_placement():
    # The picture's right eye 100 px along and 100 px lower: "down" the face points down-left.
    placed = _centres(Face(box=(180, 110, 240, 240), eyes=((250.0, 150.0), (320.0, 220.0))))
    assert placed["chin"][0] < placed["forehead"][0]
    assert placed["chin"][1] > placed["nose"][1] > placed["forehead"][1]


def test_without_eyes_the_front_regions_use_where_eyes_usually_are_in_the_box():
    placed = _centres(Face(box=(100, 100, 200, 200)))
    assert set(placed) == set(region_names("front"))
    assert placed["left_cheek"][0] > 200 > placed["right_cheek"][0]
    assert placed["forehead"][1] < placed["nose"][1] < placed["chin"][1]


def test_a_region_that_would_fall_off_the_photo_is_left_out():
    placed = _centres(Face(box=(100, 300, 200, 180), eyes=((170.0, 380.0), (230.0, 380.0))))
    assert "chin" not in placed and "forehead" in placed


def test_without_a_face_a_face_view_gets_no_regions_and_a_body_view_its_centre():
    assert default_regions("front", face=None, width=640, height=480) == ()
    assert default_regions("abdomen", face=None, width=640, height=480) == (
        Region("area", (160, 120, 320, 240)),
    )


def test_a_cascade_file_that_differs_from_the_pinned_one_is_refused(tmp_path, monkeypatch):
    fake = tmp_path / faces.CASCADE_FILE
    fake.write_text("<opencv_storage/>")
    monkeypatch.setattr(faces, "cascade_path", lambda name=faces.CASCADE_FILE: fake)
    faces._cascade.cache_clear()
    try:
        with pytest.raises(faces.CascadeMismatch, match="SHA-256"):
            faces.detect_face(np.zeros((100, 100, 3), np.uint8))
    finally:
        faces._cascade.cache_clear()
