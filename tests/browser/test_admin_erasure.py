"""The patient asks from the portal to have their data erased; the clinic admin opens the
record, sees the request, reads what goes and what stays, erases once, and the record then
says so. Every page is looked at (axe-core, both sizes)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in_as
from tests.browser.looking import look

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_patient_asks_and_the_clinic_admin_erases(live_server, page, make_persona):
    from needlepoint.patients.models import Patient
    from tests.query_budgets import builders

    aria = make_persona("aria", "aesthetician")
    builders.clinic(aria.user)
    ada = make_persona("ada", "clinic_admin")
    june = make_persona("june", "patient", with_patient=True)
    record: Patient = june.patient
    record.given_name, record.family_name, record.date_of_birth = "June", "Marsh", date(1980, 6, 2)
    record.save()
    plan = builders.plan(record, aria.user, done=1)
    builders.chart(1, patient=record, operator=aria.user, plan=plan)
    builders.photo(3, patient=record)
    builders.photo(1, patient=record)
    base = live_server.url

    # The patient asks, from "My data".
    sign_in_as(page, live_server, june.user)
    page.goto(f"{base}/portal/export/")
    page.get_by_role("link", name="Ask the clinic to erase my data").click()
    expect(page.get_by_role("heading", name="Ask the clinic to erase my data")).to_be_visible()
    look(page, "portal ask to erase my data")
    page.get_by_role("button", name="Ask the clinic to erase my data").click()
    expect(page.get_by_text("Your request is sent")).to_be_visible()

    # The clinic admin sees the request on the record and erases.
    page.context.clear_cookies()
    sign_in_as(page, live_server, ada.user)
    page.goto(f"{base}/staff/patients/{record.pk}/")
    expect(page.get_by_text(re.compile("The patient asked on .* to be erased"))).to_be_visible()
    page.get_by_role("link", name="Erase personal data").click()
    expect(page.get_by_role("heading", name="Erase June Marsh's personal data")).to_be_visible()
    expect(page.get_by_role("heading", name="Removed now")).to_be_visible()
    expect(page.get_by_text("Photos without clinical purpose: 1")).to_be_visible()
    expect(page.get_by_text("Session charts: 1")).to_be_visible()
    look(page, "erase a patient's personal data")
    page.get_by_role("button", name="Erase June Marsh's personal data").click()
    page.wait_for_url(re.compile(rf"/staff/patients/{record.pk}/$"))
    expect(page.get_by_text(re.compile("Personal data erased on"))).to_be_visible()
    look(page, "patient hub after erasure")
    record.refresh_from_db()
    assert record.erased_at is not None and record.email == "" and record.user is None
