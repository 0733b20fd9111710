"""The clinic admin reads the audit trail in the browser: filters by a staff member chosen
from the list, then by a patient found by name, and opens a row's details. Every page is
looked at (axe-core, both sizes)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in_as
from tests.browser.looking import look

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_clinic_admin_filters_the_audit_by_person_and_patient_and_opens_details(
    live_server, page, clinic_admin, front_desk, aesthetician, patient, other_patient
):
    from needlepoint.audit.services import record, record_denied
    from needlepoint.demo.clinic import ensure_location

    ensure_location()
    front_desk.user.last_name = "Fairweather"
    front_desk.user.save()
    aesthetician.user.last_name = "Moreau"
    aesthetician.user.save()
    for who, owner in ((front_desk, patient), (aesthetician, other_patient)):
        record(
            actor=who.user,
            action="patient.read",
            object_type="patient",
            object_id=owner.patient.pk,
            patient_id=owner.patient.pk,
            detail={"via": "search"},
        )
    record_denied(
        actor=front_desk.user,
        action="chart.read",
        object_type="patient",
        patient_id=other_patient.patient.pk,
        reason="role",
    )
    record(
        actor=clinic_admin.user,
        action="staff.invite",
        object_type="user",
        detail={"role": "physician"},
    )

    sign_in_as(page, live_server, clinic_admin.user)
    page.goto(live_server.url + "/staff/")
    main_nav = page.get_by_role("navigation", name="Main")
    main_nav.locator("summary", has_text="More").click()  # Audit sits under "More"
    main_nav.get_by_role("link", name="Audit").click()
    expect(page.get_by_role("heading", name="Audit trail")).to_be_visible()
    expect(page.get_by_role("cell", name="Invited a staff member", exact=True)).to_be_visible()
    look(page, "audit trail")

    # A staff member, chosen by name from the list.
    page.get_by_label("Person").select_option(label="Fran Fairweather, Front desk")
    page.get_by_role("button", name="Show events").click()
    page.wait_for_url(re.compile(r"person=\d+"))
    expect(page.get_by_text("Showing 1–2 of 2 events")).to_be_visible()
    expect(page.get_by_role("cell", name="Refused: Opened a session chart")).to_be_visible()
    expect(page.get_by_role("cell", name="Invited a staff member")).to_have_count(0)
    look(page, "audit trail by a staff member")

    # A patient, found by typing the name; the person filter is kept.
    page.get_by_label("Patient name").fill("Otto")
    page.get_by_role("button", name="Show events").click()
    page.wait_for_url(re.compile(r"patient_name=Otto"))
    expect(page.get_by_text("Showing 1–1 of 1 event")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Otto Persona")
    expect(row.get_by_role("link", name="Otto Persona")).to_be_visible()

    # The details of that row, as lines in words.
    row.get_by_text("Details").click()
    details = row.locator("dl")
    expect(details).to_be_visible()
    expect(details).to_contain_text("Refused: their role does not allow it")
    expect(details).to_contain_text("Exact time")
    look(page, "audit trail row details")

    # Everyone again, and the choice between patients with the same family name.
    page.goto(live_server.url + "/staff/audit/?patient_name=Persona")
    expect(page.get_by_text("2 patients match")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^Pat Persona, born")).click()
    page.wait_for_url(re.compile(r"patient=\d+"))
    expect(page.get_by_text("Showing events about")).to_contain_text("Pat Persona")
    expect(page.get_by_text("Showing 1–1 of 1 event")).to_be_visible()
    look(page, "audit trail by a patient")
