"""A person goes from the treatment page through the screening steps to a result."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def answer_step(page, fields):
    for field, value in fields.items():
        page.locator(f'input[name="{field}"][value="{value}"]').check()


def test_a_person_screens_themselves_step_by_step_using_the_keyboard(live_server, page):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Micro-needling: is it for me?").click()
    page.get_by_role("heading", name="What is micro-needling?").wait_for()
    page.get_by_role("link", name="Start the screening").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/micro-needling/screening/")
    page.get_by_role("button", name="Next").first.wait_for()

    step1 = page.locator('section[data-step="1"]')
    step2 = page.locator('section[data-step="2"]')
    expect(step1).to_be_visible()
    expect(step2).to_be_hidden()
    page.get_by_label("Date of birth").fill("1990-03-02")
    page.locator('input[name="concerns"][value="acne_scars"]').focus()
    page.keyboard.press("Space")
    page.locator('input[name="areas"][value="face"]').check()
    step1.get_by_role("button", name="Next").focus()
    page.keyboard.press("Enter")
    expect(step2).to_be_visible()
    expect(step1).to_be_hidden()
    assert page.evaluate("document.activeElement.id") == "step-2-h"

    answer_step(
        page,
        {
            "pregnant_or_breastfeeding": "no",
            "active_skin_infection": "no",
            "active_cold_sore": "no",
            "open_wounds_or_irritated_skin": "no",
            "active_inflamed_acne": "no",
            "dermatitis_flare": "no",
            "skin_lesions_or_changing_moles": "no",
        },
    )
    step2.get_by_role("button", name="Next").click()
    answer_step(
        page,
        {
            "cold_sore_history": "yes",
            "dermatitis_history": "no",
            "bleeding_disorder": "no",
            "blood_thinners": "no",
            "keloid_history": "unsure",
            "immunosuppressed": "no",
            "diabetes": "none",
            "metal_allergy": "no",
            "anesthetic_allergy": "no",
            "gold_threads_in_area": "no",
        },
    )
    page.locator('section[data-step="3"]').get_by_role("button", name="Next").click()
    page.locator('section[data-step="4"]').get_by_role("button", name="Next").click()
    page.locator('input[name="consent_to_store"][value="no"]').check()
    page.get_by_role("button", name="See my result").focus()
    page.keyboard.press("Enter")

    page.wait_for_url("**/micro-needling/screening/result/")
    text = page.locator("main").inner_text()
    assert "A clinician needs to look at your answers first" in text
    assert "Only a clinic professional can confirm" in text
    assert "Your answers were not kept" in text
    assert page.locator("main").get_by_role("link", name="Book a consultation").is_visible()
