"""The picture of what was counted, for the patient and through the API: the portal's progress
page shows the first shared photo's picture beside a later one (only photos the clinic shared),
and `GET /api/v1/photos/{id}?size=marks` serves it with the photo's access checks, no-store and
one audit event per view."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from needlepoint.audit.models import AuditEvent
from needlepoint.outcomes.models import Photo

from .test_measure_pictures import _measured
from .test_measure_regions import _upload

pytestmark = pytest.mark.django_db

PORTAL_MARKS = r'src="/portal/photos/(\d+)/image/\?size=marks"'


def _share(*photo_ids: int) -> None:
    Photo.objects.filter(pk__in=photo_ids).update(shared_with_patient=True)


def _portal(persona) -> Client:
    client = Client()
    client.force_login(persona.user)
    return client


def test_the_portal_shows_the_first_shared_picture_beside_the_latest(aesthetician, patient, api):
    staff = api(aesthetician)
    pid = patient.patient.pk
    first = _measured(staff, pid)
    middle = _measured(staff, pid, taken_on="2026-02-05")
    latest = _measured(staff, pid, taken_on="2026-03-05")
    hidden = _measured(staff, pid, taken_on="2026-04-05")  # not shared with the patient
    _share(first, middle, latest)
    client = _portal(patient)
    html = client.get("/portal/progress/").content.decode()
    assert re.findall(PORTAL_MARKS, html) == [str(first), str(latest)]
    assert f"/photos/{hidden}/" not in html
    assert "blue-green rings are the spots counted" in html
    assert "{#" not in html and "#}" not in html  # no template comment shows as text
    html = client.get(f"/portal/progress/?photo={middle}").content.decode()
    assert re.findall(PORTAL_MARKS, html) == [str(first), str(middle)]
    # A photo that is not shared cannot be chosen: the latest shared one shows instead.
    html = client.get(f"/portal/progress/?photo={hidden}").content.decode()
    assert re.findall(PORTAL_MARKS, html) == [str(first), str(latest)]


def test_the_portal_shows_no_pictures_before_anything_is_shared(aesthetician, patient, api):
    _measured(api(aesthetician), patient.patient.pk)
    html = _portal(patient).get("/portal/progress/").content.decode()
    assert re.findall(PORTAL_MARKS, html) == []
    assert "What your photos show" not in html


def test_the_patients_picture_is_no_store_and_audited(aesthetician, patient, api):
    photo_id = _measured(api(aesthetician), patient.patient.pk)
    _share(photo_id)
    before = AuditEvent.objects.filter(action="photo.view").count()
    response = _portal(patient).get(f"/portal/photos/{photo_id}/image/?size=marks")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    views = list(AuditEvent.objects.filter(action="photo.view").order_by("id"))[before:]
    assert [(e.object_id, e.patient_id, e.detail["size"]) for e in views] == [
        (str(photo_id), str(patient.patient.pk), "marks")
    ]


def test_the_api_serves_the_picture_to_staff_audited(aesthetician, physician, patient, api):
    photo_id = _measured(api(aesthetician), patient.patient.pk)
    before = AuditEvent.objects.filter(action="photo.view").count()
    response = api(physician).get(f"/photos/{photo_id}", size="marks")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"] == f'inline; filename="photo-{photo_id}-marks.jpg"'
    assert response.content[:2] == b"\xff\xd8"
    views = list(AuditEvent.objects.filter(action="photo.view").order_by("id"))[before:]
    assert [(e.object_id, e.detail["size"]) for e in views] == [(str(photo_id), "marks")]
    measures = api(physician).get(f"/photos/{photo_id}/measures").json()
    assert measures["marks_url"] == f"/api/v1/photos/{photo_id}?size=marks"


def test_the_api_picture_is_the_patients_own_shared_photo_only(
    aesthetician, patient, other_patient, api
):
    photo_id = _measured(api(aesthetician), patient.patient.pk)
    assert api(patient).get(f"/photos/{photo_id}", size="marks").status_code == 404
    _share(photo_id)
    assert api(patient).get(f"/photos/{photo_id}", size="marks").status_code == 200
    assert api(other_patient).get(f"/photos/{photo_id}", size="marks").status_code == 404
    assert api(None).get(f"/photos/{photo_id}", size="marks").status_code in (401, 404)


def test_the_api_says_404_until_the_picture_is_drawn(aesthetician, patient, api):
    photo_id = _upload(api(aesthetician), patient.patient.pk, view="abdomen").json()["id"]
    assert api(aesthetician).get(f"/photos/{photo_id}", size="marks").status_code == 404
    assert api(aesthetician).get(f"/photos/{photo_id}/measures").json()["marks_url"] is None
