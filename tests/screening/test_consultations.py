"""Consultations: signed determinations, amendments, physician clearance, roles."""

from __future__ import annotations

import pytest

from needlepoint.audit.models import AuditEvent
from needlepoint.screening.models import Consultation, Screening

pytestmark = pytest.mark.django_db


def consultation_body(patient_id, **changes):
    body = {
        "patient": patient_id,
        "fitzpatrick": 4,
        "concerns": [{"concern": "acne_scars", "grade": "3"}],
        "zones": ["cheeks", "forehead"],
        "determination": "candidate",
        "notes": "Rolling scars on both cheeks.",
    }
    body.update(changes)
    return body


def test_an_aesthetician_records_a_signed_consultation(api, aesthetician, patient):
    response = api(aesthetician).post("/consultations", consultation_body(patient.patient.pk))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["determination"] == "candidate"
    assert body["signed_by"] == aesthetician.user.username
    assert body["signed_at"]
    assert body["protocol_version"] == "2026.11-default"
    assert body["current"]["determination"] == "candidate"
    assert body["current"]["allows_treatment"] is True
    event = AuditEvent.objects.get(action="consultation.create")
    assert event.patient_id == str(patient.patient.pk)
    assert event.detail["determination"] == "candidate"


def test_a_consultation_links_the_persons_stored_screening(
    api, aesthetician, patient, answers_factory, before_planned_date
):
    screening = api().post("/screenings", answers_factory(consent_to_store=True)).json()
    body = consultation_body(patient.patient.pk, screening=screening["id"])
    response = api(aesthetician).post("/consultations", body)
    assert response.status_code == 201
    assert Screening.objects.get(pk=screening["id"]).patient == patient.patient


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"fitzpatrick": 7}, "fitzpatrick"),
        ({"concerns": [{"concern": "warts", "grade": "1"}]}, "concerns[0].concern"),
        ({"concerns": [{"concern": "acne_scars", "grade": "IX"}]}, "concerns[0].grade"),
        ({"zones": ["elbow"]}, "zones[0]"),
        ({"determination": "maybe"}, "determination"),
        ({"patient": 999999}, "patient"),
        ({"screening": "00000000-0000-0000-0000-000000000000"}, "screening"),
        ({"extra": 1}, "extra"),
    ],
    ids=str,
)
def test_bad_consultation_values_are_422_naming_the_field(
    api, aesthetician, patient, change, field
):
    response = api(aesthetician).post(
        "/consultations", consultation_body(patient.patient.pk, **change)
    )
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]
    assert Consultation.objects.count() == 0


@pytest.mark.parametrize("role", ["patient", "front_desk", "clinic_admin"])
def test_only_clinicians_record_consultations(api, personas, patient, role):
    response = api(personas[role]).post("/consultations", consultation_body(patient.patient.pk))
    assert response.status_code == 403


def test_a_signed_determination_is_never_edited_only_amended_with_a_reason(
    api, aesthetician, physician, patient
):
    created = api(aesthetician).post("/consultations", consultation_body(patient.patient.pk)).json()
    no_reason = api(physician).post(
        f"/consultations/{created['id']}/amendments",
        {"determination": "not_candidate", "reason": "  "},
    )
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"][0]["field"] == "reason"
    amended = api(physician).post(
        f"/consultations/{created['id']}/amendments",
        {"determination": "not_candidate", "reason": "Isotretinoin started last week."},
    )
    assert amended.status_code == 201
    body = amended.json()
    assert body["determination"] == "candidate"  # the original stays
    assert body["signed_by"] == aesthetician.user.username
    assert body["current"]["determination"] == "not_candidate"
    assert body["current"]["signed_by"] == physician.user.username
    assert body["current"]["amended"] is True
    assert body["amendments"][0]["reason"] == "Isotretinoin started last week."
    assert Consultation.objects.get().determination == "candidate"
    assert AuditEvent.objects.filter(action="consultation.amend").count() == 1


def test_only_a_physician_records_clearance(api, aesthetician, physician, front_desk, patient):
    body = consultation_body(patient.patient.pk, determination="physician_clearance_required")
    created = api(aesthetician).post("/consultations", body).json()
    assert created["current"]["allows_treatment"] is False
    path = f"/consultations/{created['id']}/clearance"
    assert api(aesthetician).post(path, {"cleared": True}).status_code == 403
    assert api(front_desk).post(path, {"cleared": True}).status_code == 403
    response = api(physician).post(path, {"cleared": True, "notes": "Discussed warfarin."})
    assert response.status_code == 201
    current = response.json()["current"]
    assert current["clearance"]["cleared"] is True
    assert current["clearance"]["signed_by"] == physician.user.username
    assert current["allows_treatment"] is True
    again = api(physician).post(path, {"cleared": False})
    assert again.status_code == 409
    assert AuditEvent.objects.filter(action="consultation.clear", outcome="allowed").count() == 1


def test_clearance_of_a_plain_candidate_is_a_conflict(api, aesthetician, physician, patient):
    created = api(aesthetician).post("/consultations", consultation_body(patient.patient.pk)).json()
    response = api(physician).post(f"/consultations/{created['id']}/clearance", {"cleared": True})
    assert response.status_code == 409
    assert response.json()["code"] == "clearance_not_required"


def test_clearance_of_an_unknown_consultation_is_404(api, physician):
    assert (
        api(physician).post("/consultations/999999/clearance", {"cleared": True}).status_code == 404
    )


def test_reading_a_consultation_is_audited_and_front_desk_cannot(
    api, aesthetician, front_desk, patient
):
    created = api(aesthetician).post("/consultations", consultation_body(patient.patient.pk)).json()
    assert api(aesthetician).get(f"/consultations/{created['id']}").status_code == 200
    assert AuditEvent.objects.filter(action="consultation.read").count() == 1
    assert api(front_desk).get(f"/consultations/{created['id']}").status_code == 403
