"""Error pages look like the site and offer a way back; /admin/ never loops between two
sign-in pages for someone signed in without clinic-setup rights."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory

from needlepoint.site.views import api_aware_500

pytestmark = pytest.mark.django_db

STYLESHEET = b'<link rel="stylesheet" href="/static/site/needlepoint.css">'


def looks_like_the_site_with_a_way_back(content: bytes) -> None:
    assert STYLESHEET in content
    assert b'class="site-header"' in content
    assert b'<a class="button" href="/">' in content


def test_the_403_page_is_styled_and_leads_back_to_the_start_page(patient, staff_client):
    response = staff_client(patient, with_totp=False).get("/staff/patients/")
    assert response.status_code == 403
    looks_like_the_site_with_a_way_back(response.content)
    assert b"Back to your start page" in response.content


def test_the_404_page_is_styled_and_leads_back(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    looks_like_the_site_with_a_way_back(response.content)


def test_the_500_page_is_styled_and_leads_back_without_touching_the_database():
    # A 500 may come from the database itself: the page renders without it.
    from django.db import connection

    with connection.execute_wrapper(_refuse_queries):
        response = api_aware_500(RequestFactory().get("/staff/"))
    assert response.status_code == 500
    looks_like_the_site_with_a_way_back(response.content)
    assert b"Something went wrong" in response.content


def _refuse_queries(*args, **kwargs):
    raise AssertionError("the 500 page queried the database")


def test_an_expired_form_is_a_styled_403_that_says_what_to_do(patient):
    client = Client(enforce_csrf_checks=True)
    client.force_login(patient.user)
    response = client.post("/accounts/logout/")
    assert response.status_code == 403
    looks_like_the_site_with_a_way_back(response.content)
    assert b"reload" in response.content


@pytest.mark.parametrize("who", ["patient", "front_desk", "aesthetician", "physician"])
def test_admin_for_someone_signed_in_without_setup_rights_is_a_403_not_a_loop(
    who, request, staff_client
):
    persona = request.getfixturevalue(who)
    client = staff_client(persona, with_totp=who != "patient")
    response = client.get("/admin/", follow=True)  # the test client raises on a loop
    assert response.status_code == 403
    assert b"Back to your start page" in response.content
    assert len(response.redirect_chain) <= 1


def test_a_superuser_opens_the_django_admin(clinic_admin, staff_client):
    # The Django admin is for superusers only (decision 0430); a clinic admin gets the 403
    # page, without a loop (tests/team/test_django_admin.py).
    clinic_admin.user.is_staff = clinic_admin.user.is_superuser = True
    clinic_admin.user.save()
    response = staff_client(clinic_admin).get("/admin/", follow=True)
    assert response.status_code == 200
    assert b"Needlepoint clinic setup" in response.content


def test_the_clinic_admin_gets_the_403_page_from_the_django_admin_not_a_loop(
    clinic_admin, staff_client
):
    clinic_admin.user.is_staff = True  # as accounts.services.user_create sets it
    clinic_admin.user.save()
    response = staff_client(clinic_admin).get("/admin/", follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) <= 1


def test_admin_for_someone_signed_out_goes_to_the_one_sign_in_page(client):
    response = client.get("/admin/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")


def test_the_500_page_names_the_clinic_by_its_profile_once_known(settings):
    from django.core.cache import cache

    from needlepoint.clinic.public_face import CACHE_KEY, PublicFace

    settings.NEEDLEPOINT_CLINIC_NAME = "Deployment name"
    response = api_aware_500(RequestFactory().get("/staff/"))
    assert b"Deployment name" in response.content
    cache.set(CACHE_KEY, PublicFace(name="Lumen Skin Studio", picture="", picture_alt=""))
    response = api_aware_500(RequestFactory().get("/staff/"))
    assert b"Lumen Skin Studio" in response.content
