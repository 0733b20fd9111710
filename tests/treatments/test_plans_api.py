"""Recommendation, plans with overrides, and the eligibility check booking relies on."""

from __future__ import annotations

import datetime as dt

import pytest

from needlepoint.audit.models import AuditEvent
from needlepoint.treatments.models import TreatmentPlan
from needlepoint.treatments.selectors import treatment_eligibility
from needlepoint.treatments.services import plan_session_mark

pytestmark = pytest.mark.django_db

EXAMPLE = {
    "concerns": [{"concern": "acne_scars", "grade": "3"}],
    "fitzpatrick": 4,
    "zones": ["cheeks", "forehead"],
}


def test_the_recommendation_is_exactly_the_documented_example(api, aesthetician):
    response = api(aesthetician).post("/protocols/recommend", EXAMPLE)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["protocol_version"] == "2026.11-default"
    assert body["sessions"] == 4
    assert body["sessions_range"] == [4, 6]
    assert body["interval_weeks"] == 6
    assert body["interval_weeks_range"] == [4, 6]
    assert body["maintenance_months"] == 12
    assert body["zones"] == [
        {"zone": "cheeks", "depth_mm": [1.0, 1.5]},
        {"zone": "forehead", "depth_mm": [0.25, 0.5]},
    ]
    assert [p["code"] for p in body["precautions"]] == ["PIH_RISK"]
    assert set(body) == {
        "protocol_version",
        "sessions",
        "sessions_range",
        "interval_weeks",
        "interval_weeks_range",
        "maintenance_months",
        "zones",
        "precautions",
        "notes",
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"concerns": [{"concern": "warts", "grade": "1"}]}, "concerns[0].concern"),
        ({"concerns": [{"concern": "acne_scars", "grade": "5"}]}, "concerns[0].grade"),
        ({"zones": ["cheeks", "elbow"]}, "zones[1]"),
        ({"fitzpatrick": 0}, "fitzpatrick"),
        ({"fitzpatrick": "IV"}, "fitzpatrick"),
    ],
    ids=str,
)
def test_unknown_values_are_422_naming_the_field(api, aesthetician, change, field):
    response = api(aesthetician).post("/protocols/recommend", {**EXAMPLE, **change})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


@pytest.mark.parametrize(
    ("role", "status"), [("patient", 403), ("front_desk", 403), ("physician", 200)]
)
def test_recommendations_are_for_clinicians(api, personas, role, status):
    assert api(personas[role]).post("/protocols/recommend", EXAMPLE).status_code == status


def consult(api, who, patient, determination="candidate"):
    body = {"patient": patient.patient.pk, **EXAMPLE, "determination": determination}
    response = api(who).post("/consultations", body)
    assert response.status_code == 201, response.content
    return response.json()


def test_a_plan_starts_from_the_recommendation(api, aesthetician, patient):
    consultation = consult(api, aesthetician, patient)
    response = api(aesthetician).post("/plans", {"consultation": consultation["id"]})
    assert response.status_code == 201, response.content
    plan = response.json()
    assert plan["sessions"] == 4
    assert plan["interval_weeks"] == 6
    assert plan["protocol_version"] == "2026.11-default"
    assert plan["overrides"] == {}
    assert [s["status"] for s in plan["course"]] == ["planned"] * 4
    assert plan["maintenance_due"] is None
    assert AuditEvent.objects.filter(action="plan.create").count() == 1


def test_an_override_needs_a_reason_and_is_kept_beside_the_recommendation(
    api, aesthetician, patient
):
    consultation = consult(api, aesthetician, patient)
    body = {
        "consultation": consultation["id"],
        "overrides": {"sessions": {"value": 5}, "depth_mm.cheeks": {"value": [0.75, 1.5]}},
    }
    refused = api(aesthetician).post("/plans", body)
    assert refused.status_code == 422
    assert {e["field"] for e in refused.json()["errors"]} == {
        "overrides.sessions.reason",
        "overrides.depth_mm.cheeks.reason",
    }
    assert TreatmentPlan.objects.count() == 0
    body["overrides"]["sessions"]["reason"] = "Deep boxcar scars too."
    body["overrides"]["depth_mm.cheeks"]["reason"] = "Thin skin over the cheekbones."
    plan = api(aesthetician).post("/plans", body).json()
    assert plan["sessions"] == 5
    assert len(plan["course"]) == 5
    assert plan["overrides"]["sessions"] == {
        "recommended": 4,
        "value": 5,
        "reason": "Deep boxcar scars too.",
    }
    assert plan["zones"][0] == {"zone": "cheeks", "depth_mm": [0.75, 1.5]}
    assert plan["recommendation"]["sessions"] == 4
    event = AuditEvent.objects.get(action="plan.create")
    assert event.detail["overridden"] == ["depth_mm.cheeks", "sessions"]


def test_an_unchanged_value_needs_no_reason(api, aesthetician, patient):
    consultation = consult(api, aesthetician, patient)
    body = {"consultation": consultation["id"], "overrides": {"sessions": {"value": 4}}}
    response = api(aesthetician).post("/plans", body)
    assert response.status_code == 201
    assert response.json()["overrides"] == {}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"colour": {"value": 1, "reason": "x"}}, "overrides.colour"),
        ({"sessions": {"value": 0, "reason": "x"}}, "overrides.sessions.value"),
        ({"sessions": 5}, "overrides.sessions"),
        (
            {"depth_mm.cheeks": {"value": [1.5, 3.0], "reason": "x"}},
            "overrides.depth_mm.cheeks.value",
        ),
    ],
    ids=str,
)
def test_bad_overrides_are_422_naming_the_field(api, aesthetician, patient, overrides, field):
    consultation = consult(api, aesthetician, patient)
    response = api(aesthetician).post(
        "/plans", {"consultation": consultation["id"], "overrides": overrides}
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_no_plan_without_a_determination_that_allows_treatment(api, aesthetician, patient):
    consultation = consult(api, aesthetician, patient, "physician_clearance_required")
    response = api(aesthetician).post("/plans", {"consultation": consultation["id"]})
    assert response.status_code == 409


def test_front_desk_reads_plans_but_cannot_create_them(api, aesthetician, front_desk, patient):
    consultation = consult(api, aesthetician, patient)
    assert api(front_desk).post("/plans", {"consultation": consultation["id"]}).status_code == 403
    plan = api(aesthetician).post("/plans", {"consultation": consultation["id"]}).json()
    listed = api(front_desk).get(f"/patients/{patient.patient.pk}/plans")
    assert listed.status_code == 200
    assert listed.json()["count"] == 1
    assert listed.json()["items"][0]["id"] == plan["id"]
    assert api(front_desk).get(f"/plans/{plan['id']}").status_code == 200
    assert api(patient).get(f"/plans/{plan['id']}").status_code == 403
    assert api(front_desk).get("/plans/999999").status_code == 404
    assert AuditEvent.objects.filter(action="plan.read", outcome="allowed").count() == 2


# --- treatment_eligibility ------------------------------------------------------------


def test_eligibility_codes_follow_the_determination_and_the_plan(
    api, aesthetician, physician, patient
):
    assert treatment_eligibility(patient.patient).code == "NO_DETERMINATION"
    consultation = consult(api, aesthetician, patient, "physician_clearance_required")
    assert treatment_eligibility(patient.patient).code == "CLEARANCE_PENDING"
    api(physician).post(f"/consultations/{consultation['id']}/clearance", {"cleared": False})
    assert treatment_eligibility(patient.patient).code == "NOT_CLEARED"

    consultation = consult(api, aesthetician, patient, "physician_clearance_required")
    api(physician).post(f"/consultations/{consultation['id']}/clearance", {"cleared": True})
    assert treatment_eligibility(patient.patient).code == "NO_ACTIVE_PLAN"
    plan = api(aesthetician).post("/plans", {"consultation": consultation["id"]}).json()
    eligibility = treatment_eligibility(patient.patient)
    assert eligibility.allowed is True
    assert eligibility.code == "OK"
    assert eligibility.plan is not None and eligibility.plan.pk == plan["id"]

    api(physician).post(
        f"/consultations/{consultation['id']}/amendments",
        {"determination": "not_candidate", "reason": "New anticoagulant."},
    )
    eligibility = treatment_eligibility(patient.patient)
    assert (eligibility.allowed, eligibility.code) == (False, "NOT_CANDIDATE")


def test_marking_every_session_done_completes_the_plan_with_a_maintenance_date(
    api, aesthetician, patient
):
    consultation = consult(api, aesthetician, patient)
    plan = TreatmentPlan.objects.get(
        pk=api(aesthetician).post("/plans", {"consultation": consultation["id"]}).json()["id"]
    )
    plan_session_mark(
        actor=aesthetician.user, plan=plan, index=1, status="booked", on=dt.date(2027, 2, 1)
    )
    assert plan.plan_sessions.get(index=1).booked_for == dt.date(2027, 2, 1)
    for index in range(1, 5):
        plan_session_mark(
            actor=aesthetician.user,
            plan=plan,
            index=index,
            status="done",
            on=dt.date(2027, 2, 1) + dt.timedelta(weeks=6 * (index - 1)),
        )
    plan.refresh_from_db()
    assert plan.status == "completed"
    assert plan.maintenance_due == dt.date(2028, 6, 7)  # last session 2027-06-07 + 12 months
    assert treatment_eligibility(patient.patient).code == "NO_ACTIVE_PLAN"
    assert AuditEvent.objects.filter(action="plan.session_mark").count() == 5


def test_a_replayed_plan_and_consultation_answer_the_same_json(api, aesthetician, patient):
    # The responses are built from the models (schemas.py); a replay under the same
    # Idempotency-Key answers the stored JSON, which must read back the same.
    key = {"Idempotency-Key": "plan-1"}
    body = {"patient": patient.patient.pk, **EXAMPLE, "determination": "candidate"}
    first = api(aesthetician).post("/consultations", body, headers={"Idempotency-Key": "c-1"})
    again = api(aesthetician).post("/consultations", body, headers={"Idempotency-Key": "c-1"})
    assert first.status_code == again.status_code == 201, first.content
    assert first.json() == again.json()
    assert first.json()["current"]["signed_by"] == aesthetician.user.username
    plan_body = {"consultation": first.json()["id"]}
    created = api(aesthetician).post("/plans", plan_body, headers=key)
    replayed = api(aesthetician).post("/plans", plan_body, headers=key)
    assert created.status_code == replayed.status_code == 201, created.content
    assert created.json() == replayed.json()
    assert [s["index"] for s in created.json()["course"]] == [1, 2, 3, 4]
    assert TreatmentPlan.objects.count() == 1
