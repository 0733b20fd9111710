"""Public treatment page, the stepped screening form and the staff pages."""

from __future__ import annotations

import pytest

from needlepoint.audit.models import AuditEvent
from needlepoint.domain.screening import TRI_STATE_FIELDS
from needlepoint.screening.models import Consultation, Screening
from needlepoint.treatments.models import TreatmentPlan
from tests.words import readable

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("before_planned_date")]


def form_data(answers_factory, **changes):
    data = {}
    for key, value in answers_factory(**changes).items():
        if key == "consent_to_store":
            data[key] = "yes" if value else "no"
        elif value is None:
            data[key] = ""
        else:
            data[key] = value
    return data


def test_home_links_prominently_to_the_treatment_page(client):
    body = client.get("/").content.decode()
    assert 'href="/micro-needling/"' in body
    assert 'href="/micro-needling/screening/"' in body


def test_the_treatment_page_explains_and_offers_both_paths(client):
    response = client.get("/micro-needling/")
    assert response.status_code == 200
    body = response.content.decode()
    for text in [
        "collagen",
        "Eclipse MicroPen",
        "12-needle",
        "Aftercare",
        "Facelift",
        "Am I a candidate?",
        "Book a consultation",
        "/book/consultation/",
    ]:
        assert text in body, text
    assert "<script>" not in body  # CSP: no inline scripts


def test_the_form_asks_every_question_with_not_sure_allowed(client):
    body = client.get("/micro-needling/screening/").content.decode()
    assert body.count('value="unsure"') == len(TRI_STATE_FIELDS) + 1  # and diabetes
    assert "Are you pregnant or breastfeeding?" in body
    assert 'src="/static/screening/steps.js"' in body


def test_errors_rerender_with_every_value_kept_and_next_to_the_field(client, answers_factory):
    data = form_data(answers_factory, sunburn_last="2027-02-01", blood_thinners="yes")
    del data["diabetes"]
    response = client.post("/micro-needling/screening/", data)
    assert response.status_code == 422
    body = response.content.decode()
    assert 'id="err-diabetes"' in body
    assert 'id="err-sunburn_last"' in body
    assert 'value="2027-02-01"' in body
    assert 'name="blood_thinners" value="yes" checked' in body
    assert 'value="acne_scars" checked' in body
    assert Screening.objects.count() == 0


def test_a_result_page_explains_reasons_dates_and_next_step(client, answers_factory):
    data = form_data(answers_factory, isotretinoin_last_dose="2026-11-02", cold_sore_history="yes")
    response = client.post("/micro-needling/screening/", data, follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Not just yet" in body
    assert "Sunday 2 May 2027" in body
    assert "judged for treatment on Friday 15 January 2027" in readable(
        body
    )  # the planned day, in words
    assert "Take the screening again later" in body
    assert "Only a clinic professional can confirm" in body
    assert "cold sore" in body.lower()
    assert "Your answers were not kept" in body
    assert Screening.objects.count() == 0


def test_with_consent_the_online_form_stores_the_screening(client, answers_factory):
    client.post("/micro-needling/screening/", form_data(answers_factory, consent_to_store=True))
    stored = Screening.objects.get()
    assert stored.channel == "online"
    assert stored.taken_by is None


def test_front_desk_takes_a_screening_by_phone_linked_to_a_patient(
    staff_client, front_desk, patient, answers_factory
):
    client = staff_client(front_desk)
    assert client.get("/staff/screenings/new/").status_code == 200
    data = form_data(answers_factory, consent_to_store=True)
    data["patient"] = str(patient.patient.pk)
    response = client.post("/staff/screenings/new/", data)
    assert response.status_code == 200
    stored = Screening.objects.get()
    assert (stored.channel, stored.taken_by, stored.patient) == (
        "phone",
        front_desk.user,
        patient.patient,
    )


def test_patients_cannot_open_the_phone_screening(staff_client, patient):
    assert staff_client(patient, with_totp=False).get("/staff/screenings/new/").status_code == 403


def test_staff_record_a_consultation_and_a_plan_in_pages(
    staff_client, aesthetician, physician, patient, api, answers_factory
):
    screening = api().post("/screenings", answers_factory(consent_to_store=True)).json()
    client = staff_client(aesthetician)
    pid = patient.patient.pk
    page = client.get(f"/staff/patients/{pid}/consultations/new/?screening={screening['id']}")
    assert page.status_code == 200
    assert "Likely candidate" in page.content.decode()
    bad = client.post(
        f"/staff/patients/{pid}/consultations/new/", {"screening": screening["id"], "notes": "kept"}
    )
    assert bad.status_code == 422
    assert "kept" in bad.content.decode()
    response = client.post(
        f"/staff/patients/{pid}/consultations/new/",
        {
            "screening": screening["id"],
            "fitzpatrick": "4",
            "grade_acne_scars": "3",
            "zones": ["cheeks", "forehead"],
            "determination": "physician_clearance_required",
            "notes": "On warfarin?",
        },
    )
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    doctor = staff_client(physician)
    detail = doctor.get(f"/staff/consultations/{consultation.pk}/")
    assert "Sign the clearance" in detail.content.decode()
    doctor.post(f"/staff/consultations/{consultation.pk}/", {"action": "clear", "cleared": "yes"})
    plan_page = client.get(f"/staff/consultations/{consultation.pk}/plan/")
    assert plan_page.status_code == 200
    refused = client.post(
        f"/staff/consultations/{consultation.pk}/plan/",
        {
            "value__sessions": "5",
            "value__interval_weeks": "6",
            "value__maintenance_months": "12",
            "low__depth_mm.cheeks": "1.0",
            "high__depth_mm.cheeks": "1.5",
            "low__depth_mm.forehead": "0.25",
            "high__depth_mm.forehead": "0.5",
        },
    )
    assert refused.status_code == 422
    assert "give the reason" in refused.content.decode()
    created = client.post(
        f"/staff/consultations/{consultation.pk}/plan/",
        {
            "value__sessions": "5",
            "reason__sessions": "Deep scars",
            "value__interval_weeks": "6",
            "value__maintenance_months": "12",
            "low__depth_mm.cheeks": "1.0",
            "high__depth_mm.cheeks": "1.5",
            "low__depth_mm.forehead": "0.25",
            "high__depth_mm.forehead": "0.5",
        },
    )
    assert created.status_code == 302
    plan = TreatmentPlan.objects.get()
    assert plan.sessions == 5
    overview = doctor.get(f"/staff/patients/{pid}/micro-needling/")
    assert overview.status_code == 200
    assert "OK" in overview.content.decode()
    view = client.get(f"/staff/plans/{plan.pk}/")
    assert "Deep scars" in view.content.decode()
    assert AuditEvent.objects.filter(action="plan.read", outcome="allowed").exists()
