"""The picture of what the measures counted: drawn by the worker, kept privately beside the
photo, served through the photo view with the photo's own access checks (audited), shown on
the staff page baseline beside a later photo, and removed with the photo."""

from __future__ import annotations

import re

import cv2
import numpy as np
import pytest
from django.test import Client

from needlepoint.audit.models import AuditEvent
from needlepoint.core.file_store import photo_storage
from needlepoint.outcomes import services
from needlepoint.outcomes.models import Photo, PhotoMeasure
from needlepoint.outcomes.tasks import measure_photo

from .test_measure_regions import _upload

pytestmark = pytest.mark.django_db


def _measured(staff, patient_id, **fields) -> int:
    photo_id = _upload(staff, patient_id, view="abdomen", **fields).json()["id"]
    assert measure_photo.call(photo_id) == "measured"
    return photo_id


def _marks_url(photo_id: int, where: str = "staff") -> str:
    return f"/{where}/photos/{photo_id}/image/?size=marks"


def test_the_worker_draws_the_picture_and_staff_see_it_audited(
    aesthetician, patient, api, staff_client
):
    photo_id = _measured(api(aesthetician), patient.patient.pk)
    name = PhotoMeasure.objects.get(photo_id=photo_id).marks_name
    assert name.startswith("photos/") and name.endswith(".marks.jpg")
    assert photo_storage().exists(name)

    response = staff_client(aesthetician).get(_marks_url(photo_id))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    picture = cv2.imdecode(np.frombuffer(response.content, np.uint8), cv2.IMREAD_COLOR)
    photo = Photo.objects.get(pk=photo_id)
    # Framed on the measured area (the central quarter of a body photo) and around it.
    height, width = picture.shape[:2]
    assert photo.height / 2 < height <= photo.height and photo.width / 2 < width <= photo.width
    event = AuditEvent.objects.filter(action="photo.view", object_id=str(photo_id)).last()
    assert event is not None and event.detail["size"] == "marks"


def test_the_picture_has_the_photos_access_checks(
    aesthetician, patient, other_patient, api, staff_client
):
    photo_id = _measured(api(aesthetician), patient.patient.pk)
    own = Client()
    own.force_login(patient.user)
    other = Client()
    other.force_login(other_patient.user)
    assert own.get(_marks_url(photo_id, "portal")).status_code == 404  # not shared yet
    assert Client().get(_marks_url(photo_id)).status_code == 404  # signed out
    Photo.objects.filter(pk=photo_id).update(shared_with_patient=True)
    assert own.get(_marks_url(photo_id, "portal")).status_code == 200
    assert other.get(_marks_url(photo_id, "portal")).status_code == 404


def test_no_picture_until_measured_is_a_404_and_the_page_says_why(
    aesthetician, patient, api, staff_client
):
    photo_id = _upload(api(aesthetician), patient.patient.pk, view="abdomen").json()["id"]
    client = staff_client(aesthetician)
    assert client.get(_marks_url(photo_id)).status_code == 404
    page = client.get(f"/staff/patients/{patient.patient.pk}/photo-measures/?view=abdomen")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.content.decode()))
    assert "No picture yet: measuring…" in text


def test_measuring_again_replaces_the_picture_and_removes_the_old_file(
    aesthetician, patient, api, django_capture_on_commit_callbacks
):
    photo_id = _measured(api(aesthetician), patient.patient.pk)
    first = PhotoMeasure.objects.get(photo_id=photo_id).marks_name
    with django_capture_on_commit_callbacks(execute=True):
        measure_photo.call(photo_id)
    second = PhotoMeasure.objects.get(photo_id=photo_id).marks_name
    assert second != first and photo_storage().exists(second)
    assert not photo_storage().exists(first)


def test_deleting_the_photo_removes_its_picture(
    aesthetician, patient, api, django_capture_on_commit_callbacks
):
    photo_id = _measured(api(aesthetician), patient.patient.pk)
    name = PhotoMeasure.objects.get(photo_id=photo_id).marks_name
    with django_capture_on_commit_callbacks(execute=True):
        services.photo_delete(actor=aesthetician.user, photo=Photo.objects.get(pk=photo_id))
    assert not photo_storage().exists(name)


def test_the_page_shows_the_baseline_beside_the_chosen_later_photo(
    aesthetician, patient, api, staff_client
):
    staff = api(aesthetician)
    pid = patient.patient.pk
    base = _measured(staff, pid)
    middle = _measured(staff, pid, taken_on="2026-02-05")
    latest = _measured(staff, pid, taken_on="2026-03-05")
    client = staff_client(aesthetician)
    url = f"/staff/patients/{pid}/photo-measures/?view=abdomen"
    html = client.get(url).content.decode()
    assert re.findall(r'src="/staff/photos/(\d+)/image/\?size=marks"', html) == [
        str(base),
        str(latest),
    ]
    assert "blue-green rings are the spots counted" in html
    assert "pink traces are the lines counted" in html
    html = client.get(f"{url}&photo={middle}").content.decode()
    assert re.findall(r'src="/staff/photos/(\d+)/image/\?size=marks"', html) == [
        str(base),
        str(middle),
    ]
