"""POST /api/v1/screenings: the contract in screening-policy.md, through HTTP."""

from __future__ import annotations

import uuid

import pytest

from needlepoint.audit.models import AuditEvent
from needlepoint.screening.models import Screening

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("before_planned_date")]

RESPONSE_KEYS = {
    "id",
    "policy_version",
    "judged_for",
    "verdict",
    "resume_on",
    "reasons",
    "precautions",
    "concerns",
    "next_step",
    "disclaimer",
}


def screen(api, body, persona=None):
    response = api(persona).post("/screenings", body)
    assert response.status_code == 200, response.content
    result = response.json()
    # Beyond the contract's response: what a booking sends to carry the screening (0262).
    reference = result.pop("booking_reference")
    assert (reference is None) == (result["id"] is None)
    return result


def test_worked_example_1_is_a_likely_candidate_who_books_a_consultation(api, answers_factory):
    result = screen(api, answers_factory())
    assert set(result) == RESPONSE_KEYS
    assert result["verdict"] == "likely_candidate"
    assert result["next_step"] == "book_consultation"
    assert result["id"] is None
    assert result["judged_for"] == "2027-01-15"
    assert result["policy_version"] == "2026.11-default"
    assert result["disclaimer"] == (
        "Only a clinic professional can confirm that micro-needling is right for you."
    )
    assert result["concerns"][0]["concern"] == "acne_scars"
    assert result["concerns"][0]["fit"] == "good"


def test_worked_example_2_a_bleeding_disorder_is_not_eligible(api, answers_factory):
    result = screen(api, answers_factory(bleeding_disorder="yes"))
    assert result["verdict"] == "not_eligible"
    assert result["next_step"] == "contact_clinic"
    assert [r["code"] for r in result["reasons"]] == ["BLEEDING_DISORDER"]


def test_worked_example_3_recent_isotretinoin_defers_until_six_months_later(api, answers_factory):
    result = screen(api, answers_factory(isotretinoin_last_dose="2026-11-02"))
    assert result["verdict"] == "defer"
    assert result["resume_on"] == "2027-05-02"
    assert result["next_step"] == "rescreen"
    reason = result["reasons"][0]
    assert set(reason) == {"code", "verdict", "resume_on", "requires_physician", "message"}
    assert reason["code"] == "ISOTRETINOIN_RECENT"


def test_worked_example_4_the_later_of_two_deferrals_sets_the_resume_date(api, answers_factory):
    body = answers_factory(filler_in_area_last="2027-01-10", sunburn_last="2027-01-12")
    result = screen(api, body)
    assert result["verdict"] == "defer"
    assert result["resume_on"] == "2027-01-26"


def test_worked_example_5_a_deferral_without_a_date_has_no_resume_date(api, answers_factory):
    body = answers_factory(filler_in_area_last="2027-01-10", active_skin_infection="yes")
    result = screen(api, body)
    assert result["verdict"] == "defer"
    assert result["resume_on"] is None


def test_worked_example_6_age_twenty_needs_a_physicians_review(api, answers_factory):
    result = screen(api, answers_factory(date_of_birth="2006-02-01"))
    assert result["verdict"] == "needs_review"
    assert result["next_step"] == "book_consultation"
    assert result["reasons"][0]["code"] == "BELOW_LABEL_AGE"
    assert result["reasons"][0]["requires_physician"] is True


def test_worked_example_7_deferral_outranks_review_and_both_reasons_are_listed(
    api, answers_factory
):
    body = answers_factory(blood_thinners="yes", pregnant_or_breastfeeding="yes")
    result = screen(api, body)
    assert result["verdict"] == "defer"
    assert {r["code"] for r in result["reasons"]} == {"PREGNANCY", "BLOOD_THINNERS"}


def test_worked_example_8_cold_sore_history_adds_antiviral_precaution(api, answers_factory):
    result = screen(api, answers_factory(cold_sore_history="yes"))
    assert result["verdict"] == "likely_candidate"
    assert [p["code"] for p in result["precautions"]] == ["ANTIVIRAL_PROPHYLAXIS"]


def test_unsure_answers_need_a_clinicians_review(api, answers_factory):
    result = screen(api, answers_factory(diabetes="unsure", keloid_history="unsure"))
    assert result["verdict"] == "needs_review"
    assert {r["code"] for r in result["reasons"]} == {"UNSURE_DIABETES", "UNSURE_KELOID_HISTORY"}


def test_planned_date_defaults_to_today_in_the_clinics_zone(api, answers_factory):
    body = answers_factory()
    del body["planned_date"]
    assert screen(api, body)["judged_for"] == "2027-01-10"


def test_without_consent_to_store_nothing_is_stored_or_audited(api, answers_factory):
    result = screen(api, answers_factory(consent_to_store=False))
    assert result["id"] is None
    assert Screening.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="screening").exists()


def test_with_consent_the_screening_is_stored_with_its_policy_version_and_audited(
    api, answers_factory
):
    result = screen(api, answers_factory(consent_to_store=True, bleeding_disorder="yes"))
    stored = Screening.objects.get(pk=uuid.UUID(result["id"]))
    assert stored.policy_version == "2026.11-default"
    assert stored.verdict == "not_eligible"
    assert stored.channel == "online"
    assert stored.answers["bleeding_disorder"] == "yes"
    assert stored.result == result
    events = AuditEvent.objects.filter(action="screening.create")
    assert events.count() == 1
    event = events.get()
    assert event.object_id == result["id"]
    assert event.detail["reasons"] == ["BLEEDING_DISORDER"]
    assert "yes" not in str(event.detail)  # codes only, never answers


def test_every_problem_is_listed_at_once_and_nothing_is_stored(api, answers_factory):
    body = answers_factory(
        consent_to_store=True,
        planned_date="2027-01-05",  # in the past (today is 2027-01-10)
        date_of_birth="1990-02-30",  # impossible
        concerns=[],
        surprise="field",
    )
    del body["diabetes"]
    body["sunburn_last"] = "2027-01-08"  # after the (past) planned date
    response = api().post("/screenings", body)
    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert set(errors) == {
        "planned_date",
        "date_of_birth",
        "concerns",
        "surprise",
        "diabetes",
        "sunburn_last",
    }
    assert errors["surprise"] == "is not a known field"
    assert errors["diabetes"] == "is required"
    assert Screening.objects.count() == 0


def test_a_date_after_the_planned_date_is_refused(api, answers_factory):
    response = api().post("/screenings", answers_factory(filler_in_area_last="2027-02-01"))
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "filler_in_area_last", "message": "must not be after the planned date"}
    ]


@pytest.mark.parametrize("raw", [b"{not json", b"[]", b"null", b'"text"', b"\xff\xfe"], ids=repr)
def test_a_malformed_body_is_a_422_not_a_500(client, raw):
    response = client.post("/api/v1/screenings", data=raw, content_type="application/json")
    assert response.status_code == 422


@pytest.mark.parametrize(
    "change",
    [
        {"concerns": "acne_scars"},
        {"concerns": [1]},
        {"areas": None},
        {"diabetes": True},
        {"consent_to_store": "yes"},
        {"isotretinoin_last_dose": 20260101},
        {"planned_date": ["x"]},
        {"date_of_birth": {}},
    ],
    ids=str,
)
def test_wrong_types_are_422_naming_the_field(api, answers_factory, change):
    response = api().post("/screenings", answers_factory(**change))
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == list(change)


def test_the_same_idempotency_key_stores_one_screening(api, answers_factory):
    body = answers_factory(consent_to_store=True)
    client = api()
    first = client.post("/screenings", body, headers={"Idempotency-Key": "k-1"})
    second = client.post("/screenings", body, headers={"Idempotency-Key": "k-1"})
    assert first.json() == second.json()
    assert Screening.objects.count() == 1


def test_staff_taking_it_by_phone_are_recorded_and_may_link_a_patient(
    api, answers_factory, front_desk, patient
):
    body = answers_factory(consent_to_store=True, patient=patient.patient.pk)
    result = screen(api, body, front_desk)
    stored = Screening.objects.get(pk=result["id"])
    assert stored.taken_by == front_desk.user
    assert stored.patient == patient.patient
    assert stored.channel == "api"
    event = AuditEvent.objects.get(action="screening.create")
    assert event.patient_id == str(patient.patient.pk)
    assert event.actor_username == front_desk.user.username


def test_anonymous_callers_may_not_link_a_patient(api, answers_factory, patient):
    response = api().post("/screenings", answers_factory(patient=patient.patient.pk))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "patient"


def test_staff_read_a_stored_screening_and_the_read_is_audited(api, answers_factory, aesthetician):
    result = screen(api, answers_factory(consent_to_store=True))
    response = api(aesthetician).get(f"/screenings/{result['id']}")
    assert response.status_code == 200
    assert response.json()["result"] == result
    assert response.json()["answers"]["concerns"] == ["acne_scars"]
    assert AuditEvent.objects.filter(action="screening.read", object_id=result["id"]).count() == 1


def test_patients_and_strangers_cannot_read_stored_screenings(api, answers_factory, patient):
    result = screen(api, answers_factory(consent_to_store=True))
    assert (
        api(patient).get(f"/screenings/{result['id']}").status_code == 404
    )  # docs/roles.md: no leaking of what exists
    assert api().get(f"/screenings/{result['id']}").status_code == 401


def test_nonsense_dates_are_refused_naming_the_field(api, answers_factory):
    for field, value in (("date_of_birth", "1800-01-01"), ("planned_date", "9999-12-31")):
        response = api().post("/screenings", answers_factory(**{field: value}))
        assert response.status_code == 422, response.content
        assert [e["field"] for e in response.json()["errors"]] == [field]


def test_repeated_areas_are_counted_once(api, answers_factory):
    response = api().post(
        "/screenings", answers_factory(areas=["face"] * 100_000, consent_to_store=True)
    )
    assert response.status_code == 200, response.content[:300]
    stored = Screening.objects.get(pk=response.json()["id"])
    assert stored.answers["areas"] == ["face"]
