"""Each step of the self-screening refuses to move on while a question is unanswered, naming
it: in the browser (steps.js) and, without JavaScript, through the server."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STEP2_BUT_COLD_SORE = {
    "pregnant_or_breastfeeding": "no",
    "active_skin_infection": "no",
    "open_wounds_or_irritated_skin": "no",
    "active_inflamed_acne": "no",
    "dermatitis_flare": "no",
    "skin_lesions_or_changing_moles": "no",
}


def answer(page, fields):
    for field, value in fields.items():
        page.locator(f'input[name="{field}"][value="{value}"]').check()


def test_each_step_refuses_to_move_on_naming_what_is_unanswered(live_server, page):
    page.goto(live_server.url + "/micro-needling/screening/")
    step1 = page.locator('section[data-step="1"]')
    step2 = page.locator('section[data-step="2"]')
    step1.get_by_role("button", name="Next").click()
    summary = step1.get_by_role("alert")
    expect(summary).to_contain_text("Please answer 3 questions")
    for question in ("Date of birth", "What would you like to improve?", "Where?"):
        expect(summary).to_contain_text(question)
    expect(page.locator("#err-areas")).to_have_text("Please answer this question.")
    expect(step2).to_be_hidden()
    assert page.url.endswith("/micro-needling/screening/")  # nothing was sent

    page.get_by_label("Date of birth").fill("1990-03-02")
    answer(page, {"concerns": "acne_scars", "areas": "face"})
    step1.get_by_role("button", name="Next").click()
    expect(step2.get_by_role("heading", name="Step 2 of 5: Your skin right now")).to_be_visible()
    expect(step1).to_be_hidden()

    answer(page, STEP2_BUT_COLD_SORE)
    step2.get_by_role("button", name="Next").click()
    summary = step2.get_by_role("alert")
    expect(summary).to_contain_text("Please answer 1 question")
    expect(summary).to_contain_text("A cold sore right now?")
    expect(page.locator('section[data-step="3"]')).to_be_hidden()

    answer(page, {"active_cold_sore": "no"})
    step2.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Step 3 of 5: Your health")).to_be_visible()
    expect(step2.get_by_role("alert")).to_have_count(0)


def test_without_javascript_each_next_posts_and_the_server_names_the_missing_answers(
    live_server, browser
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/micro-needling/screening/")
        step1 = page.locator('section[data-step="1"]')
        with page.expect_response(lambda r: r.request.method == "POST") as sent:
            step1.get_by_role("button", name="Next").click()
        assert sent.value.status == 422
        summary = page.locator("#error-summary")
        expect(summary).to_contain_text("Please check 3 answers")
        for question in ("Date of birth", "What would you like to improve?", "Where?"):
            expect(summary).to_contain_text(question)
        expect(page.locator('section[data-step="2"]')).to_be_hidden()

        page.get_by_label("Date of birth").fill("1990-03-02")
        answer(page, {"concerns": "acne_scars", "areas": "face"})
        with page.expect_response(lambda r: r.request.method == "POST") as sent:
            step1.get_by_role("button", name="Next").click()
        assert sent.value.status == 200
        step2 = page.locator('section[data-step="2"]')
        expect(
            step2.get_by_role("heading", name="Step 2 of 5: Your skin right now")
        ).to_be_visible()

        answer(page, STEP2_BUT_COLD_SORE)
        with page.expect_response(lambda r: r.request.method == "POST") as sent:
            step2.get_by_role("button", name="Next").click()
        assert sent.value.status == 422
        expect(page.locator("#error-summary")).to_contain_text("A cold sore right now?")
        expect(page.locator("#error-summary li")).to_have_count(1)
        # Everything typed so far came back with the page.
        assert page.locator('input[name="date_of_birth"]').input_value() == "1990-03-02"
        assert page.locator('input[name="areas"][value="face"]').is_checked()
        assert page.locator('input[name="dermatitis_flare"][value="no"]').is_checked()
    finally:
        context.close()
