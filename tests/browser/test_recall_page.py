"""A physician finds the recall page and the adverse-event report from the menu, recalls a
cartridge lot and downloads the CSV."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.conftest import sign_in_as
from tests.browser.looking import look
from tests.browser.walk_helpers import charting_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_physician_recalls_a_lot_from_the_menu(live_server, page, make_persona, api):
    from tests.charting.conftest import CHART, DAY_OF_CLEAR

    aria, _pat, appointment = charting_day(make_persona, api, baseline=False, session=2)
    phil = make_persona("phil", "physician")
    phil.user.first_name, phil.user.last_name = "Phil", "Okafor"
    phil.user.save(update_fields=["first_name", "last_name"])
    client = api(aria)
    base = f"/appointments/{appointment.pk}"
    consent = {"consent_version": "current", "signature": "Pat Persona", "photo_release": True}
    assert client.post(f"{base}/consent", consent).status_code == 201
    assert client.post(f"{base}/day-of-check", DAY_OF_CLEAR).status_code == 201
    assert client.post(f"{base}/chart", CHART).status_code == 201

    sign_in_as(page, live_server, phil.user)
    page.goto(f"{live_server.url}/staff/inventory/")
    page.get_by_role("heading", name="Cartridge stock").wait_for()
    look(page, "cartridge stock")
    page.goto(f"{live_server.url}/staff/charts/cosign/")
    page.get_by_role("heading", name="Charts awaiting co-signature").wait_for()
    look(page, "cosign queue")
    main_nav = page.get_by_role("navigation", name="Main")
    main_nav.locator("summary", has_text="More").click()  # Recalls sits under "More"
    main_nav.get_by_role("link", name="Recalls").click()
    page.get_by_role("heading", name="Recall by cartridge lot or pen").wait_for()
    look(page, "recall page empty")
    page.get_by_label("Cartridge lot").select_option("L25C031")
    page.get_by_role("button", name="Find the sessions").click()
    page.locator("#recall-results").wait_for()
    assert page.locator("#recall-count").inner_text() == "1 session for 1 patient."
    row = page.locator("#recall-table tbody tr").first.inner_text()
    assert "Pat Persona" in row and "pat@example.com" in row
    assert re.search(r"\w+day \d{1,2} \w+ \d{4}", row)
    look(page, "recall page lot")
    with page.expect_download() as download:
        page.locator("#recall-csv").click()
    assert download.value.suggested_filename == "recall-L25C031.csv"
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("Session date,Location,Patient,") and "Pat Persona" in text

    main_nav.locator("summary", has_text="More").click()
    main_nav.get_by_role("link", name="Adverse events").click()
    page.get_by_role("heading", name="Adverse events").wait_for()
    look(page, "adverse event report")
