"""Accounts: TOTP for staff, idle timeouts, password rules, login rate limits."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from needlepoint.accounts.services import user_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["front_desk", "aesthetician", "physician", "clinic_admin"])
def test_staff_without_totp_are_sent_to_enrol_before_any_staff_page(
    role, make_persona, staff_client
):
    persona = make_persona(f"new_{role}", role)
    client = staff_client(persona, with_totp=False)
    response = client.get("/staff/patients/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate")
    # Enrolment itself first confirms the password (allauth guards the second factor).
    assert "/accounts/reauthenticate/" in client.get("/accounts/2fa/totp/activate/")["Location"]


def test_patients_do_not_need_totp_but_may_enable_it(patient, staff_client):
    client = staff_client(patient, with_totp=False)
    assert client.get("/portal/").status_code == 200
    assert client.get("/accounts/2fa/").status_code == 200


def test_staff_sessions_expire_after_15_idle_minutes(front_desk, staff_client):
    client = staff_client(front_desk)
    client.get("/staff/")
    assert client.session.get_expiry_age() == 15 * 60


def test_patient_sessions_expire_after_30_idle_minutes(patient, staff_client):
    client = staff_client(patient, with_totp=False)
    client.get("/portal/")
    assert client.session.get_expiry_age() == 30 * 60


@pytest.mark.parametrize("password", ["short-pw-1", "password1234", "123456789012345"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        user_create(username="weak", role="front_desk", password=password)


def test_a_long_uncommon_password_is_accepted():
    assert user_create(username="strong", role="front_desk", password="lantern-oboe-quilt-27").pk


def test_repeated_failed_logins_are_rate_limited(front_desk):
    client = Client()
    pages = [
        client.post("/accounts/login/", {"login": "fran", "password": f"wrong-{i}"}).content
        for i in range(7)
    ]
    assert b"Too many failed login attempts" not in pages[0]
    assert b"Too many failed login attempts" in pages[-1]
    # Even the right password is refused until the limit has passed.
    right = client.post(
        "/accounts/login/", {"login": "fran", "password": "correct horse battery staple 9"}
    )
    assert b"Too many failed login attempts" in right.content


def test_public_signup_is_closed():
    response = Client().get("/accounts/signup/")
    assert b"Sign Up Closed" in response.content or response.status_code in {403, 404}
