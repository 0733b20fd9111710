"""Assessments on each concern's own scale, patient ratings, photo releases, the report."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from needlepoint.audit.models import AuditEvent
from needlepoint.outcomes import selectors, services
from needlepoint.outcomes.models import Assessment, PatientRating

pytestmark = pytest.mark.django_db


def grade(client, patient_id, **body):
    payload = {
        "concern": "acne_scars",
        "grade": "3",
        "kind": "baseline",
        "assessed_on": "2026-01-05",
    }
    payload.update(body)
    payload = {k: v for k, v in payload.items() if v is not ...}
    return client.post(f"/patients/{patient_id}/assessments", payload)


@pytest.mark.parametrize(
    ("concern", "good", "bad"),
    [
        ("acne_scars", "4", "IV"),
        ("fine_lines_wrinkles", "III", "4"),
        ("sun_damage", "IV", "V"),
        ("uneven_skin_tone", "moderate", "medium"),
        ("stretch_marks", "alba", "white"),
    ],
)
def test_each_concern_takes_only_grades_on_its_own_scale(
    aesthetician, patient, api, concern, good, bad
):
    client = api(aesthetician)
    assert grade(client, patient.patient.pk, concern=concern, grade=good).status_code == 201
    response = grade(client, patient.patient.pk, concern=concern, grade=bad)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["grade"]


def test_enlarged_pores_has_no_grade(aesthetician, patient, api):
    client = api(aesthetician)
    assert (
        grade(client, patient.patient.pk, concern="enlarged_pores", grade=None).status_code == 201
    )
    assert grade(client, patient.patient.pk, concern="enlarged_pores", grade="2").status_code == 422


def test_a_bad_assessment_names_every_bad_field(aesthetician, patient, api):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = grade(
        api(aesthetician),
        patient.patient.pk,
        concern="acne_scars",
        grade="9",
        kind="outcome_2m",
        gais=7,
        assessed_on=tomorrow,
        mmasi=3,
    )
    assert response.status_code == 422
    fields = sorted(e["field"] for e in response.json()["errors"])
    assert fields == ["assessed_on", "gais", "grade", "kind", "mmasi"]
    assert Assessment.objects.count() == 0


def test_an_unknown_concern_and_an_unknown_field_are_422(aesthetician, patient, api):
    response = grade(api(aesthetician), patient.patient.pk, concern="wrinkly")
    assert [e["field"] for e in response.json()["errors"]] == ["concern"]
    response = grade(api(aesthetician), patient.patient.pk, colour="red")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "colour"


def test_tone_takes_an_mmasi_between_0_and_24(aesthetician, patient, api):
    client = api(aesthetician)
    ok = grade(client, patient.patient.pk, concern="uneven_skin_tone", grade="mild", mmasi=12.5)
    assert ok.status_code == 201 and ok.json()["mmasi"] == 12.5
    bad = grade(client, patient.patient.pk, concern="uneven_skin_tone", grade="mild", mmasi=25)
    assert [e["field"] for e in bad.json()["errors"]] == ["mmasi"]


def test_gais_is_1_to_5_and_not_given_at_baseline(aesthetician, patient, api):
    client = api(aesthetician)
    assert (
        grade(client, patient.patient.pk, kind="outcome_3m", gais=2, grade="2").status_code == 201
    )
    response = grade(client, patient.patient.pk, kind="baseline", gais=2)
    assert [e["field"] for e in response.json()["errors"]] == ["gais"]


def test_grading_is_for_clinicians_and_audited(aesthetician, front_desk, patient, api):
    assert grade(api(front_desk), patient.patient.pk).status_code == 403
    assert grade(api(patient), patient.patient.pk).status_code == 403
    assert grade(api(aesthetician), 999999).status_code == 404
    response = grade(api(aesthetician), patient.patient.pk)
    assert response.status_code == 201
    event = AuditEvent.objects.filter(action="assessment.record", outcome="allowed").get()
    assert event.detail == {"concern": "acne_scars", "kind": "baseline"}


def test_grades_are_listed_for_clinic_admin_but_not_front_desk(
    aesthetician, clinic_admin, front_desk, patient, api
):
    grade(api(aesthetician), patient.patient.pk)
    listed = api(clinic_admin).get(f"/patients/{patient.patient.pk}/assessments")
    assert listed.status_code == 200 and listed.json()["count"] == 1
    assert api(front_desk).get(f"/patients/{patient.patient.pk}/assessments").status_code == 404


def test_a_patient_rates_their_own_result(patient, api):
    response = api(patient).post(
        "/me/ratings", {"improvement": 2, "satisfaction": 5, "comment": "smoother"}
    )
    assert response.status_code == 201
    rating = PatientRating.objects.get()
    assert rating.patient == patient.patient and rating.improvement == 2
    event = AuditEvent.objects.filter(action="rating.submit").get()
    assert event.patient_id == str(patient.patient.pk) and "smoother" not in str(event.detail)


@pytest.mark.parametrize(
    "body", [{"improvement": 0, "satisfaction": 3}, {"improvement": 3, "satisfaction": 6}]
)
def test_ratings_outside_1_to_5_are_refused(patient, api, body):
    response = api(patient).post("/me/ratings", body)
    assert response.status_code == 422
    assert len(response.json()["errors"]) == 1


def test_staff_cannot_submit_a_patient_rating(aesthetician, api):
    assert (
        api(aesthetician).post("/me/ratings", {"improvement": 1, "satisfaction": 1}).status_code
        == 403
    )


def test_photo_release_latest_signature_decides(front_desk, patient, api):
    assert selectors.photo_release_granted(patient.patient) is False
    response = api(front_desk).post(
        f"/patients/{patient.patient.pk}/photo-releases", {"granted": True, "source": "consent:1"}
    )
    assert response.status_code == 201
    assert selectors.photo_release_granted(patient.patient) is True
    services.photo_release_record(
        actor=front_desk.user, patient=patient.patient, granted=False, source="withdrawn by email"
    )
    assert selectors.photo_release_granted(patient.patient) is False
    status = api(front_desk).get(f"/patients/{patient.patient.pk}/photo-release").json()
    assert status["granted"] is False and status["source"] == "withdrawn by email"


def test_a_photo_release_needs_a_source(front_desk, patient, api):
    response = api(front_desk).post(
        f"/patients/{patient.patient.pk}/photo-releases", {"granted": True, "source": "  "}
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "source"


def test_the_report_counts_patients_improved_by_sessions(
    aesthetician, physician, front_desk, patient, other_patient, api
):
    client = api(aesthetician)
    for who, after in ((patient, "2"), (other_patient, "3")):
        grade(client, who.patient.pk, grade="3", assessed_on="2026-01-05")
        grade(
            client, who.patient.pk, grade=after, kind="outcome_3m", assessed_on="2026-06-01", gais=3
        )
    assert api(front_desk).get("/reports/outcomes").status_code == 403
    report = api(physician).get("/reports/outcomes").json()
    [acne] = report["concerns"]
    assert (acne["concern"], acne["patients"], acne["improved"]) == ("acne_scars", 2, 1)
    assert acne["rows"] == [{"sessions": 0, "patients": 2, "improved": 1, "unknown": 0}]


def test_baseline_photos_complete_needs_all_five_face_views(aesthetician, patient):
    from tests.outcomes.conftest import make_image

    assert selectors.baseline_photos_complete(patient.patient) is False
    for view in ("front", "left_45", "right_45", "left_90"):
        services.photo_upload(
            actor=aesthetician.user,
            patient=patient.patient,
            view=view,
            taken_on=date(2026, 1, 5),
            data=make_image(),
            filename="a.jpg",
        )
    assert selectors.visit_missing_views(patient.patient, date(2026, 1, 5)) == ("right_90",)
    assert selectors.baseline_photos_complete(patient.patient) is False
    services.photo_upload(
        actor=aesthetician.user,
        patient=patient.patient,
        view="right_90",
        taken_on=date(2026, 1, 5),
        data=make_image(),
        filename="a.jpg",
    )
    assert selectors.baseline_photos_complete(patient.patient) is True
