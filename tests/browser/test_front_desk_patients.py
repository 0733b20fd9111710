"""The front desk registers a caller (the duplicate warning, then "create anyway" with a
reason), finds patients by phone and by date of birth and opens the hub; the clinic admin
merges the two records of one person."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in_as
from tests.browser.looking import look
from tests.browser.walk_helpers import fill_registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_front_desk_register_find_and_open_then_the_admin_merges(live_server, page, make_persona):
    from django.utils import timezone

    from needlepoint.demo.clinic import ensure_location, ensure_services
    from needlepoint.patients.models import Patient
    from needlepoint.screening.models import Screening
    from tests.query_budgets import builders

    ensure_location()
    ensure_services()
    fran = make_persona("fran", "front_desk")
    aria = make_persona("aria", "aesthetician")
    ada = make_persona("ada", "clinic_admin")
    jane = Patient.objects.create(
        given_name="Jane",
        family_name="Doe",
        date_of_birth=date(1985, 3, 14),
        phone="(555) 010-1234",
        email="jane@example.com",
    )
    # Jane's history: a plan with a session done, a screening with an allergy and a
    # precaution, and a consultation booked for next week.
    builders.plan(jane, aria.user, done=1)
    Screening.objects.create(
        patient=jane,
        channel="phone",
        answers={"metal_allergy": "yes"},
        judged_for=timezone.localdate(),
        policy_version="test",
        verdict="needs_review",
        result={"precautions": [{"code": "p", "message": "Test-patch the numbing cream first."}]},
    )
    soon = timezone.now().replace(hour=15, minute=0, second=0, microsecond=0)
    builders.appointment(0, patient=jane, staff=aria.user, start=soon + timedelta(days=7))
    base = live_server.url
    sign_in_as(page, live_server, fran.user)

    # Register a caller who turns out to share a name and birthday with Jane.
    page.goto(f"{base}/staff/patients/")
    expect(page.get_by_role("heading", name="Patients", exact=True)).to_be_visible()
    look(page, "patients search")
    page.get_by_role("link", name="Register a new patient").first.click()
    expect(page.get_by_role("heading", name="Register a new patient")).to_be_visible()
    fill_registration(page, "Jane", "Doe", "3/14/1985", "555 020 7777")
    look(page, "register a patient")
    page.get_by_role("button", name="Register").click()
    expect(
        page.get_by_role("heading", name="This may be someone already registered")
    ).to_be_visible()
    expect(page.get_by_text("This may be the same person as Jane Doe")).to_be_visible()
    expect(page.get_by_role("link", name="Open Jane Doe's record")).to_be_visible()
    look(page, "register a patient duplicate warning")
    page.get_by_role("button", name="Create anyway").click()
    expect(page.get_by_text("say why this is a different person")).to_be_visible()
    page.get_by_label("Why is this a different person?").fill("Same name, but her own phone")
    page.get_by_role("button", name="Create anyway").click()
    page.wait_for_url(re.compile(r"/staff/patients/\d+/$"))
    expect(page.get_by_role("heading", name="Jane Doe", level=1)).to_be_visible()
    created = Patient.objects.exclude(pk=jane.pk).get()
    assert page.url.endswith(f"/staff/patients/{created.pk}/")
    look(page, "patient hub front desk")

    # Find by phone (punctuation ignored) and by date of birth (written out).
    page.goto(f"{base}/staff/patients/")
    page.get_by_label("Name, phone or date of birth").fill("555-010-1234")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("1 patient matching")).to_be_visible()
    look(page, "patients found by phone")
    page.get_by_label("Name, phone or date of birth").fill("14 March 1985")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("2 patients matching")).to_be_visible()
    look(page, "patients found by date of birth")
    page.get_by_role("link", name="Doe, Jane").first.click()
    page.wait_for_url(re.compile(r"/staff/patients/\d+/$"))
    expect(page.get_by_role("heading", name="Contact")).to_be_visible()

    # The clinic admin merges the second record into Jane's first.
    page.context.clear_cookies()
    sign_in_as(page, live_server, ada.user)
    page.goto(f"{base}/staff/patients/{jane.pk}/")
    expect(page.get_by_role("heading", name="Who opened this record")).to_be_visible()
    expect(page.get_by_text("Allergy to metals")).to_be_visible()
    expect(page.get_by_text("Test-patch the numbing cream first.")).to_be_visible()
    look(page, "patient hub clinic admin")
    page.get_by_role("link", name="Merge a duplicate record into this one").click()
    expect(page.get_by_role("heading", name=re.compile("Merge a duplicate into"))).to_be_visible()
    look(page, "merge choose the duplicate")
    page.get_by_role("link", name=re.compile("Compare with Jane Doe")).click()
    expect(page.get_by_role("heading", name="Merge two records of one person")).to_be_visible()
    expect(page.get_by_role("heading", name="Keep this record")).to_be_visible()
    look(page, "merge preview")
    page.get_by_role("button", name=re.compile("Merge into Jane Doe")).click()
    page.wait_for_url(re.compile(rf"/staff/patients/{jane.pk}/$"))
    expect(page.get_by_text("The two records are merged")).to_be_visible()
    look(page, "patient hub after merge")
    created.refresh_from_db()
    assert created.merged_into_id == jane.pk

    # The duplicate's old address opens the kept record.
    page.goto(f"{base}/staff/patients/{created.pk}/")
    page.wait_for_url(re.compile(rf"/staff/patients/{jane.pk}/$"))
