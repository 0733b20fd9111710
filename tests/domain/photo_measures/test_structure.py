"""Spots, lines and texture against synthetic truth (shading ramp, noise, a colour cast)."""

import numpy as np
import pytest

from needlepoint.domain.photo_measures import Region
from needlepoint.domain.photo_measures.engine import measure_photo
from needlepoint.domain.photo_measures.figures import texture_figure
from tests.domain.photo_measures.synth import (
    Capture,
    Line,
    Scene,
    Spot,
    capture,
    true_line_density,
    true_spot_pct,
)

BOX = (40, 120, 480, 400)
SPOTS = tuple(
    Spot(x=80 + 90 * (i % 5), y=160 + 80 * (i // 5), radius=4 + (i * 7) % 7, delta_l=-8.0)
    for i in range(20)
)


def _measure(scene, shot=None):
    result = measure_photo(capture(scene, shot or Capture()), regions=[Region("forehead", BOX)])
    assert result.status == "done", result.reason
    (measured,) = result.regions
    return measured


def test_separated_spots_are_counted_exactly_and_their_area_within_ten_percent():
    scene = Scene(spots=SPOTS, shading=6.0)
    measured = _measure(scene, Capture(kelvin=5900))

    assert measured.spot_count == len(SPOTS)
    truth = true_spot_pct(scene, BOX)
    assert measured.spot_area_pct == pytest.approx(truth, rel=0.10)


def test_clear_skin_has_no_spots_and_the_shading_is_not_unevenness():
    flat = _measure(Scene(shading=0.0))
    shaded = _measure(Scene(shading=8.0))

    assert flat.spot_count == 0 and shaded.spot_count == 0
    assert flat.spot_area_pct == 0
    assert shaded.evenness_sd == pytest.approx(flat.evenness_sd, abs=0.1)


def _lines(count):
    # Separate horizontal-ish lines of 300 px at slightly different angles.
    return tuple(
        Line(start=(100, 150 + 45 * i), end=(400, 150 + 45 * i + 20 * (i % 3 - 1)))
        for i in range(count)
    )


def test_line_density_rises_with_true_density_and_is_within_fifteen_percent():
    measured = []
    for count in (1, 3, 6):
        scene = Scene(lines=_lines(count))
        density = _measure(scene).line_density
        truth = true_line_density(scene, BOX)
        assert density == pytest.approx(truth, rel=0.15), count
        measured.append(density)
    assert measured == sorted(measured) and len(set(measured)) == 3


def test_skin_without_lines_has_next_to_no_line_density():
    # Noise may leave a ridge of a few mm; it stays under a tenth of what one line gives.
    one_line = true_line_density(Scene(lines=_lines(1)), BOX)
    assert _measure(Scene(spots=SPOTS[:5])).line_density < 0.1 * one_line


def _rough(sd, shift=0.0, seed=3):
    rng = np.random.default_rng(seed)
    return (rng.normal(0, sd, (300, 300)) + shift).astype(np.float32)


def test_texture_is_on_a_fixed_scale_not_rescaled_per_image():
    base = texture_figure(_rough(1.0))
    assert texture_figure(_rough(2.0)) == pytest.approx(2 * base, rel=0.05)
    assert texture_figure(_rough(1.0, shift=5.0)) == pytest.approx(base, rel=0.01)
    outlier = _rough(1.0)
    outlier[10, 10] = 40.0
    assert texture_figure(outlier) == pytest.approx(base, rel=0.01)
