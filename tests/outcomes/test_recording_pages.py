"""The recording pages: grades and GAIS for a visit, the photo release, sharing a comparison.
Who may open them, words not codes, refusals beside their fields, and what was typed kept."""

from __future__ import annotations

import re
from datetime import date

import pytest

from needlepoint.audit.models import AuditEvent
from needlepoint.outcomes import services
from needlepoint.outcomes.models import Assessment, Photo, PhotoRelease

from .conftest import make_image

pytestmark = pytest.mark.django_db

ISO = re.compile(r">[^<]*\d{4}-\d{2}-\d{2}[^<]*<")


def main_of(response) -> str:
    return response.content.decode().split("<main", 1)[1]


def add_photo(persona, patient, on, view="front"):
    return services.photo_upload(
        actor=persona.user, patient=patient, view=view, taken_on=on, data=make_image()
    )


# --- grades and GAIS ----------------------------------------------------------------------


def test_the_grades_page_names_the_scales_and_gais_in_words(aesthetician, patient, staff_client):
    response = staff_client(aesthetician).get(f"/staff/patients/{patient.patient.pk}/grades/new/")
    assert response.status_code == 200
    text = main_of(response)
    for words in (
        "Acne scars",
        "Goodman &amp; Baron qualitative",
        "1: macular",
        "II: fine to moderate",
        "Glogau photoaging",
        "III: wrinkles at rest",
        "Rubra (new, red)",
        "1: very much improved",
        "2: much improved",
        "3: improved",
        "4: no change",
        "5: worse",
        "Baseline, before the first session",
        "Outcome visit, 3 months after the course",
        'for="id_mmasi_uneven_skin_tone"',
    ):
        assert words in text
    assert not ISO.search(text)
    for code in ("acne_scars<", "outcome_3m<", "fine_lines_wrinkles<"):
        assert code not in text


@pytest.mark.parametrize("role", ["front_desk", "clinic_admin"])
def test_only_clinicians_record_grades(role, request, patient, staff_client):
    client = staff_client(request.getfixturevalue(role))
    url = f"/staff/patients/{patient.patient.pk}/grades/new/"
    assert client.get(url).status_code == 403
    response = client.post(url, {"kind": "baseline", "assessed_on": "2026-01-05"})
    assert response.status_code == 403
    assert not Assessment.objects.exists()


def test_recording_grades_for_a_visit_saves_each_concern(physician, patient, staff_client):
    client = staff_client(physician)
    response = client.post(
        f"/staff/patients/{patient.patient.pk}/grades/new/",
        {
            "assessed_on": "2026-04-05",
            "kind": "outcome_3m",
            "grade_acne_scars": "2",
            "gais_acne_scars": "2",
            "grade_enlarged_pores": "present",
            "gais_enlarged_pores": "3",
            "grade_uneven_skin_tone": "mild",
            "mmasi_uneven_skin_tone": "4.5",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/staff/patients/{patient.patient.pk}/outcomes/"
    rows = {a.concern: a for a in Assessment.objects.filter(patient=patient.patient)}
    assert set(rows) == {"acne_scars", "enlarged_pores", "uneven_skin_tone"}
    assert rows["acne_scars"].grade == "2" and rows["acne_scars"].gais == 2
    assert rows["enlarged_pores"].grade is None and rows["enlarged_pores"].gais == 3
    assert str(rows["uneven_skin_tone"].mmasi) == "4.5"
    assert all(a.kind == "outcome_3m" and a.assessed_on == date(2026, 4, 5) for a in rows.values())
    assert AuditEvent.objects.filter(action="assessment.record").count() == 3
    follow = client.get(response["Location"])
    assert "Grades recorded for Sunday 5 April 2026: Acne scars" in follow.content.decode()


def test_gais_at_baseline_is_refused_beside_it_nothing_saved_and_the_form_kept(
    aesthetician, patient, staff_client
):
    response = staff_client(aesthetician).post(
        f"/staff/patients/{patient.patient.pk}/grades/new/",
        {
            "assessed_on": "2026-01-05",
            "kind": "baseline",
            "grade_acne_scars": "3",
            "grade_fine_lines_wrinkles": "II",
            "gais_fine_lines_wrinkles": "1",
        },
    )
    assert response.status_code == 422
    text = main_of(response)
    assert 'id="err-gais_fine_lines_wrinkles"' in text
    assert "GAIS is not given at baseline" in text
    assert '<option value="3" selected>3: moderate</option>' in text
    assert '<option value="II" selected>II: fine to moderate</option>' in text
    assert '<option value="baseline" selected>' in text
    assert 'value="2026-01-05"' in text
    assert not Assessment.objects.exists()  # acne scars was fine, but nothing is half-saved


def test_a_future_visit_date_and_no_kind_are_refused_beside_their_fields(
    aesthetician, patient, staff_client
):
    response = staff_client(aesthetician).post(
        f"/staff/patients/{patient.patient.pk}/grades/new/",
        {"assessed_on": "2999-01-01", "kind": "", "grade_sun_damage": "II"},
    )
    assert response.status_code == 422
    text = main_of(response)
    assert 'id="err-assessed_on"' in text and "The visit date cannot be in the future." in text
    assert 'id="err-kind"' in text and "Choose the kind of visit." in text
    assert '<option value="II" selected>' in text


def test_nothing_graded_is_refused(aesthetician, patient, staff_client):
    response = staff_client(aesthetician).post(
        f"/staff/patients/{patient.patient.pk}/grades/new/",
        {"assessed_on": "2026-01-05", "kind": "baseline"},
    )
    assert response.status_code == 422
    assert "Grade at least one concern seen at this visit." in main_of(response)


def test_a_gais_without_a_grade_is_refused_beside_the_grade(aesthetician, patient, staff_client):
    response = staff_client(aesthetician).post(
        f"/staff/patients/{patient.patient.pk}/grades/new/",
        {"assessed_on": "2026-03-05", "kind": "outcome_1m", "gais_acne_scars": "2"},
    )
    assert response.status_code == 422
    text = main_of(response)
    assert 'id="err-grade_acne_scars"' in text
    assert '<option value="2" selected>2: much improved</option>' in text


def test_the_progress_and_capture_pages_link_the_grades_page(aesthetician, patient, staff_client):
    client = staff_client(aesthetician)
    url = f"/staff/patients/{patient.patient.pk}/grades/new/"
    assert url in client.get(f"/staff/patients/{patient.patient.pk}/outcomes/").content.decode()
    assert url in client.get(f"/staff/patients/{patient.patient.pk}/photos/").content.decode()


# --- photo release --------------------------------------------------------------------------


def test_recording_and_withdrawing_a_photo_release(front_desk, patient, staff_client):
    client = staff_client(front_desk)
    url = f"/staff/patients/{patient.patient.pk}/photo-release/"
    first = client.get(url)
    assert first.status_code == 200
    assert "Not signed." in main_of(first)
    response = client.post(url, {"granted": "yes", "source": "Paper form at the front desk"})
    assert response.status_code == 302
    text = main_of(client.get(url))
    assert "Signed." in text and "Paper form at the front desk" in text
    assert front_desk.user.display_name in text
    assert not ISO.search(text)
    client.post(url, {"granted": "no", "source": "Phone call"})
    latest = PhotoRelease.objects.filter(patient=patient.patient).order_by("-id").first()
    assert latest is not None and latest.granted is False
    assert "Withdrawn." in main_of(client.get(url))
    assert AuditEvent.objects.filter(action="photo_release.record").count() == 2


def test_a_release_without_where_is_refused_beside_the_field_keeping_the_choice(
    aesthetician, patient, staff_client
):
    response = staff_client(aesthetician).post(
        f"/staff/patients/{patient.patient.pk}/photo-release/", {"granted": "no", "source": " "}
    )
    assert response.status_code == 422
    text = main_of(response)
    assert 'id="err-source"' in text and "Say where the release was signed" in text
    assert 'value="no" checked' in text
    assert not PhotoRelease.objects.exists()


def test_a_release_with_no_choice_is_refused_beside_the_choice(aesthetician, patient, staff_client):
    response = staff_client(aesthetician).post(
        f"/staff/patients/{patient.patient.pk}/photo-release/", {"source": "Paper form"}
    )
    assert response.status_code == 422
    text = main_of(response)
    assert 'id="err-granted"' in text and 'value="Paper form"' in text


def test_the_patient_may_not_record_a_release_on_the_staff_page(patient, staff_client):
    client = staff_client(patient, with_totp=False)
    response = client.post(
        f"/staff/patients/{patient.patient.pk}/photo-release/", {"granted": "yes", "source": "x"}
    )
    assert response.status_code == 403
    assert not PhotoRelease.objects.exists()


# --- sharing a comparison -----------------------------------------------------------------


def pair(persona, patient):
    return (
        add_photo(persona, patient, date(2026, 1, 5)),
        add_photo(persona, patient, date(2026, 4, 5)),
    )


def test_the_share_confirmation_says_what_the_patient_will_see(aesthetician, patient, staff_client):
    pair(aesthetician, patient.patient)
    client = staff_client(aesthetician)
    compare = client.get(
        f"/staff/patients/{patient.patient.pk}/photos/compare/?view=front&a=2026-01-05&b=2026-04-05"
    )
    assert "Share this comparison with" in compare.content.decode()
    response = client.get(
        f"/staff/patients/{patient.patient.pk}/photos/compare/share/"
        "?view=front&a=2026-01-05&b=2026-04-05"
    )
    assert response.status_code == 200
    text = main_of(response)
    assert "My photos" in text
    assert "Monday 5 January 2026" in text and "Sunday 5 April 2026" in text
    assert "Not your grades, GAIS or notes" in text
    assert not ISO.search(text)
    assert not Photo.objects.filter(shared_with_patient=True).exists()  # asking changes nothing


def test_sharing_then_stopping_sharing_a_comparison(aesthetician, patient, staff_client):
    before, after = pair(aesthetician, patient.patient)
    client = staff_client(aesthetician)
    url = f"/staff/patients/{patient.patient.pk}/photos/compare/share/"
    response = client.post(url, {"view": "front", "a": "2026-01-05", "b": "2026-04-05"})
    assert response.status_code == 302
    assert set(Photo.objects.filter(shared_with_patient=True)) == {before, after}
    assert AuditEvent.objects.filter(action="photo.share").count() == 2
    page = client.get(response["Location"]).content.decode()
    assert "they see it under My photos" in page and "Stop sharing" in page
    client.post(
        url,
        {"view": "front", "a": "2026-01-05", "b": "2026-04-05", "shared": "no", "confirmed": "yes"},
    )
    assert not Photo.objects.filter(shared_with_patient=True).exists()


def test_sharing_a_missing_pair_is_a_404(aesthetician, patient, staff_client):
    add_photo(aesthetician, patient.patient, date(2026, 1, 5))
    response = staff_client(aesthetician).post(
        f"/staff/patients/{patient.patient.pk}/photos/compare/share/",
        {"view": "front", "a": "2026-01-05", "b": "2026-01-05"},
    )
    assert response.status_code == 404


def test_front_desk_may_not_share_photos(front_desk, aesthetician, patient, staff_client):
    pair(aesthetician, patient.patient)
    response = staff_client(front_desk).post(
        f"/staff/patients/{patient.patient.pk}/photos/compare/share/",
        {"view": "front", "a": "2026-01-05", "b": "2026-04-05"},
    )
    assert response.status_code == 403
    assert not Photo.objects.filter(shared_with_patient=True).exists()


@pytest.mark.parametrize("score", ["NaN", "abc", "25", "1e309"])
def test_a_bad_mmasi_score_is_refused_beside_it_and_kept(
    score, aesthetician, patient, staff_client
):
    response = staff_client(aesthetician).post(
        f"/staff/patients/{patient.patient.pk}/grades/new/",
        {
            "assessed_on": "2026-01-05",
            "kind": "baseline",
            "grade_uneven_skin_tone": "moderate",
            "mmasi_uneven_skin_tone": score,
        },
    )
    assert response.status_code == 422
    text = main_of(response)
    assert 'id="err-mmasi_uneven_skin_tone"' in text and "mMASI score must be" in text
    assert f'value="{score}"' in text
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("gais", ["٣", "0", "6", "x"])
def test_a_gais_off_the_scale_is_refused(gais, aesthetician, patient, staff_client):
    response = staff_client(aesthetician).post(
        f"/staff/patients/{patient.patient.pk}/grades/new/",
        {
            "assessed_on": "2026-03-05",
            "kind": "outcome_1m",
            "grade_acne_scars": "2",
            "gais_acne_scars": gais,
        },
    )
    assert response.status_code == 422
    assert "GAIS must be 1 (very much improved) to 5 (worse)." in main_of(response)
    assert not Assessment.objects.exists()
