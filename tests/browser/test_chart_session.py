"""An aesthetician charts a full session on a tablet-sized screen: consent, day-of check,
chart (one refusal on the way, with the values kept), sign."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import sign_in_as
from tests.browser.walk_helpers import charting_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_aesthetician_charts_a_full_session_on_a_tablet(live_server, page, make_persona, api):

    from needlepoint.charting.models import CartridgeUse, SessionChart
    from needlepoint.scheduling.models import Appointment

    aria, _pat, appointment = charting_day(make_persona, api)

    page.set_viewport_size({"width": 1024, "height": 768})
    sign_in_as(page, live_server, aria.user)
    page.goto(f"{live_server.url}/staff/appointments/{appointment.pk}/treatment/")

    # 1. Consent on the tablet, signed with the typed full name.
    assert page.get_by_role("heading", name=re.compile("1. Consent")).is_visible()
    assert page.get_by_text("post-inflammatory hyperpigmentation").first.is_visible()
    page.get_by_label("I give this photo release").check()
    page.get_by_label(re.compile("type your full name")).fill("Pat Persona")
    page.get_by_role("button", name="Sign the consent").click()
    page.locator("#consent-done").wait_for()

    # 2. The day-of checklist: nothing today.
    for radio in page.locator("#step-day-of input[type=radio][value=no]").all():
        radio.check()
    page.get_by_role("button", name="Record the day-of check").click()
    page.locator("#day-of-done").wait_for()

    # 3. The chart: a depth over the face ceiling is refused and the values stay.
    page.get_by_label("cheeks depth in mm").fill("2.0")
    page.get_by_label("cheeks passes").fill("3")
    page.get_by_label("forehead depth in mm").fill("0.5")
    page.get_by_label("forehead passes").fill("2")
    page.get_by_label("Cartridge lot").select_option("L25C031")
    page.get_by_label("Endpoint reached").select_option("pinpoint_bleeding")
    page.get_by_label("Product", exact=True).select_option("sterile-ha-serum")
    page.get_by_label("Product lot").fill("HA2611")
    page.get_by_label("Immediate reactions").fill("Even erythema.")
    page.get_by_label("Aftercare instructions given").check()
    page.get_by_role("button", name="Save the chart").click()
    refusal = page.locator("#refusal")
    refusal.wait_for()
    assert refusal.get_attribute("data-rule") == "DEPTH_ABOVE_FACE_CEILING"
    assert page.get_by_label("cheeks depth in mm").input_value() == "2.0"
    assert page.get_by_label("Immediate reactions").input_value() == "Even erythema."
    assert page.get_by_label("Product lot").input_value() == "HA2611"

    page.get_by_label("cheeks depth in mm").fill("1.25")
    page.get_by_label(re.compile("Topical anaesthetic")).fill("Lidocaine 4% cream")
    page.get_by_label("Notes").fill("Tolerated well.")
    page.get_by_role("button", name="Save the chart").click()
    page.get_by_role("button", name="Sign the chart").wait_for()

    # Reloaded, the form shows what is stored, and saving it again changes nothing.
    fields = ("anesthetic", "zones", "topicals", "endpoint", "immediate_reactions")
    fields += ("aftercare_given", "notes", "device_id", "cartridge_lot_id")
    stored = SessionChart.objects.values(*fields).get(appointment=appointment)
    # The chart form is its own step now: "Change the chart" opens it again.
    page.locator("#change-chart").click()
    page.locator("#chart-form").wait_for()
    assert page.get_by_label("Product lot").input_value() == "HA2611"
    assert page.get_by_label("Notes").input_value() == "Tolerated well."
    with page.expect_navigation():
        page.get_by_role("button", name="Save the chart").click()
    page.get_by_text("Session charted").wait_for()
    assert SessionChart.objects.values(*fields).get(appointment=appointment) == stored

    # 4. Sign.
    page.get_by_role("button", name="Sign the chart").click()
    page.locator("#signed").wait_for()
    assert "awaiting the medical director" in page.locator("#signed").inner_text()

    chart = SessionChart.objects.get(appointment=appointment)
    assert chart.status == "signed" and chart.needs_cosign
    assert [z["zone"] for z in chart.zones] == ["cheeks", "forehead"]
    assert chart.zones[0]["depth_mm"] == 1.25
    assert CartridgeUse.objects.filter(chart=chart).count() == 1
    assert Appointment.objects.get(pk=appointment.pk).status == "completed"
