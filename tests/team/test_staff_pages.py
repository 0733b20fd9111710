"""The team pages: who may open them, what they show, and how refusals read."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail

from needlepoint.accounts.models import User
from needlepoint.audit.models import AuditEvent
from tests.conftest import enrol_totp

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["front_desk", "aesthetician", "physician"])
def test_only_the_clinic_admin_opens_the_staff_pages(who, request, staff_client):
    client = staff_client(request.getfixturevalue(who))
    assert client.get("/staff/team/").status_code == 403
    assert client.get("/staff/team/invite/").status_code == 403


def test_the_list_shows_role_status_and_last_sign_in_in_words(
    clinic_admin, front_desk, aesthetician, patient, staff_client
):
    client = staff_client(clinic_admin)
    aesthetician.user.is_active = False
    aesthetician.user.save()
    page = client.get("/staff/team/").content.decode()
    assert "Fran" in page and "Front desk" in page and "Clinic admin" in page
    assert "Deactivated (cannot sign in)" in page
    assert "Never" in page
    assert "pat@example.com" not in page  # patients' logins are not staff
    assert "front_desk" not in page and "clinic_admin" not in page


def test_inviting_from_the_page_sends_the_mail_and_lists_them_as_invited(
    clinic_admin, staff_client
):
    client = staff_client(clinic_admin)
    response = client.post(
        "/staff/team/invite/",
        {"full_name": "Nora Vance", "email": "nora@example.com", "role": "physician"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Invitation sent to Nora Vance" in response.content.decode()
    assert "Invited (no password chosen yet)" in response.content.decode()
    assert mail.outbox[0].to == ["nora@example.com"]


def test_an_address_in_use_is_shown_beside_the_email_field_and_keeps_what_was_typed(
    clinic_admin, front_desk, staff_client
):
    client = staff_client(clinic_admin)
    response = client.post(
        "/staff/team/invite/",
        {"full_name": "Fran Again", "email": "fran@example.com", "role": "front_desk"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_email-error"' in page
    assert "already belongs to an account" in page
    assert 'value="Fran Again"' in page


def test_deactivating_yourself_is_refused_with_what_to_do(clinic_admin, staff_client):
    client = staff_client(clinic_admin)
    response = client.post(f"/staff/team/{clinic_admin.user.pk}/deactivate/")
    assert response.status_code == 409
    assert "Ask another clinic admin" in response.content.decode()
    clinic_admin.user.refresh_from_db()
    assert clinic_admin.user.is_active


def test_deactivate_and_reactivate_from_their_page(clinic_admin, front_desk, staff_client):
    client = staff_client(clinic_admin)
    asked = client.post(f"/staff/team/{front_desk.user.pk}/deactivate/")
    assert "Yes, deactivate" in asked.content.decode()
    assert User.objects.get(pk=front_desk.user.pk).is_active  # asking changed nothing
    response = client.post(
        f"/staff/team/{front_desk.user.pk}/deactivate/", {"confirmed": "yes"}, follow=True
    )
    assert "is deactivated" in response.content.decode()
    assert not User.objects.get(pk=front_desk.user.pk).is_active
    response = client.post(f"/staff/team/{front_desk.user.pk}/reactivate/", follow=True)
    assert "can sign in again" in response.content.decode()
    assert User.objects.get(pk=front_desk.user.pk).is_active


def test_a_second_factor_reset_asks_for_the_admins_password_first(
    clinic_admin, aesthetician, staff_client
):
    enrol_totp(aesthetician.user)
    client = staff_client(clinic_admin)
    url = f"/staff/team/{aesthetician.user.pk}/second-factor/"
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    wrong = client.post("/accounts/reauthenticate/", {"password": "not my password", "next": url})
    assert wrong.status_code == 200  # the form again, with its error
    back = client.post(
        "/accounts/reauthenticate/", {"password": "correct horse battery staple 9", "next": url}
    )
    assert back.status_code == 302 and back["Location"] == url
    assert b"Yes, reset the second factor" in client.get(url).content
    done = client.post(url, {"confirmed": "yes"}, follow=True)
    assert "second factor is reset" in done.content.decode()
    assert not Authenticator.objects.filter(user=aesthetician.user).exists()
    assert AuditEvent.objects.filter(action="staff.second_factor_reset").count() == 1


def test_a_reset_posted_without_reauthenticating_removes_nothing(
    clinic_admin, aesthetician, staff_client
):
    enrol_totp(aesthetician.user)
    response = staff_client(clinic_admin).post(f"/staff/team/{aesthetician.user.pk}/second-factor/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert Authenticator.objects.filter(user=aesthetician.user).exists()
    assert not AuditEvent.objects.filter(action="staff.second_factor_reset").exists()


def test_the_audit_page_names_staff_actions_in_words(clinic_admin, front_desk, staff_client):
    client = staff_client(clinic_admin)
    client.post(f"/staff/team/{front_desk.user.pk}/deactivate/", {"confirmed": "yes"})
    page = client.get("/staff/audit/").content.decode()
    assert "Deactivated a staff member" in page


def test_a_new_invitation_from_their_page(clinic_admin, staff_client):
    from needlepoint.accounts import services

    client = staff_client(clinic_admin)
    nora = services.staff_invite(
        actor=clinic_admin.user, email="nora@example.com", full_name="Nora Vance", role="physician"
    )
    page = client.get(f"/staff/team/{nora.pk}/").content.decode()
    assert "Send a new invitation" in page
    response = client.post(f"/staff/team/{nora.pk}/invitation/", follow=True)
    assert "A new invitation is on its way to nora@example.com" in response.content.decode()
    assert len(mail.outbox) == 2


def test_a_patients_login_has_no_staff_page(clinic_admin, patient, staff_client):
    client = staff_client(clinic_admin)
    assert client.get(f"/staff/team/{patient.user.pk}/").status_code == 404
    assert client.post(f"/staff/team/{patient.user.pk}/deactivate/").status_code == 404
    patient.user.refresh_from_db()
    assert patient.user.is_active


def test_the_staff_pages_refuse_get_on_actions(clinic_admin, front_desk, staff_client):
    client = staff_client(clinic_admin)
    # GET on deactivate is the question (decision 0504), never the act.
    asked = client.get(f"/staff/team/{front_desk.user.pk}/deactivate/")
    assert asked.status_code == 200 and "Deactivate" in asked.content.decode()
    assert User.objects.get(pk=front_desk.user.pk).is_active
