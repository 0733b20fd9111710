"""Repeat photos of the same skin (new noise, a small shift and turn) give the same figures;
MDC95 comes from such repeats; a photo that cannot be aligned is not compared."""

import math
import statistics

import pytest

from needlepoint.domain.photo_measures import Region, mdc95
from needlepoint.domain.photo_measures.engine import Baseline, measure_photo
from tests.domain.photo_measures.synth import Capture, Line, Scene, Spot, capture

BOX = (40, 120, 480, 400)
SCENE = Scene(
    spots=tuple(Spot(x=90 + 100 * i, y=200 + 60 * (i % 2), radius=6 + i) for i in range(4)),
    lines=(Line((80, 420), (420, 440)), Line((100, 480), (380, 470))),
    shading=5.0,
)
SHOTS = [
    Capture(seed=10, shift=(0.0, 0.0)),
    Capture(seed=11, shift=(4.0, -3.0), rotation_deg=1.0, kelvin=6000),
    Capture(seed=12, shift=(-6.0, 2.5), rotation_deg=-1.5, kelvin=7000),
    Capture(seed=13, shift=(2.5, 5.0), rotation_deg=0.5, exposure=0.8),
    Capture(seed=14, shift=(-3.0, -4.5), rotation_deg=-0.8, kelvin=5800),
]


def _cv(values):
    return statistics.stdev(values) / statistics.mean(values)


def test_five_renders_repeat_within_the_targets():
    baseline = capture(SCENE, SHOTS[0])
    results = [measure_photo(baseline, regions=[Region("cheek", BOX)])]
    for shot in SHOTS[1:]:
        results.append(
            measure_photo(
                capture(SCENE, shot),
                regions=[Region("cheek", BOX)],
                baseline=Baseline(photo_id=1, image=baseline),
            )
        )
    for result in results[1:]:
        assert result.status == "done", result.reason
        assert result.alignment.baseline_photo == 1
        assert result.alignment.residual_px < 0.01 * SCENE.width
    regions = [result.regions[0] for result in results]

    assert _cv([r.spot_area_pct for r in regions]) <= 0.05
    assert {r.spot_count for r in regions} == {4}
    assert _cv([r.texture for r in regions]) <= 0.05
    assert _cv([r.line_density for r in regions]) <= 0.08


def test_a_photo_of_other_skin_is_not_compared():
    baseline = capture(SCENE, SHOTS[0])
    other = capture(Scene(seed=7, features=False, card=None), Capture(seed=3))

    result = measure_photo(
        other, regions=[Region("cheek", BOX)], baseline=Baseline(photo_id=1, image=baseline)
    )

    assert result.status == "not_measured"
    assert "aligned to the baseline" in result.reason
    assert result.regions == ()


def test_mdc95_is_1_96_root_2_sem_from_within_group_repeats():
    groups = [[10.0, 12.0], [20.0, 21.0, 22.0], [5.0]]
    # Within-group squares: 2 + 2 = 4 over (1 + 2) degrees of freedom.
    sem = math.sqrt(4 / 3)

    mdc = mdc95(groups)

    assert mdc.sem == pytest.approx(sem)
    assert mdc.value == pytest.approx(1.96 * math.sqrt(2) * sem)
    assert mdc.photos == 5 and mdc.groups == 2


def test_mdc95_without_repeats_is_unknown():
    mdc = mdc95([[3.0], []])
    assert mdc.value is None and mdc.photos == 0


def test_a_nearer_camera_is_aligned_and_measures_the_same_spots():
    baseline = capture(SCENE, SHOTS[0])
    nearer = capture(SCENE, Capture(seed=21, shift=(5.0, -3.0), rotation_deg=1.0, scale=1.04))

    result = measure_photo(
        nearer, regions=[Region("cheek", BOX)], baseline=Baseline(photo_id=1, image=baseline)
    )

    assert result.status == "done", result.reason
    assert result.alignment.residual_px < 0.01 * SCENE.width
    (measured,) = result.regions
    assert measured.spot_count == 4


def test_a_region_outside_the_photo_is_left_out_with_a_warning():
    result = measure_photo(
        capture(SCENE, SHOTS[0]),
        regions=[Region("cheek", BOX), Region("beyond", (700, 500, 200, 200))],
    )

    assert [r.region for r in result.regions] == ["cheek"]
    assert result.warnings == ("region beyond reaches outside the photo",)
