"""The screening, consultation and plan pages read as words (issue #12, decision 0465):
no verdict, determination, concern, zone or status code, no ISO date or timestamp, no
username and no "#1" in the text a person reads; a rule code or version only in <small>
or <code>."""

from __future__ import annotations

import pytest

from needlepoint.screening.models import Consultation, Screening
from needlepoint.treatments.models import PlanSession, TreatmentPlan
from tests.screening.test_screening_pages import form_data
from tests.words import assert_reads_as_words, readable

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("before_planned_date")]


@pytest.fixture
def planned(staff_client, aesthetician, physician, patient, api, answers_factory):
    """A stored screening, a consultation needing clearance (cleared, amended) and a plan."""
    screening = api().post("/screenings", answers_factory(consent_to_store=True)).json()
    client = staff_client(aesthetician)
    pid = patient.patient.pk
    client.post(
        f"/staff/patients/{pid}/consultations/new/",
        {
            "screening": screening["id"],
            "fitzpatrick": "4",
            "grade_acne_scars": "2",
            "zones": ["chin_jawline", "cheeks"],
            "determination": "physician_clearance_required",
            "notes": "On warfarin?",
        },
    )
    consultation = Consultation.objects.get()
    doctor = staff_client(physician)
    doctor.post(f"/staff/consultations/{consultation.pk}/", {"action": "clear", "cleared": "yes"})
    made = client.post(
        f"/staff/consultations/{consultation.pk}/plan/",
        {
            "value__sessions": "3",
            "value__interval_weeks": "5",
            "reason__interval_weeks": "Slow healer",
            "value__maintenance_months": "1",
            "reason__maintenance_months": "Wants monthly upkeep",
            "low__depth_mm.chin_jawline": "0.5",
            "high__depth_mm.chin_jawline": "1.0",
            "low__depth_mm.cheeks": "1.0",
            "high__depth_mm.cheeks": "1.5",
        },
    )
    assert made.status_code == 302, readable(made.content.decode(), secondary=False)[-3000:]
    plan = TreatmentPlan.objects.get()
    session = PlanSession.objects.filter(plan=plan).order_by("index").first()
    if session is not None:
        session.status, session.booked_for = "booked", plan.created_at.date()
        session.save(update_fields=["status", "booked_for"])
    return client, doctor, consultation, plan, screening


def _usernames(*personas):
    return {p.user.username for p in personas}


def test_the_consultation_page_reads_as_words(planned, aesthetician, physician, patient):
    client, doctor, consultation, _plan, _screening = planned
    for who in (client, doctor):
        response = who.get(f"/staff/consultations/{consultation.pk}/")
        assert response.status_code == 200
        html = response.content.decode()
        assert_reads_as_words(
            html, usernames=_usernames(aesthetician, physician, patient), where="consultation"
        )
        text = readable(html, secondary=False)
        assert f"Consultation with {patient.patient.full_name}" in text
        assert "Physician clearance required" in text
        assert "Sunday 10 January 2027, 3:00 pm" in text
        assert "Chin and jawline" in text
        assert f"cleared by {physician.user.get_full_name()} on" in text
        assert "Acne scars, grade 2" in text
        assert "Likely candidate" in text
    # The protocol and policy versions are still there, as small references.
    assert consultation.protocol_version in readable(html)


def test_the_consultation_title_names_the_patient_and_the_day(planned, patient):
    client, _doctor, consultation, _plan, _screening = planned
    html = client.get(f"/staff/consultations/{consultation.pk}/").content.decode()
    name = patient.patient.full_name
    assert f"<h1>Consultation with {name}, 10 January 2027</h1>" in html
    assert f"#{consultation.pk}" not in readable(html)


def test_the_new_consultation_page_reads_as_words(planned, aesthetician, patient):
    client, _doctor, _consultation, _plan, screening = planned
    pid = patient.patient.pk
    for url in (
        f"/staff/patients/{pid}/consultations/new/",
        f"/staff/patients/{pid}/consultations/new/?screening={screening['id']}",
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert_reads_as_words(
            response.content.decode(), usernames=_usernames(aesthetician, patient), where=url
        )


def test_the_plan_pages_read_as_words(planned, aesthetician, physician, patient):
    client, _doctor, consultation, plan, _screening = planned
    for url in (f"/staff/plans/{plan.pk}/", f"/staff/consultations/{consultation.pk}/plan/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_reads_as_words(
            response.content.decode(),
            usernames=_usernames(aesthetician, physician, patient),
            where=url,
        )
    text = readable(client.get(f"/staff/plans/{plan.pk}/").content.decode(), secondary=False)
    assert f"Treatment plan for {patient.patient.full_name}, 10 January 2027" in text
    assert "every 1 month" in text
    assert "Interval 5 weeks (recommended 6 weeks" in text
    assert "Booked" in text and "Sunday 10 January 2027" in text
    assert "Slow healer" in text
    assert f"by {aesthetician.user.get_full_name()} on Sunday 10 January 2027, 3:00 pm" in text
    assert "Chin and jawline: 0.5–1.0 mm" in text


def test_the_result_pages_read_as_words(client, staff_client, front_desk, answers_factory):
    data = form_data(answers_factory, isotretinoin_last_dose="2026-11-02", cold_sore_history="yes")
    public = client.post("/micro-needling/screening/", data, follow=True)
    assert_reads_as_words(public.content.decode(), where="public result")
    staff = staff_client(front_desk)
    taken = staff.post("/staff/screenings/new/", data)
    assert taken.status_code == 200
    html = taken.content.decode()
    assert_reads_as_words(html, usernames=_usernames(front_desk), where="staff result")
    assert "<code>" in html  # the rule codes are there for staff, as small references


def test_the_public_and_phone_screening_forms_read_as_words(
    client, staff_client, front_desk, patient
):
    for url in ("/micro-needling/", "/micro-needling/screening/"):
        assert_reads_as_words(client.get(url).content.decode(), where=url)
    staff = staff_client(front_desk)
    name = patient.patient.full_name
    page = staff.get("/staff/screenings/new/", {"q": name})
    assert_reads_as_words(
        page.content.decode(), usernames=_usernames(front_desk, patient), where="phone"
    )


def test_the_phone_screening_finds_the_caller_by_name_and_links_the_choice(
    staff_client, front_desk, patient, answers_factory
):
    staff = staff_client(front_desk)
    chosen = patient.patient
    page = staff.get("/staff/screenings/new/")
    assert "Patient record number" not in page.content.decode()
    data = form_data(answers_factory, consent_to_store=True)
    found = staff.post("/staff/screenings/new/", {**data, "q": chosen.family_name, "find": "1"})
    assert found.status_code == 200
    html = found.content.decode()
    assert f'name="patient" value="{chosen.pk}"> {chosen.full_name}, born' in html
    assert f'value="{data["date_of_birth"]}"' in html  # the answers so far are kept
    assert Screening.objects.count() == 0
    staff.post("/staff/screenings/new/", {**data, "q": chosen.family_name, "patient": chosen.pk})
    assert Screening.objects.get().patient == chosen


def test_a_search_that_finds_nobody_says_so_and_still_screens(
    staff_client, front_desk, answers_factory
):
    staff = staff_client(front_desk)
    data = form_data(answers_factory, consent_to_store=True)
    found = staff.post("/staff/screenings/new/", {**data, "q": "Nobody Atall", "find": "1"})
    assert "No patient matches" in found.content.decode()
    staff.post("/staff/screenings/new/", {**data, "q": "Nobody Atall", "patient": ""})
    assert Screening.objects.get().patient is None
