"""Region names per view, checking drawn boxes, default boxes from a face box, and the
pinned face-detector file."""

from __future__ import annotations

import numpy as np
import pytest

from needlepoint.domain.photo_measures import Region, faces
from needlepoint.domain.photo_measures.regions import check_regions, default_regions, region_names


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


def test_front_regions_sit_in_the_face_box_in_their_places():
    placed = {
        r.name: r.box
        for r in default_regions("front", face=(100, 100, 200, 200), width=640, height=480)
    }
    assert set(placed) == set(region_names("front"))
    for x, y, w, h in placed.values():
        assert x >= 100 and x + w <= 300 and y >= 100 and y + h <= 300
    # The patient's left cheek is on the right of a frontal photo; forehead above chin.
    assert placed["left_cheek"][0] > placed["right_cheek"][0]
    assert placed["forehead"][1] < placed["nose"][1] < placed["chin"][1]


def test_without_a_face_a_face_view_gets_no_regions_and_a_body_view_its_centre():
    assert default_regions("front", face=None, width=640, height=480) == ()
    assert default_regions("abdomen", face=None, width=640, height=480) == (
        Region("area", (160, 120, 320, 240)),
    )


def test_a_cascade_file_that_differs_from_the_pinned_one_is_refused(tmp_path, monkeypatch):
    fake = tmp_path / faces.CASCADE_FILE
    fake.write_text("<opencv_storage/>")
    monkeypatch.setattr(faces, "cascade_path", lambda: fake)
    faces._cascade.cache_clear()
    try:
        with pytest.raises(faces.CascadeMismatch, match="SHA-256"):
            faces.detect_face(np.zeros((100, 100, 3), np.uint8))
    finally:
        faces._cascade.cache_clear()
