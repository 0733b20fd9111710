"""The photo measures in words on the staff page and the portal's progress page: a change in
a sentence only beyond what repeat photos vary by, "measuring…" and reasons in words,
lines and texture labelled experimental."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client

from needlepoint.outcomes.measure_charts import change_sentence
from needlepoint.outcomes.models import PhotoMeasureRegion

from .test_measure_series import _photo

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _history(patient, *, shared=False):
    first = _photo(patient, date(2026, 1, 5), 10.0, shared=shared)
    _photo(patient, date(2026, 3, 5), 8.0, shared=shared)
    _photo(patient, date(2026, 4, 5), None, status="pending", shared=shared)
    _photo(
        patient, date(2026, 4, 6), None, status="not_measured",
        reason="card not usable: colour error ΔE 6.1 is above 5", shared=shared,
    )  # fmt: skip
    # Repeats at the first visit: 10.0 and 10.2, so photos vary by far less than the change.
    _photo(patient, date(2026, 1, 5), 10.2, shared=shared)
    PhotoMeasureRegion.objects.filter(measure__photo=first).update(texture=3.0)


def test_the_sentence_is_only_written_beyond_the_mdc():
    assert change_sentence("Spots", 10.0, 8.0, 0.6) == (
        "Spots: −20.0 % since baseline (photos vary by ±6.0 %)",
        "",
    )
    sentence, variation = change_sentence("Spots", 10.0, 9.7, 0.6)
    assert sentence == "" and "No change beyond" in variation
    assert change_sentence("Spots", 10.0, 5.0, None)[0] == ""


def test_the_staff_page_plots_and_words_the_measures(aesthetician, patient, staff_client):
    _history(patient.patient)
    response = staff_client(aesthetician).get(
        f"/staff/patients/{patient.patient.pk}/photo-measures/?view=front"
    )
    assert response.status_code == 200
    text = _text(response)
    assert "Spots · left cheek" in text
    assert re.search(r"Spots: −2\d\.\d % since baseline \(photos vary by ±\d\.\d %\)", text), text
    assert "measuring…" in text
    assert "not measured: card not usable: colour error ΔE 6.1 is above 5" in text
    assert "Texture · left cheek experimental" in text
    assert 'class="mdc-band"' in response.content.decode()
    assert "not_measured" not in text and "spot_area_pct" not in text


def test_the_portal_shows_the_shared_photos_measures(patient):
    _history(patient.patient, shared=True)
    client = Client()
    client.force_login(patient.user)
    text = _text(client.get("/portal/progress/"))
    assert "What your photos show" in text
    assert re.search(r"Spots: −2\d\.\d % since baseline", text)
    assert "measuring…" in text


def test_the_capture_page_says_measuring_while_pending(aesthetician, patient, staff_client):
    _photo(patient.patient, date(2026, 1, 5), None, status="pending")
    response = staff_client(aesthetician).get(
        f"/staff/patients/{patient.patient.pk}/photos/?on=2026-01-05"
    )
    assert "Measures: measuring…" in _text(response)


def test_regions_are_drawn_with_number_inputs_and_a_bad_box_keeps_the_typed_numbers(
    aesthetician, patient, staff_client
):
    from needlepoint.outcomes.models import ViewRegions

    _photo(patient.patient, date(2026, 1, 5), None, status="pending")  # 640 x 480
    client = staff_client(aesthetician)
    url = f"/staff/patients/{patient.patient.pk}/photo-measures/regions/?view=front"
    page = _text(client.get(url))
    assert "Left cheek" in page and "From left" in page and "Forehead" in page

    bad = {"view": "front", "chin_x": "600", "chin_y": "400", "chin_w": "100", "chin_h": "100"}
    refused = client.post(url, bad)
    assert refused.status_code == 422
    assert "must lie inside the 640 x 480 photo" in _text(refused)
    assert 'value="600"' in refused.content.decode()
    assert not ViewRegions.objects.exists()

    good = {"view": "front", "chin_x": "300", "chin_y": "380", "chin_w": "80", "chin_h": "60"}
    saved = client.post(url, good)
    assert saved.status_code == 302
    row = ViewRegions.objects.get(patient=patient.patient, view="front")
    assert row.regions == [{"name": "chin", "box": [300, 380, 80, 60]}]
    assert row.source == "drawn"
