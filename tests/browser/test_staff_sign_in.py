"""A staff member signs in for the first time, is made to enrol TOTP, then sees patients."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple 9"


def sign_in(page, base: str, username: str) -> None:
    page.get_by_label(re.compile("Username|Login", re.I)).fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()


def test_first_sign_in_enrols_totp_before_any_patient_data(live_server, page, make_persona):
    from tests.conftest import totp_code

    make_persona("fran", "front_desk")
    make_persona("pat", "patient", with_patient=True)
    base = live_server.url

    page.goto(base + "/staff/patients/")
    assert "/accounts/login/" in page.url
    sign_in(page, base, "fran")

    # Not yet enrolled: the patient list is withheld and enrolment is asked for, after
    # confirming the password once more (allauth guards every change to the second factor).
    page.wait_for_url(re.compile(r"/accounts/reauthenticate/"))
    assert "Persona" not in page.content()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/"))
    assert "Persona" not in page.content()
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label(re.compile("Authenticator code|Code", re.I)).fill(totp_code(secret))
    page.get_by_role("button", name=re.compile("Activate", re.I)).click()
    # Only once the activation's answer has arrived (allauth then shows the recovery
    # codes): navigating away earlier would cancel the POST that activates the code.
    page.wait_for_url(re.compile(r"/accounts/2fa/(recovery-codes/)?$"))
    expect(
        page.get_by_role("heading", name=re.compile("Recovery Codes|Two-Factor", re.I))
    ).to_be_visible()

    page.goto(base + "/staff/patients/")
    expect(page.get_by_role("heading", name="Patients")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Persona, Pat"))).to_be_visible()
