"""Calibrated colour: ITA° and a* hold under white-balance casts; a bad card is refused."""

import math

import pytest

from needlepoint.domain.photo_measures import METHOD_VERSION, CardBox, CardQuad, Region
from needlepoint.domain.photo_measures.engine import measure_photo
from needlepoint.domain.photo_measures.figures import ita_degrees
from tests.domain.photo_measures.synth import Capture, Scene, capture

BOX = (40, 120, 240, 200)
REGION = [Region("left_cheek", BOX)]


@pytest.mark.parametrize(
    ("l_star", "b_star", "expected"),
    [(75, 12, 64.36), (65, 16, 43.15), (58, 18, 23.96), (40, 18, -29.05), (30, 14, -55.01)],
)
def test_ita_is_the_angle_of_l_and_b(l_star, b_star, expected):
    assert ita_degrees(l_star, b_star) == pytest.approx(expected, abs=0.01)


@pytest.mark.parametrize("skin", [(65.0, 12.0, 16.0), (45.0, 15.0, 22.0)])
@pytest.mark.parametrize(("kelvin", "exposure"), [(5704, 0.9), (6504, 0.7), (7304, 0.85)])
def test_ita_and_redness_within_target_under_a_cast(skin, kelvin, exposure):
    scene = Scene(skin_lab=skin, shading=0.0)
    photo = capture(scene, Capture(kelvin=kelvin, exposure=exposure, seed=kelvin))

    result = measure_photo(photo, regions=REGION)

    assert result.status == "done", result.reason
    assert result.method_version == METHOD_VERSION
    assert result.calibration.card_found
    assert result.calibration.delta_e2000_mean < 3
    (measured,) = result.regions
    true_ita = math.degrees(math.atan2(skin[0] - 50, skin[2]))
    assert measured.ita_deg == pytest.approx(true_ita, abs=2.0)
    assert measured.a_star == pytest.approx(skin[1], abs=1.5)
    assert measured.l_star == pytest.approx(skin[0], abs=1.5)


def test_the_cast_is_what_the_card_removes():
    # Without the card the same cast moves b* (and so ITA) well past the target: the
    # test above passes because of the correction, not because the cast is mild.
    from needlepoint.domain.photo_measures.colour_space import linear_to_lab, to_linear

    scene = Scene(shading=0.0, card=None)
    photo = capture(scene, Capture(kelvin=5704, exposure=0.9))
    x, y, w, h = BOX
    lab = linear_to_lab(to_linear(photo[y : y + h, x : x + w])).reshape(-1, 3).mean(axis=0)
    raw_ita = ita_degrees(float(lab[0]), float(lab[2]))
    assert abs(raw_ita - math.degrees(math.atan2(15, 16))) > 4


def test_no_card_gives_no_colour_figures_and_says_why():
    result = measure_photo(capture(Scene(card=None)), regions=REGION)

    assert result.status == "done"
    assert not result.calibration.card_found
    assert result.calibration.delta_e2000_mean is None
    assert "no colour card" in result.reason
    (measured,) = result.regions
    assert measured.l_star is None and measured.ita_deg is None and measured.a_star is None
    assert measured.redness_area_pct is None
    assert measured.spot_count is not None and measured.texture is not None


def test_a_bad_card_is_refused_with_its_reason():
    result = measure_photo(capture(Scene(card_lab_error=12.0)), regions=REGION)

    assert result.status == "not_measured"
    assert result.reason.startswith("card not usable: ")
    assert result.calibration.card_found
    assert result.calibration.delta_e2000_mean > 5
    assert result.regions == ()


def test_a_card_found_from_its_corners_or_inside_its_box():
    scene = Scene(card=((520, 380), (780, 400), (770, 560), (515, 545)))
    photo = capture(scene, Capture(kelvin=7000))
    hints = [
        CardQuad(((520, 380), (780, 400), (770, 560), (515, 545))),
        CardBox((505, 370, 285, 200)),
        None,
    ]
    for hint in hints:
        result = measure_photo(photo, regions=REGION, card_hint=hint)
        assert result.calibration.card_found, hint
        assert result.calibration.delta_e2000_mean < 3, hint


def test_a_card_turned_upside_down_is_read_the_right_way_round():
    scene = Scene(card=((770, 540), (560, 540), (560, 400), (770, 400)))
    result = measure_photo(capture(scene), regions=REGION)
    assert result.calibration.delta_e2000_mean < 3


def test_a_loose_card_fit_is_measured_with_a_warning():
    result = measure_photo(capture(Scene(card_lab_error=4.0)), regions=REGION)

    assert result.status == "done"
    assert 3 < result.calibration.delta_e2000_mean <= 5
    assert len(result.warnings) == 1 and "colour correction is loose" in result.warnings[0]
    assert result.regions[0].ita_deg is not None
