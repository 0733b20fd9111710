"""A clinic admin starts a new screening policy version from the shipped file, makes a YAML
mistake and sees its line with the text kept, fixes it, and puts the version in force."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in_as
from tests.browser.looking import look

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_clinic_admin_puts_a_new_screening_policy_in_force(live_server, page, make_persona):
    from needlepoint.screening import clinic_data
    from needlepoint.screening.models import DataOverride

    ada = make_persona("ada", "clinic_admin")
    ada.user.last_name = "Lovelace"
    ada.user.save()
    base = live_server.url
    sign_in_as(page, live_server, ada.user)

    page.goto(f"{base}/staff/setup/policy/")
    expect(page.get_by_role("heading", name="Screening policy and protocol table")).to_be_visible()
    policy = page.get_by_role("region", name="Screening policy")
    expect(
        policy.get_by_text("In force: version 2026.11-default (the shipped file)")
    ).to_be_visible()
    look(page, "policy setup home")
    policy.get_by_role(
        "link", name=re.compile(r"^Start a new version from the one in force")
    ).click()

    page.wait_for_url(re.compile(r"/staff/setup/policy/screening-policy/new/\?from=shipped$"))
    expect(page.get_by_role("heading", name="New screening policy version")).to_be_visible()
    box = page.get_by_label("The whole screening policy file (YAML)")
    shipped = box.input_value()
    assert 'version: "2026.11-default"' in shipped
    look(page, "policy new version")

    # A new version name, the isotretinoin wait raised, and a mistake in a verdict.
    edited = shipped.replace('version: "2026.11-default"', 'version: "clinic-12m"').replace(
        "within: {months: 6}}", "within: {months: 12}}", 1
    )
    mistaken = edited.replace("verdict: not_eligible", "verdict: maybe", 1)
    line = mistaken[: mistaken.index("verdict: maybe")].count("\n") + 1
    box.fill(mistaken)
    page.get_by_role("button", name="Save this version").click()
    error = page.get_by_role("alert")
    expect(error).to_contain_text(f"Not saved. Line {line}: ")
    assert "verdict: maybe" in box.input_value()
    assert "months: 12" in box.input_value()
    expect(box).to_have_attribute("aria-invalid", "true")
    look(page, "policy new version with a mistake")
    assert DataOverride.objects.count() == 0

    box.fill(box.input_value().replace("verdict: maybe", "verdict: not_eligible", 1))
    page.get_by_role("button", name="Save this version").click()
    page.wait_for_url(re.compile(r"/staff/setup/policy/screening-policy/\d+/$"))
    expect(page.get_by_role("heading", name="Screening policy version clinic-12m")).to_be_visible()
    expect(page.get_by_text("is saved. It is not in force yet.")).to_be_visible()
    diff = page.get_by_role("table", name=re.compile("Line by line changes"))
    expect(diff.get_by_role("row", name=re.compile(r"^added .*months: 12")).first).to_be_visible()
    expect(diff.get_by_role("row", name=re.compile(r"^removed .*months: 6")).first).to_be_visible()
    look(page, "policy version and its changes")

    page.get_by_role("link", name="Put in force", exact=True).click()
    expect(
        page.get_by_role("heading", name="Put screening policy version clinic-12m in force?")
    ).to_be_visible()
    expect(
        page.get_by_text("Screenings from now on are judged by version clinic-12m")
    ).to_be_visible()
    look(page, "policy put in force confirmation")
    assert clinic_data.current_policy().version == "2026.11-default"
    page.get_by_role("button", name="Put version clinic-12m in force").click()

    page.wait_for_url(re.compile(r"/staff/setup/policy/$"))
    expect(page.get_by_text("Screening policy version clinic-12m is now in force.")).to_be_visible()
    policy = page.get_by_role("region", name="Screening policy")
    expect(
        policy.get_by_text(re.compile(r"In force: version clinic-12m, created by Ada Lovelace"))
    ).to_be_visible()
    look(page, "policy setup home after putting in force")
    assert clinic_data.current_policy().version == "clinic-12m"
