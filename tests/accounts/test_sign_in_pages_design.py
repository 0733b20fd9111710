"""The sign-in and security pages (allauth) are drawn with the design system
(templates/allauth/elements/, docs/design-system.md): a label above every field, the field's
error next to it, a refusal that names no field above the fields, and the design system's
button classes."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_sign_in_form_labels_every_field_and_says_why_it_refused(front_desk):
    page = Client().get("/accounts/login/").content.decode()
    for name in ("login", "password"):
        assert re.search(rf'<label for="id_{name}">', page), name
    assert '<div class="field">' in page
    assert re.search(r'<button class="primary"[^>]*type="submit"', page)
    refused = Client().post("/accounts/login/", {"login": "fran", "password": "wrong"})
    text = refused.content.decode()
    assert '<div class="error-summary" role="alert">' in text
    assert "not correct" in text
    assert 'value="fran"' in text  # what was typed stays


def test_a_missing_field_is_named_next_to_the_field():
    text = Client().post("/accounts/login/", {"login": "", "password": ""}).content.decode()
    field = text.split('for="id_login"', 1)[1].split("</div>", 1)[0]
    assert 'class="field-error" role="alert"' in field


def test_the_password_reset_page_uses_the_same_layout():
    page = Client().get("/accounts/password/reset/").content.decode()
    assert '<label for="id_email">' in page and '<div class="field">' in page
    assert 'class="form-actions"' in page


def test_the_security_page_draws_settings_as_cards(patient):
    client = Client()
    client.force_login(patient.user)
    page = client.get("/accounts/2fa/").content.decode()
    assert '<section class="card">' in page
    assert 'class="button secondary"' in page  # "Activate" opens a page: a link, secondary
