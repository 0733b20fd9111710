"""The Django admin is for superusers only; the clinic admin works in Needlepoint's pages."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_a_clinic_admin_with_is_staff_gets_the_403_page_not_the_admin(clinic_admin, staff_client):
    clinic_admin.user.is_staff = True  # as accounts.services.user_create sets it
    clinic_admin.user.save()
    response = staff_client(clinic_admin).get("/admin/", follow=True)
    assert response.status_code == 403
    assert b"Needlepoint clinic setup" not in response.content
    assert len(response.redirect_chain) <= 1


def test_a_clinic_admin_cannot_post_to_an_admin_page(clinic_admin, staff_client):
    clinic_admin.user.is_staff = True
    clinic_admin.user.save()
    response = staff_client(clinic_admin).post("/admin/clinic/location/add/", {"name": "X"})
    assert response.status_code in (302, 403)
    from needlepoint.clinic.models import Location

    assert not Location.objects.filter(name="X").exists()


def test_a_superuser_opens_the_admin(clinic_admin, staff_client):
    clinic_admin.user.is_staff = clinic_admin.user.is_superuser = True
    clinic_admin.user.save()
    response = staff_client(clinic_admin).get("/admin/")
    assert response.status_code == 200
    assert b"Needlepoint clinic setup" in response.content


def test_the_nav_offers_staff_not_the_django_admin_to_the_clinic_admin(clinic_admin, staff_client):
    page = staff_client(clinic_admin).get("/staff/").content.decode()
    assert 'href="/staff/team/"' in page
    assert 'href="/admin/"' not in page


def test_a_superuser_without_a_staff_role_enrols_totp_before_the_admin_opens(db, client):
    from needlepoint.accounts.models import User
    from tests.conftest import enrol_totp

    operator = User.objects.create_superuser("operator", "op@example.com", "a long passphrase 42")
    assert operator.role == "patient"  # createsuperuser's default role
    client.force_login(operator)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate/")
    enrol_totp(operator)
    assert client.get("/admin/").status_code == 200
