"""Measuring is queued when a photo is stored; regions drawn per view are checked, stored,
audited and re-measure the view; the series carries the MDC of each measure."""

from __future__ import annotations

import cv2
import pytest
from django_tasks_db.models import DBTaskResult

from needlepoint.audit.models import AuditEvent
from needlepoint.outcomes.models import PhotoMeasure, ViewRegions
from needlepoint.outcomes.tasks import measure_photo
from tests.domain.photo_measures.synth import Capture, Scene, Spot, capture

pytestmark = pytest.mark.django_db

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


def _queued(photo_id: int) -> int:
    return DBTaskResult.objects.filter(
        task_path=measure_photo.module_path, args_kwargs__args=[photo_id]
    ).count()


def _put(client, patient_id, body):
    return client.client.put(
        f"/api/v1/patients/{patient_id}/regions",
        body,
        content_type="application/json",
        headers=client.headers,
    )


def test_a_stored_photo_is_queued_after_commit_and_the_job_measures_it(
    aesthetician, patient, api, django_capture_on_commit_callbacks
):
    staff = api(aesthetician)
    with django_capture_on_commit_callbacks(execute=True):
        photo_id = _upload(staff, patient.patient.pk, view="abdomen").json()["id"]
    assert _queued(photo_id) == 1
    assert staff.get(f"/photos/{photo_id}/measures").json()["status"] == "pending"

    assert measure_photo.call(photo_id) == "measured"  # what the worker runs, synchronously

    body = staff.get(f"/photos/{photo_id}/measures").json()
    assert body["status"] == "done", body["reason"]
    # A body view with nothing drawn is measured in its central area, stored as detected.
    assert [r["region"] for r in body["regions"]] == ["area"]
    row = ViewRegions.objects.get(patient=patient.patient, view="abdomen")
    assert row.source == "detected" and row.regions[0]["name"] == "area"


def test_drawn_regions_are_stored_audited_and_the_view_measured_again(
    aesthetician, patient, api, django_capture_on_commit_callbacks
):
    staff = api(aesthetician)
    pid = patient.patient.pk
    first = _upload(staff, pid).json()["id"]
    later = _upload(staff, pid, Capture(seed=5, shift=(4.0, -2.0)), taken_on="2026-02-05").json()[
        "id"
    ]
    measure_photo.call(first)
    assert PhotoMeasure.objects.get(photo_id=first).status == "not_measured"

    body = {"view": "front", "regions": [{"name": "left_cheek", "box": [40, 120, 240, 200]}]}
    with django_capture_on_commit_callbacks(execute=True):
        response = _put(staff, pid, body)
    assert response.status_code == 200, response.content
    assert response.json()["source"] == "drawn"
    assert (_queued(first), _queued(later)) == (1, 1)
    assert PhotoMeasure.objects.get(photo_id=first).status == "pending"
    assert AuditEvent.objects.filter(action="photo.regions_save", patient_id=str(pid)).exists()

    measure_photo.call(first)
    measure_photo.call(later)
    for photo_id in (first, later):
        result = staff.get(f"/photos/{photo_id}/measures").json()
        assert result["status"] == "done", result["reason"]
        assert [r["region"] for r in result["regions"]] == ["left_cheek"]

    got = staff.get(f"/patients/{pid}/regions", view="front").json()
    assert got["regions"] == body["regions"] and got["source"] == "drawn"


@pytest.mark.parametrize(
    ("view", "regions", "field"),
    [
        ("front", [{"name": "elbow", "box": [0, 0, 50, 50]}], "regions[0].name"),
        ("left_45", [{"name": "right_cheek", "box": [0, 0, 50, 50]}], "regions[0].name"),
        ("front", [{"name": "chin", "box": [700, 500, 200, 200]}], "regions[0].box"),
        ("front", [{"name": "chin", "box": [0, 0, "a", 5]}], "regions[0].box"),
        ("front", [], "regions"),
        ("sideways", [{"name": "chin", "box": [0, 0, 50, 50]}], "view"),
        ("back", [{"name": "area", "box": [0, 0, 50, 50]}], "view"),  # no photo to draw on
    ],
)
def test_bad_regions_are_refused_naming_the_field(aesthetician, patient, api, view, regions, field):
    staff = api(aesthetician)
    _upload(staff, patient.patient.pk)
    _upload(staff, patient.patient.pk, view="left_45")
    response = _put(staff, patient.patient.pk, {"view": view, "regions": regions})
    assert response.status_code == 422, response.content
    assert field in [e["field"] for e in response.json()["errors"]]
    assert not ViewRegions.objects.exists()


def test_only_staff_draw_regions(patient, api):
    response = _put(api(patient), patient.patient.pk, {"view": "front", "regions": []})
    assert response.status_code in (403, 404)
