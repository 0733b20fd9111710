"""Who may read a patient's FHIR bundle: clinic admin and physician for any patient, the
patient for their own; everyone else refused; every read (and refusal) audited."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from PIL import Image

from .validators import bundle_problems

pytestmark = pytest.mark.django_db


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 150, 140)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def photographed(patient, aesthetician):
    from needlepoint.outcomes.services import photo_upload

    photo_upload(
        actor=aesthetician.user,
        patient=patient.patient,
        view="front",
        taken_on=date.today().isoformat(),
        data=_jpeg(),
        content_type="image/jpeg",
        filename="f.jpg",
        today=date.today(),
    )
    return patient


def _types(response) -> list[str]:
    return [e["resource"]["resourceType"] for e in json.loads(response.content)["entry"]]


@pytest.mark.parametrize("role", ["clinic_admin", "physician"])
def test_clinic_admin_and_physician_read_any_patients_bundle(role, personas, photographed, api):
    from needlepoint.audit.models import AuditEvent

    response = api(personas[role]).get(f"/patients/{photographed.patient.pk}/fhir")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    bundle = json.loads(response.content)
    assert bundle_problems(bundle) == []
    # Photos only for a role that may see them: the physician, not the clinic admin.
    assert ("Media" in _types(response)) is (role == "physician")
    assert ("Binary" in _types(response)) is (role == "physician")
    event = AuditEvent.objects.filter(action="fhir.read").latest("id")
    assert event.outcome == "allowed"
    assert event.patient_id == str(photographed.patient.pk)


@pytest.mark.parametrize("role", ["front_desk", "aesthetician", "patient"])
def test_other_roles_are_refused_and_the_refusal_audited(role, personas, other_patient, api):
    from needlepoint.audit.models import AuditEvent

    response = api(personas[role]).get(f"/patients/{other_patient.patient.pk}/fhir")
    assert response.status_code == 403
    assert "detail" in json.loads(response.content)
    assert AuditEvent.objects.filter(action="fhir.read", outcome="denied").exists()


def test_an_unknown_patient_is_404(clinic_admin, api):
    assert api(clinic_admin).get("/patients/999999/fhir").status_code == 404


def test_anonymous_is_401(patient, api):
    assert api(None).get(f"/patients/{patient.patient.pk}/fhir").status_code == 401
    assert api(None).get("/me/fhir").status_code == 401


def test_a_patient_reads_only_their_own_bundle_photos_included(photographed, other_patient, api):
    response = api(photographed).get("/me/fhir")
    assert response.status_code == 200
    bundle = json.loads(response.content)
    assert bundle_problems(bundle) == []
    patients = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"
    ]
    assert [p["id"] for p in patients] == [str(photographed.patient.pk)]
    # Their photo, even though it was never shared with them: their right of access.
    assert "Media" in _types(response) and "Binary" in _types(response)
    theirs = api(other_patient).get("/me/fhir")
    ids = [
        e["resource"]["id"]
        for e in json.loads(theirs.content)["entry"]
        if e["resource"]["resourceType"] == "Patient"
    ]
    assert ids == [str(other_patient.patient.pk)]


@pytest.mark.parametrize("role", ["front_desk", "clinic_admin"])
def test_staff_have_no_own_bundle(role, personas, api):
    assert api(personas[role]).get("/me/fhir").status_code == 403


def test_download_my_data_carries_the_bundle(photographed, api):
    import zipfile

    response = api(photographed).get("/me/export")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    bundle = json.loads(archive.read("fhir-r4-bundle.json"))
    assert bundle["type"] == "collection"
    assert bundle_problems(bundle) == []
    assert any(e["resource"]["resourceType"] == "Media" for e in bundle["entry"])
