"""Staff pages: capture, compare, export (refused without a photo release), plots, report."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from needlepoint.audit.models import AuditEvent
from needlepoint.outcomes import services
from needlepoint.outcomes.models import Photo

from .conftest import make_image

pytestmark = pytest.mark.django_db


def add_photo(persona, patient, view="front", on=date(2026, 1, 5)):
    return services.photo_upload(
        actor=persona.user,
        patient=patient,
        view=view,
        taken_on=on,
        data=make_image(),
        filename="a.jpg",
    )


def test_the_capture_page_lists_the_missing_views(aesthetician, patient, staff_client):
    add_photo(aesthetician, patient.patient)
    client = staff_client(aesthetician)
    response = client.get(f"/staff/patients/{patient.patient.pk}/photos/?on=2026-01-05")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Still missing for this visit:</strong> Left oblique (45°), Right oblique (45°)" in text
    assert 'capture="environment"' in text and 'accept="image/*"' in text
    assert "<script>" not in text and "style=" not in text


def test_a_later_visit_shows_the_baseline_as_a_framing_guide(aesthetician, patient, staff_client):
    base = add_photo(aesthetician, patient.patient)
    response = staff_client(aesthetician).get(
        f"/staff/patients/{patient.patient.pk}/photos/?on=2026-03-05"
    )
    assert f"/staff/photos/{base.pk}/image/?size=thumb" in response.content.decode()
    assert "framing guide" in response.content.decode()


def test_uploading_on_the_capture_page_stores_the_photo(aesthetician, patient, staff_client):
    client = staff_client(aesthetician)
    response = client.post(
        f"/staff/patients/{patient.patient.pk}/photos/",
        {
            "view": "right_90",
            "taken_on": "2026-01-05",
            "file": SimpleUploadedFile("p.jpg", make_image(), "image/jpeg"),
        },
    )
    assert response.status_code == 302
    assert Photo.objects.get().view == "right_90"


def test_a_refused_upload_on_the_page_says_why(aesthetician, patient, staff_client):
    response = staff_client(aesthetician).post(
        f"/staff/patients/{patient.patient.pk}/photos/",
        {
            "view": "front",
            "taken_on": "2026-01-05",
            "file": SimpleUploadedFile("p.jpg", b"text", "image/jpeg"),
        },
    )
    assert response.status_code == 422
    assert "not an image" in response.content.decode()
    assert Photo.objects.count() == 0


@pytest.mark.parametrize("role", ["front_desk", "clinic_admin"])
def test_capture_and_compare_are_refused_to_roles_without_photo_rights(
    role, personas, staff_client
):
    client = staff_client(personas[role])
    pid = personas["patient"].patient.pk
    assert client.get(f"/staff/patients/{pid}/photos/").status_code == 403
    assert client.get(f"/staff/patients/{pid}/photos/compare/").status_code == 403


def test_the_comparison_shows_both_dates_and_the_sessions_between(
    aesthetician, patient, staff_client
):
    add_photo(aesthetician, patient.patient)
    add_photo(aesthetician, patient.patient, on=date(2026, 6, 1))
    response = staff_client(aesthetician).get(
        f"/staff/patients/{patient.patient.pk}/photos/compare/?view=front"
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Monday 5 January 2026 → Monday 1 June 2026" in text
    assert "0 treatment sessions" in text
    assert 'type="range"' in text and "outcomes/compare.js" in text


def test_export_is_refused_without_a_photo_release(aesthetician, patient, staff_client):
    add_photo(aesthetician, patient.patient)
    add_photo(aesthetician, patient.patient, on=date(2026, 6, 1))
    url = f"/staff/patients/{patient.patient.pk}/photos/compare/export/?view=front&a=2026-01-05&b=2026-06-01"
    response = staff_client(aesthetician).get(url)
    assert response.status_code == 409
    assert "not signed a photo release" in response.content.decode()
    assert AuditEvent.objects.filter(action="photo.export", outcome="denied").count() == 1


def test_export_with_a_release_is_one_image_with_no_metadata(aesthetician, patient, staff_client):
    add_photo(aesthetician, patient.patient)
    add_photo(aesthetician, patient.patient, on=date(2026, 6, 1))
    services.photo_release_record(
        actor=aesthetician.user, patient=patient.patient, granted=True, source="consent:7"
    )
    url = f"/staff/patients/{patient.patient.pk}/photos/compare/export/?view=front&a=2026-01-05&b=2026-06-01"
    response = staff_client(aesthetician).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "attachment" in response["Content-Disposition"]
    image = Image.open(io.BytesIO(response.content))
    assert image.width > image.height and dict(image.getexif()) == {}
    assert AuditEvent.objects.filter(action="photo.export", outcome="allowed").count() == 2


def test_page_images_are_audited_once_per_view_and_hidden_from_other_patients(
    aesthetician, patient, other_patient, staff_client, client
):
    photo = add_photo(aesthetician, patient.patient)
    staff = staff_client(aesthetician)
    before = AuditEvent.objects.filter(action="photo.view").count()
    assert staff.get(f"/staff/photos/{photo.pk}/image/").status_code == 200
    assert AuditEvent.objects.filter(action="photo.view").count() == before + 1
    client.force_login(other_patient.user)
    Photo.objects.filter(pk=photo.pk).update(shared_with_patient=True)
    assert client.get(f"/portal/photos/{photo.pk}/image/").status_code == 404
    client.force_login(patient.user)
    assert client.get(f"/portal/photos/{photo.pk}/image/").status_code == 200


def test_the_grade_plot_is_an_svg_with_a_table(aesthetician, patient, staff_client):
    services.assessment_record(
        actor=aesthetician.user,
        patient=patient.patient,
        concern="acne_scars",
        grade="3",
        kind="baseline",
        assessed_on=date(2026, 1, 5),
    )
    services.assessment_record(
        actor=aesthetician.user,
        patient=patient.patient,
        concern="acne_scars",
        grade="2",
        kind="outcome_3m",
        assessed_on=date(2026, 6, 1),
        gais=2,
    )
    response = staff_client(aesthetician).get(f"/staff/patients/{patient.patient.pk}/outcomes/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in text and 'role="img"' in text and "<circle" in text and "<table" in text
    assert "Outcome visit, 3 months after the course" in text and "Monday 1 June 2026" in text
    assert "2: much improved" in text and "2: mild" in text


def test_the_clinic_report_is_for_physicians_and_admins(physician, front_desk, staff_client):
    assert staff_client(physician).get("/staff/reports/outcomes/").status_code == 200
    assert staff_client(front_desk).get("/staff/reports/outcomes/").status_code == 403
