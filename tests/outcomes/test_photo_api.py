"""Photo API: upload, list, view; object-by-object authorisation; every view audited once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from needlepoint.audit.models import AuditEvent
from needlepoint.outcomes.models import Photo

from .conftest import make_image, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo_id(aesthetician, patient, api):
    response = upload(api(aesthetician), patient.patient.pk, make_image())
    assert response.status_code == 201, response.content
    return response.json()["id"]


def share(photo_id: int, shared: bool = True) -> None:
    Photo.objects.filter(pk=photo_id).update(shared_with_patient=shared)


def test_an_aesthetician_uploads_a_photo_and_gets_its_links(
    aesthetician, patient, api, private_storage
):
    response = upload(api(aesthetician), patient.patient.pk, make_image(), view="left_45")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["view"] == "left_45" and body["taken_on"] == "2026-01-05"
    assert body["url"] == f"/api/v1/photos/{body['id']}"
    assert body["thumbnail_url"].endswith("?size=thumb")
    photo = Photo.objects.get(pk=body["id"])
    assert photo.file_name.startswith("photos/") and "face" not in photo.file_name
    assert (private_storage / photo.file_name).exists()
    assert (private_storage / photo.thumb_name).exists()


def test_an_upload_is_audited_once(aesthetician, patient, api):
    before = AuditEvent.objects.count()
    upload(api(aesthetician), patient.patient.pk, make_image())
    events = list(AuditEvent.objects.filter(id__gt=0).order_by("id"))[before:]
    assert [(e.action, e.patient_id) for e in events] == [("photo.upload", str(patient.patient.pk))]


def test_refused_uploads_name_every_bad_field_and_store_nothing(
    aesthetician, patient, api, private_storage
):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = upload(
        api(aesthetician), patient.patient.pk, b"not an image", view="chin", taken_on=tomorrow
    )
    assert response.status_code == 422
    fields = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert set(fields) == {"view", "taken_on", "file"}
    assert "future" in fields["taken_on"]
    assert Photo.objects.count() == 0
    assert not (private_storage / "photos").exists() or not any(
        (private_storage / "photos").iterdir()
    )


@pytest.mark.parametrize(
    ("data", "name", "content_type", "needle"),
    [
        (b"plain text", "face.jpg", "image/jpeg", "not an image"),
        ("png", "face.jpg", "image/jpeg", "really a PNG"),
        ("truncated", "face.jpg", "image/jpeg", "truncated"),
    ],
)
def test_refusals_over_the_api_answer_422_on_the_file_field(
    aesthetician, patient, api, private_storage, data, name, content_type, needle
):
    if data == "png":
        data = make_image("PNG")
    elif data == "truncated":
        whole = make_image(size=(600, 400))
        data = whole[: len(whole) // 2]
    response = upload(
        api(aesthetician), patient.patient.pk, data, name=name, content_type=content_type
    )
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "file" and needle in error["message"]
    assert Photo.objects.count() == 0


def test_a_bad_date_and_a_missing_file_are_field_errors(aesthetician, patient, api):
    client = api(aesthetician)
    response = client.client.post(
        f"/api/v1/patients/{patient.patient.pk}/photos",
        {"view": "front", "taken_on": "05/01/2026"},
        headers=client.headers,
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["file"]


def test_a_json_body_instead_of_multipart_is_not_a_server_error(aesthetician, patient, api):
    response = api(aesthetician).post(
        f"/api/v1/patients/{patient.patient.pk}/photos"[7:], {"view": "front"}
    )
    assert response.status_code == 422


def test_a_garbled_multipart_body_is_not_a_server_error(aesthetician, patient, api):
    client = api(aesthetician)
    response = client.client.generic(
        "POST",
        f"/api/v1/patients/{patient.patient.pk}/photos",
        data=b'--xx\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\nabc',
        content_type="multipart/form-data; boundary=xx",
        headers=client.headers,
    )
    assert response.status_code < 500


def test_the_same_idempotency_key_replays_without_a_second_photo(aesthetician, patient, api):
    client = api(aesthetician)
    data = make_image()
    first = upload(client, patient.patient.pk, data, headers={"Idempotency-Key": "k1"})
    again = upload(client, patient.patient.pk, data, headers={"Idempotency-Key": "k1"})
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert Photo.objects.count() == 1


@pytest.mark.parametrize(
    "changed",
    [{"data": make_image(size=(100, 200))}, {"view": "left_45"}, {"name": "other.jpg"}],
    ids=["other file", "other field", "other file name"],
)
def test_an_idempotency_key_reused_for_another_upload_is_422(aesthetician, patient, api, changed):
    client = api(aesthetician)
    first = {"data": make_image(), "headers": {"Idempotency-Key": "k2"}}
    assert upload(client, patient.patient.pk, **first).status_code == 201
    again = upload(client, patient.patient.pk, **{**first, **changed})
    assert again.status_code == 422
    assert [e["field"] for e in again.json()["errors"]] == ["Idempotency-Key"]
    assert Photo.objects.count() == 1


def test_front_desk_and_patients_may_not_upload(front_desk, patient, api):
    assert upload(api(front_desk), patient.patient.pk, make_image()).status_code == 403
    assert upload(api(patient), patient.patient.pk, make_image()).status_code == 403


def test_upload_for_a_missing_patient_is_404(aesthetician, api):
    assert upload(api(aesthetician), 999999, make_image()).status_code == 404


def test_staff_with_photo_view_get_the_jpeg_bytes(physician, photo_id, api):
    response = api(physician).get(f"/photos/{photo_id}")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert response.content[:2] == b"\xff\xd8"
    thumb = api(physician).get(f"/photos/{photo_id}", size="thumb")
    assert thumb.status_code == 200 and len(thumb.content) < len(response.content)


def test_each_photo_view_is_audited_exactly_once(aesthetician, patient, photo_id, api):
    before = AuditEvent.objects.filter(action="photo.view").count()
    api(aesthetician).get(f"/photos/{photo_id}")
    api(aesthetician).get(f"/photos/{photo_id}", size="thumb")
    views = list(AuditEvent.objects.filter(action="photo.view").order_by("id"))[before:]
    assert [(e.object_id, e.patient_id, e.detail["size"]) for e in views] == [
        (str(photo_id), str(patient.patient.pk), "full"),
        (str(photo_id), str(patient.patient.pk), "thumb"),
    ]


def test_a_patient_sees_their_own_photo_once_the_clinic_shares_it(patient, photo_id, api):
    assert api(patient).get(f"/photos/{photo_id}").status_code == 404
    share(photo_id)
    assert api(patient).get(f"/photos/{photo_id}").status_code == 200


def test_another_patients_photo_is_404_even_when_shared(other_patient, photo_id, api):
    share(photo_id)
    response = api(other_patient).get(f"/photos/{photo_id}")
    assert response.status_code == 404
    denied = AuditEvent.objects.filter(action="photo.view", outcome="denied").latest("id")
    assert denied.actor_username == "otto"


@pytest.mark.parametrize("role", ["front_desk", "clinic_admin"])
def test_staff_without_photo_view_get_404_for_photos(role, personas, photo_id, api):
    assert api(personas[role]).get(f"/photos/{photo_id}").status_code == 404


def test_a_missing_photo_is_404_and_anonymous_is_401(aesthetician, api):
    assert api(aesthetician).get("/photos/424242").status_code == 404
    assert api(None).get("/photos/1").status_code == 401


def test_the_list_is_paginated_and_patients_see_only_shared(aesthetician, patient, photo_id, api):
    upload(api(aesthetician), patient.patient.pk, make_image(), view="left_45")
    staff = api(aesthetician).get(f"/patients/{patient.patient.pk}/photos", limit=1)
    assert staff.status_code == 200
    assert staff.json()["count"] == 2 and len(staff.json()["items"]) == 1
    assert api(patient).get(f"/patients/{patient.patient.pk}/photos").json()["count"] == 0
    share(photo_id)
    own = api(patient).get(f"/patients/{patient.patient.pk}/photos").json()
    assert [p["id"] for p in own["items"]] == [photo_id]


def test_listing_another_patients_photos_is_404(other_patient, patient, photo_id, api):
    assert api(other_patient).get(f"/patients/{patient.patient.pk}/photos").status_code == 404
    assert api(other_patient).get("/patients/999999/photos").status_code == 404


def test_sharing_is_for_clinicians(aesthetician, front_desk, photo_id, api, patient):
    assert api(front_desk).post(f"/photos/{photo_id}/share", {"shared": True}).status_code == 403
    response = api(aesthetician).post(f"/photos/{photo_id}/share", {"shared": True})
    assert response.status_code == 200 and response.json()["shared_with_patient"] is True
    assert (
        AuditEvent.objects.filter(action="photo.share", patient_id=str(patient.patient.pk)).count()
        == 1
    )


@pytest.mark.parametrize("prefix", ["/static/", "/media/", "/private/", "/var/private/", "/"])
def test_photo_files_are_never_reachable_by_a_url(client, photo_id, prefix):
    photo = Photo.objects.get(pk=photo_id)
    for name in (photo.file_name, photo.thumb_name):
        response = client.get(prefix + name)
        assert response.status_code == 404
        assert response.get("Content-Type", "") != "image/jpeg"
