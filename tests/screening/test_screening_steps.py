"""The stepped screening checks each step before moving on, also without JavaScript: every
Next posts the whole form, and the server answers with that step's missing answers named,
or with the next step, keeping everything typed (docs/decisions/0263-screening-steps-checked.md)."""

from __future__ import annotations

import re

import pytest

from needlepoint.screening.models import Screening
from tests.screening.test_screening_pages import form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("before_planned_date")]

STEP1 = ("date_of_birth", "planned_date", "concerns", "areas")
STEP2 = (
    "pregnant_or_breastfeeding",
    "active_skin_infection",
    "active_cold_sore",
    "open_wounds_or_irritated_skin",
    "active_inflamed_acne",
    "dermatitis_flare",
    "skin_lesions_or_changing_moles",
)


def shown_steps(html: str) -> list[str]:
    return re.findall(r'<section class="step[^"]*" data-step="(\d)"(?![^>]*\shidden)', html)


def only(data: dict, fields) -> dict:
    return {k: v for k, v in data.items() if k in fields}


def test_the_form_opens_on_step_one_with_next_buttons_that_post(client):
    html = client.get("/micro-needling/screening/").content.decode()
    assert shown_steps(html) == ["1"]
    assert re.search(r'<button type="submit" name="next_from" value="1"', html)


def test_next_on_a_step_with_missing_answers_names_only_that_steps_missing_answers(
    client, answers_factory
):
    data = {**only(form_data(answers_factory), STEP1), "pregnant_or_breastfeeding": "no"}
    response = client.post("/micro-needling/screening/", {**data, "next_from": "2"})
    assert response.status_code == 422
    html = response.content.decode()
    assert shown_steps(html) == ["2"]
    named = set(re.findall(r'id="err-([a-z_]+)"', html))
    assert named == set(STEP2) - {"pregnant_or_breastfeeding"}
    assert "Please check 6 answers" in html
    assert 'value="1990-03-02"' in html  # typed on step 1, kept
    assert 'name="pregnant_or_breastfeeding" value="no" checked' in html
    assert Screening.objects.count() == 0


def test_next_on_a_complete_step_shows_the_next_one_without_errors(client, answers_factory):
    data = only(form_data(answers_factory), STEP1)
    response = client.post("/micro-needling/screening/", {**data, "next_from": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert shown_steps(html) == ["2"]
    assert "field-error" not in html and "error-summary" not in html
    assert 'value="1990-03-02"' in html and 'value="acne_scars" checked' in html


def test_back_shows_the_previous_step_with_everything_kept(client, answers_factory):
    data = only(form_data(answers_factory), STEP1)
    response = client.post("/micro-needling/screening/", {**data, "back_to": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert shown_steps(html) == ["1"] and 'value="1990-03-02"' in html


def test_a_wrong_date_on_the_step_is_named_too(client, answers_factory):
    data = {**only(form_data(answers_factory), STEP1), "date_of_birth": "1990-02-30"}
    response = client.post("/micro-needling/screening/", {**data, "next_from": "1"})
    assert response.status_code == 422
    assert set(re.findall(r'id="err-([a-z_]+)"', response.content.decode())) == {"date_of_birth"}


def test_an_error_at_the_end_opens_the_first_step_that_has_one(client, answers_factory):
    data = form_data(answers_factory)
    del data["diabetes"]
    response = client.post("/micro-needling/screening/", data)
    assert response.status_code == 422
    assert shown_steps(response.content.decode()) == ["3"]


def test_the_phone_screening_steps_the_same_way_keeping_the_chosen_patient(
    staff_client, front_desk, patient
):
    staff = staff_client(front_desk)
    chosen = patient.patient
    response = staff.post("/staff/screenings/new/", {"patient": str(chosen.pk), "next_from": "1"})
    assert response.status_code == 422
    html = response.content.decode()
    assert shown_steps(html) == ["1"]
    assert set(re.findall(r'id="err-([a-z_]+)"', html)) == {"date_of_birth", "concerns", "areas"}
    assert f'name="patient" value="{chosen.pk}" checked> {chosen.full_name}' in html
    assert Screening.objects.count() == 0
