"""Photo measures over the API: the card hint on upload, the stored result, who may read it.

The worker (another engineer's task queue) calls `services.photo_measure_run`; here the
tests call it directly, synchronously."""

from __future__ import annotations

import json

import cv2
import pytest

from needlepoint.audit.models import AuditEvent
from needlepoint.domain.photo_measures import METHOD_VERSION, Region
from needlepoint.outcomes import services
from needlepoint.outcomes.models import Photo, PhotoMeasure
from tests.domain.photo_measures.synth import Capture, Scene, Spot, capture

from .conftest import upload

pytestmark = pytest.mark.django_db

QUAD = [[560, 400], [770, 400], [770, 540], [560, 540]]
REGIONS = [Region("left_cheek", (40, 120, 240, 200))]
SCENE = Scene(spots=(Spot(100, 200, 6), Spot(200, 250, 7)), shading=0.0)


def _jpeg(shot: Capture) -> bytes:
    ok, data = cv2.imencode(".jpg", capture(SCENE, shot)[..., ::-1], [cv2.IMWRITE_JPEG_QUALITY, 95])
    assert ok
    return data.tobytes()


def _upload(client, patient_id, shot=None, **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"view": "front", "taken_on": "2026-01-05", **fields}
    data["file"] = SimpleUploadedFile("face.jpg", _jpeg(shot or Capture()), "image/jpeg")
    return client.client.post(f"/api/v1/patients/{patient_id}/photos", data, headers=client.headers)


def test_a_photo_is_pending_then_measured_with_its_card_hint(aesthetician, patient, api):
    staff = api(aesthetician)
    response = _upload(staff, patient.patient.pk, card_quad=json.dumps(QUAD))
    assert response.status_code == 201, response.content
    photo_id = response.json()["id"]
    assert PhotoMeasure.objects.get(photo_id=photo_id).card_hint == {"card_quad": QUAD}

    pending = staff.get(f"/photos/{photo_id}/measures").json()
    assert pending["status"] == "pending" and pending["regions"] == []

    services.photo_measure_run(photo_id=photo_id, regions=REGIONS)
    body = staff.get(f"/photos/{photo_id}/measures").json()

    assert body["status"] == "done", body["reason"]
    assert body["method_version"] == METHOD_VERSION
    assert body["calibration"]["card_found"] is True
    assert body["calibration"]["delta_e2000_mean"] < 3
    assert body["alignment"] == {"baseline_photo": None, "residual_px": None}
    (region,) = body["regions"]
    assert region["region"] == "left_cheek"
    assert region["ita_deg"] == pytest.approx(43.15, abs=2)
    assert region["spot_count"] == 2
    assert AuditEvent.objects.filter(action="photo.measure", object_id=str(photo_id)).exists()
    assert AuditEvent.objects.filter(action="photo.measures_view").count() == 2


def test_a_later_photo_is_aligned_to_the_views_baseline(aesthetician, patient, api):
    staff = api(aesthetician)
    first = _upload(staff, patient.patient.pk).json()["id"]
    later = _upload(
        staff,
        patient.patient.pk,
        Capture(seed=5, shift=(5.0, -3.0), kelvin=6000),
        taken_on="2026-02-05",
    ).json()["id"]

    services.photo_measure_run(photo_id=later, regions=REGIONS)
    body = staff.get(f"/photos/{later}/measures").json()

    assert body["status"] == "done", body["reason"]
    assert body["alignment"]["baseline_photo"] == first
    assert body["alignment"]["residual_px"] < 8
    assert body["regions"][0]["spot_count"] == 2


def test_without_regions_the_photo_is_not_measured_and_says_why(aesthetician, patient, api):
    staff = api(aesthetician)
    photo_id = _upload(staff, patient.patient.pk).json()["id"]

    services.photo_measure_run(photo_id=photo_id)

    body = staff.get(f"/photos/{photo_id}/measures").json()
    assert body["status"] == "not_measured"
    assert "no regions" in body["reason"]


def test_the_patient_reads_measures_of_shared_photos_only(aesthetician, patient, api):
    photo_id = _upload(api(aesthetician), patient.patient.pk).json()["id"]
    assert api(patient).get(f"/photos/{photo_id}/measures").status_code == 404
    Photo.objects.filter(pk=photo_id).update(shared_with_patient=True)
    assert api(patient).get(f"/photos/{photo_id}/measures").status_code == 200
    assert api(aesthetician).get("/photos/999999/measures").status_code == 404


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"card_box": "[1, 2, 3]"}, "card_box"),
        ({"card_box": "not json"}, "card_box"),
        ({"card_quad": "[[0, 0], [1, 0], [1, 1]]"}, "card_quad"),
        ({"card_box": "[0, 0, 200, 150]", "card_quad": json.dumps(QUAD)}, "card_quad"),
    ],
)
def test_a_bad_card_hint_is_refused_naming_its_field(aesthetician, patient, api, fields, field):
    response = _upload(api(aesthetician), patient.patient.pk, **fields)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert Photo.objects.count() == 0


def test_a_card_box_is_stored_as_given(aesthetician, patient, api):
    response = _upload(api(aesthetician), patient.patient.pk, card_box="[540, 380, 250, 180]")
    assert response.status_code == 201, response.content
    stored = PhotoMeasure.objects.get(photo_id=response.json()["id"]).card_hint
    assert stored == {"card_box": [540, 380, 250, 180]}


def test_uploads_through_the_existing_helper_still_work(aesthetician, patient, api):
    from .conftest import make_image

    assert upload(api(aesthetician), patient.patient.pk, make_image()).status_code == 201
