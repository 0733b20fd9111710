"""An aesthetician walks the treatment day as steps on a tablet (820 x 1180): consent, the
day-of check, the baseline photos a first session needs, the chart and the signature. Each
step is its own screen; the step list says in words what is done, what is now and what is
still to do; everything a finger touches is at least 44 px tall."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import sign_in_as
from tests.browser.looking import look
from tests.browser.walk_helpers import charting_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLET = {"width": 820, "height": 1180}


def step_states(page) -> dict[str, str]:
    states = {}
    for item in page.locator(".day-steps li").all():
        states[item.get_attribute("data-step")] = item.locator(".day-step-state").inner_text()
    return states


def assert_touch_targets(page, selector: str) -> None:
    for target in page.locator(selector).all():
        if target.is_visible():
            box = target.bounding_box()
            assert box and box["height"] >= 44, (selector, target.inner_text(), box)


def tablet_look(page, name: str) -> None:
    look(page, name)
    page.set_viewport_size(TABLET)  # look() leaves the desktop size; the walk is on a tablet


def test_an_aesthetician_walks_the_treatment_day_steps_on_a_tablet(
    live_server, page, make_persona, api
):
    from django.utils import timezone

    from needlepoint.charting.models import SessionChart
    from tests.charting.conftest import baseline_photos

    aria, pat, appointment = charting_day(make_persona, api, baseline=False)
    aria.user.first_name, aria.user.last_name = "Aria", "Lindqvist"
    aria.user.save(update_fields=["first_name", "last_name"])
    location = appointment.location

    page.set_viewport_size(TABLET)
    sign_in_as(page, live_server, aria.user)
    page.goto(f"{live_server.url}/staff/appointments/{appointment.pk}/treatment/")
    page.get_by_role("heading", name=re.compile("1. Consent")).wait_for()
    assert step_states(page) == {
        "consent": "Now",
        "day_of_check": "To do",
        "photos": "To do",
        "chart": "To do",
        "sign": "To do",
    }
    assert_touch_targets(page, ".day-steps a")
    # One step per screen: the later steps are links, not forms on this screen.
    assert page.locator("#chart-form").count() == 0
    assert page.locator("#step-day-of").count() == 0

    # 1. Consent, typed: typing the name hides the drawing pad.
    assert page.get_by_role("radio", name="Type the full name").is_checked()
    assert not page.locator("canvas#id_signature_pad").is_visible()
    page.get_by_role("radio", name="Draw the signature").check()
    page.locator("canvas#id_signature_pad").wait_for(state="visible")
    page.get_by_role("radio", name="Type the full name").check()
    page.locator("canvas#id_signature_pad").wait_for(state="hidden")
    page.get_by_label(re.compile("type your full name")).fill("Pat Persona")
    tablet_look(page, "treatment day 1 consent")
    page.get_by_role("button", name="Sign the consent").click()
    page.locator("#consent-done").wait_for()

    # 2. The day-of check: the screening's answers, in the screening's order.
    page.get_by_role("heading", name="2. Day-of check").wait_for()
    assert step_states(page)["consent"] == "Done"
    assert step_states(page)["day_of_check"] == "Now"
    first = page.locator("#step-day-of fieldset").first
    assert [t.strip() for t in first.locator("label").all_inner_texts()] == [
        "Yes",
        "No",
        "Not sure",
    ]
    assert_touch_targets(page, "#step-day-of .choices label")
    tablet_look(page, "treatment day 2 day-of check")
    for radio in page.locator("#step-day-of input[type=radio][value=no]").all():
        radio.check()
    page.get_by_role("button", name="Record the day-of check").click()
    page.locator("#day-of-done").wait_for()

    # 3. Baseline photos: the first session needs them before signing, with a link to take them.
    page.get_by_role("heading", name="3. Baseline photos").wait_for()
    assert step_states(page)["photos"] == "Now"
    assert page.locator("#baseline-required").is_visible()
    capture = page.locator("#capture-baseline")
    assert capture.get_attribute("href") == f"/staff/patients/{pat.patient.pk}/photos/"
    tablet_look(page, "treatment day 3 baseline photos")
    baseline_photos(pat.patient, timezone.localdate(timezone=location.zone))
    page.reload()
    # The photos step is done, so the page moves on to the chart; the step still opens.
    page.locator("#chart-form").wait_for()
    assert step_states(page)["photos"] == "Done"
    page.locator(".day-steps [data-step=photos] a").click()
    page.locator("#baseline-complete").wait_for()
    page.get_by_role("link", name="Next: chart the session").click()

    # 4. The chart.
    page.locator("#chart-form").wait_for()
    assert step_states(page)["chart"] == "Now"
    page.get_by_label("Cheeks depth in mm").fill("1.25")
    page.get_by_label("Cheeks passes").fill("3")
    page.get_by_label("Forehead depth in mm").fill("0.5")
    page.get_by_label("Forehead passes").fill("2")
    page.get_by_label("Cartridge lot").select_option("L25C031")
    page.get_by_label("Endpoint reached").select_option("pinpoint_bleeding")
    page.get_by_label("Aftercare instructions given").check()
    assert_touch_targets(page, "#chart-form button, #chart-form select")
    tablet_look(page, "treatment day 4 chart")
    page.get_by_role("button", name="Save the chart").click()

    # 5. Sign: the chart in words (zones by label, staff by name, no bare rule code).
    page.get_by_role("button", name="Sign the chart").wait_for()
    assert step_states(page)["chart"] == "Done" and step_states(page)["sign"] == "Now"
    sign_text = page.locator("#step-sign").inner_text()
    assert "Aria Lindqvist" in sign_text and "Cheeks: 1.25 mm, 3 passes" in sign_text
    assert "within the plan" in sign_text
    assert "aria" not in re.sub(r"Aria Lindqvist", "", sign_text)
    tablet_look(page, "treatment day 5 sign")
    page.get_by_role("button", name="Sign the chart").click()
    page.locator("#signed").wait_for()
    signed = page.locator("#signed").inner_text()
    assert re.search(r"Signed \w+day \d{1,2} \w+ \d{4}, \d{1,2}:\d{2} [ap]m", signed), signed
    assert "T" not in re.sub(r"[A-Za-z]{2,}", "", signed)  # no ISO timestamp
    assert all(state == "Done" for state in step_states(page).values())
    tablet_look(page, "treatment day done")
    assert SessionChart.objects.get(appointment=appointment).status == "signed"

    # The signed chart, in words: the operator by name, the session's date.
    page.locator("#signed").get_by_role("link", name="Open the chart").click()
    page.get_by_role("heading", name="Session chart: Pat Persona").wait_for()
    assert "Aria Lindqvist" in page.locator("dl.facts").inner_text()
    tablet_look(page, "chart page signed")


def test_the_steps_work_without_javascript(live_server, browser, make_persona, api):
    """Without a script the step list is plain links, the typed signature is the one on
    offer (labelled as such), and each form posts and moves on to the next step."""
    aria, _pat, appointment = charting_day(make_persona, api)
    context = browser.new_context(java_script_enabled=False, viewport=TABLET)
    page = context.new_page()
    try:
        sign_in_as(page, live_server, aria.user)
        url = f"{live_server.url}/staff/appointments/{appointment.pk}/treatment/"
        page.goto(url)
        page.get_by_role("heading", name=re.compile("1. Consent")).wait_for()
        assert not page.locator("canvas#id_signature_pad").is_visible()
        page.get_by_label("Patient's signature: type your full name").fill("Pat Persona")
        page.get_by_role("button", name="Sign the consent").click()
        page.get_by_role("heading", name="2. Day-of check").wait_for()

        # A later step is a link away, and says what comes first.
        page.locator(".day-steps [data-step=sign] a").click()
        page.wait_for_url(re.compile(r"\?step=sign$"))
        assert "Chart the session first" in page.locator("main").inner_text()
        page.locator(".day-steps [data-step=day_of_check] a").click()
        page.get_by_role("heading", name="2. Day-of check").wait_for()
        for radio in page.locator("#step-day-of input[type=radio][value=no]").all():
            radio.check()
        page.get_by_role("button", name="Record the day-of check").click()
        page.locator("#chart-form").wait_for()
        assert step_states(page)["day_of_check"] == "Done"
    finally:
        context.close()
