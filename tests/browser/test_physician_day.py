"""The physician's day through the pages only, from the menu: the clearance queue and a
clearance signed, the co-sign queue and a chart co-signed, a cartridge lot recalled with its
CSV, and the adverse-event report. Set-up (a consultation needing clearance, a chart signed
by the aesthetician) happens before the physician opens the first page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in_as
from tests.browser.walk_helpers import chart_signed_by, charting_day, open_from_menu, seen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


NEEDS_CLEARANCE = {
    "fitzpatrick": 3,
    "concerns": [{"concern": "acne_scars", "grade": "2"}],
    "zones": ["cheeks"],
    "determination": "physician_clearance_required",
    "notes": "Takes an anticoagulant.",
}


def consultation_needing_clearance(aria: Any, patient: Any) -> Any:
    from needlepoint.screening.services import consultation_record

    return consultation_record(actor=aria.user, patient=patient, **NEEDS_CLEARANCE)


def test_a_physician_walks_the_day_through_the_pages(live_server, page, make_persona, api):
    from needlepoint.charting.models import SessionChart
    from needlepoint.screening.models import Clearance

    aria, pat, appointment = charting_day(make_persona, api)
    chart_signed_by(api, aria, appointment)
    consultation = consultation_needing_clearance(aria, pat.patient)
    phil = make_persona("phil", "physician")
    phil.user.first_name, phil.user.last_name = "Phil", "Okafor"
    phil.user.save(update_fields=["first_name", "last_name"])
    base = live_server.url

    sign_in_as(page, live_server, phil.user)
    page.goto(f"{base}/staff/")
    seen(page, page.get_by_role("heading", level=1), "physician day start page")

    # The clearance queue: decide on Pat, cleared with a note.
    open_from_menu(
        page, "Clearances", "Consultations awaiting your clearance", "physician day clearances"
    )
    page.get_by_role("row", name=re.compile("Pat Persona")).get_by_role(
        "link", name="Decide on Pat Persona"
    ).click()
    page.wait_for_url(re.compile(rf"/staff/clearances/{consultation.pk}/$"))
    seen(
        page,
        page.get_by_role("heading", name="Clearance for Pat Persona"),
        "physician day clearance",
    )
    page.get_by_label("Cleared: treatment may be planned and booked").check()
    page.get_by_label("Notes for the clinician and the record").fill("Hold it for 2 days.")
    page.get_by_role("button", name="Sign the clearance decision").click()
    page.wait_for_url(re.compile(r"/staff/clearances/$"))
    seen(page, page.get_by_text("Nothing is waiting for a clearance."), "physician day cleared")
    assert Clearance.objects.get(consultation=consultation).signed_by == phil.user

    # The co-sign queue: review Pat's chart and co-sign it.
    open_from_menu(page, "Co-sign", "Charts awaiting co-signature", "physician day co-sign queue")
    page.get_by_role("link", name="Review the chart of Pat Persona").click()
    page.wait_for_url(re.compile(r"/staff/charts/\d+/$"))
    seen(
        page, page.get_by_role("heading", name="Session chart: Pat Persona"), "physician day chart"
    )
    page.get_by_role("button", name="Co-sign as medical director").click()
    expect(page.locator("#chart-status")).to_contain_text("co-signed by Phil Okafor")
    seen(page, page.locator("#chart-status"), "physician day chart co-signed")
    assert SessionChart.objects.get(appointment=appointment).cosigned_by == phil.user
    open_from_menu(page, "Co-sign", "Charts awaiting co-signature", "physician day co-sign done")
    expect(page.get_by_text("Nothing waiting.")).to_be_visible()

    # The recall page: the lot used on Pat's cheeks, then its CSV.
    open_from_menu(page, "Recalls", "Recall by cartridge lot or pen", "physician day recall")
    page.get_by_label("Cartridge lot").select_option("L25C031")
    page.get_by_role("button", name="Find the sessions").click()
    seen(page, page.locator("#recall-results"), "physician day recall found")
    expect(page.locator("#recall-count")).to_have_text("1 session for 1 patient.")
    with page.expect_download() as download:
        page.locator("#recall-csv").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("Session date,Location,Patient,") and "Pat Persona" in text

    # The adverse-event report counts the signed session.
    open_from_menu(page, "Adverse events", "Adverse events", "physician day adverse events")
    expect(page.locator("main")).to_contain_text("recorded over 1 signed session")
