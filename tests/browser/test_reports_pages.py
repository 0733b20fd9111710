"""A clinic admin opens the reports from the menu, picks a location and dates, reads the
charts and tables of the known clinic (tests/reports/known_clinic.py) and downloads a CSV."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import sign_in_as
from tests.browser.looking import look
from tests.browser.walk_helpers import open_from_menu
from tests.reports.known_clinic import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_reads_the_reports(live_server, page, make_persona):
    build()
    admin = make_persona("adah", "clinic_admin")
    sign_in_as(page, live_server, admin.user)
    page.goto(f"{live_server.url}/staff/")
    open_from_menu(page, "Reports", "Reports", "reports index")
    page.get_by_role("link", name="Utilisation of aestheticians, rooms and pens").click()
    page.get_by_role("heading", name="Utilisation of aestheticians, rooms and pens").wait_for()
    page.get_by_label("From", exact=True).fill("2026-01-05")
    page.get_by_label("To", exact=True).fill("2026-01-18")
    page.get_by_label("Location or group").select_option("north")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/staff/reports/utilisation/?start=2026-01-05*")
    assert (
        page.get_by_label("Location or group").input_value() == "north"
    )  # the form keeps its values
    table = page.get_by_role("table", name="Utilisation by week, for each clinician, room and pen")
    assert "15.6%" in table.inner_text()
    look(page, "reports utilisation")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as a spreadsheet (CSV)").click()
    assert download.value.suggested_filename == "utilisation-north-20260105-20260118.csv"
    assert "17.5%" in Path(download.value.path()).read_text(encoding="utf-8")

    page.get_by_role("link", name="All reports").click()
    page.get_by_role("link", name="No-shows and late cancellations").click()
    page.get_by_role("heading", name="No-shows and late cancellations").wait_for()
    assert "14.3% (1 of 7)" in page.locator("main").inner_text()
    look(page, "reports attendance")
    for title, name in (
        ("Course completion", "courses"),
        ("From online screening to first session", "funnel"),
        ("Grade change and adverse events", "grades"),
    ):
        page.get_by_role("link", name="All reports").click()
        page.get_by_role("link", name=title).click()
        page.get_by_role("heading", name=title, level=1).wait_for()
        look(page, f"reports {name}")
