"""The staff account services: invite, re-send, deactivate, reactivate, reset a second factor."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail

from needlepoint.accounts import services
from needlepoint.accounts.models import ApiToken, User
from needlepoint.audit.models import AuditEvent
from needlepoint.core.errors import Conflict, InvalidInput, NotFound
from tests.conftest import enrol_totp

pytestmark = pytest.mark.django_db


def _invite(admin, email="nora@example.com", role="aesthetician", name="Nora Vance"):
    return services.staff_invite(actor=admin, email=email, full_name=name, role=role)


def test_an_invitation_creates_a_login_without_a_password_and_mails_a_link(clinic_admin):
    user = _invite(clinic_admin.user)
    assert user.role == "aesthetician"
    assert (user.first_name, user.last_name) == ("Nora", "Vance")
    assert not user.has_usable_password()
    assert user.emailaddress_set.get().verified
    [message] = mail.outbox
    assert message.to == ["nora@example.com"]
    assert "/accounts/password/reset/key/" in message.body
    assert "Adah" in message.body and "aesthetician" in message.body
    event = AuditEvent.objects.get(action="staff.invite")
    assert event.actor_username == "adah" and event.object_id == str(user.pk)


def test_an_address_already_used_is_refused_naming_the_email_field(clinic_admin, front_desk):
    with pytest.raises(InvalidInput) as refused:
        _invite(clinic_admin.user, email="FRAN@example.com")
    assert [p.field for p in refused.value.problems] == ["email"]
    assert not mail.outbox


def test_bad_input_names_every_field(clinic_admin):
    with pytest.raises(InvalidInput) as refused:
        services.staff_invite(actor=clinic_admin.user, email="nope", full_name=" ", role="patient")
    assert {p.field for p in refused.value.problems} == {"email", "full_name", "role"}
    assert User.objects.filter(role="aesthetician").count() == 0


def test_the_invitation_link_sets_a_password_once(clinic_admin, client):
    user = _invite(clinic_admin.user)
    path = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
    page = client.get(path, follow=True)
    assert page.status_code == 200
    form_url = page.redirect_chain[-1][0]
    done = client.post(
        form_url, {"password1": "a long new passphrase 42", "password2": "a long new passphrase 42"}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a long new passphrase 42")
    again = client.get(path, follow=True)
    assert b"password1" not in again.content  # used once: the token no longer checks


def test_a_new_invitation_is_sent_while_no_password_is_chosen(clinic_admin, front_desk):
    user = _invite(clinic_admin.user)
    services.staff_invite_resend(actor=clinic_admin.user, user_id=user.pk)
    assert len(mail.outbox) == 2
    assert AuditEvent.objects.filter(action="staff.invite_resend").count() == 1
    with pytest.raises(Conflict, match="already chosen a password"):
        services.staff_invite_resend(actor=clinic_admin.user, user_id=front_desk.user.pk)


def test_deactivating_stops_sign_in_and_revokes_api_tokens(clinic_admin, front_desk, client):
    services.staff_deactivate(actor=clinic_admin.user, user_id=front_desk.user.pk)
    front_desk.user.refresh_from_db()
    assert not front_desk.user.is_active
    assert not ApiToken.objects.filter(user=front_desk.user, revoked_at=None).exists()
    assert AuditEvent.objects.filter(action="staff.deactivate").count() == 1
    assert AuditEvent.objects.filter(action="api_token.revoke").count() == 1
    signed_in = client.login(username="fran", password="correct horse battery staple 9")
    assert not signed_in
    services.staff_reactivate(actor=clinic_admin.user, user_id=front_desk.user.pk)
    front_desk.user.refresh_from_db()
    assert front_desk.user.is_active
    assert AuditEvent.objects.filter(action="staff.reactivate").count() == 1
    assert not ApiToken.objects.filter(user=front_desk.user, revoked_at=None).exists()


def test_an_open_session_ends_when_its_user_is_deactivated(clinic_admin, front_desk, staff_client):
    client = staff_client(front_desk)
    assert client.get("/staff/").status_code == 200
    services.staff_deactivate(actor=clinic_admin.user, user_id=front_desk.user.pk)
    assert client.get("/staff/").status_code == 302  # to the sign-in page


def test_an_admin_cannot_deactivate_themself_or_reset_their_own_factor(clinic_admin):
    enrol_totp(clinic_admin.user)
    with pytest.raises(Conflict, match="another clinic admin"):
        services.staff_deactivate(actor=clinic_admin.user, user_id=clinic_admin.user.pk)
    with pytest.raises(Conflict, match="Security"):
        services.staff_second_factor_reset(actor=clinic_admin.user, user_id=clinic_admin.user.pk)
    assert Authenticator.objects.filter(user=clinic_admin.user).exists()


def test_patients_are_not_staff_here(clinic_admin, patient):
    with pytest.raises(NotFound):
        services.staff_deactivate(actor=clinic_admin.user, user_id=patient.user.pk)


def test_a_second_factor_reset_removes_totp_and_recovery_codes_and_tells_them(
    clinic_admin, aesthetician
):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    enrol_totp(aesthetician.user)
    RecoveryCodes.activate(aesthetician.user)
    assert Authenticator.objects.filter(user=aesthetician.user).count() == 2
    services.staff_second_factor_reset(actor=clinic_admin.user, user_id=aesthetician.user.pk)
    assert not Authenticator.objects.filter(user=aesthetician.user).exists()
    [message] = mail.outbox
    assert message.to == ["aria@example.com"] and "second factor" in message.subject
    event = AuditEvent.objects.get(action="staff.second_factor_reset")
    assert event.object_id == str(aesthetician.user.pk)
    assert event.detail["removed"] == ["recovery_codes", "totp"]
    with pytest.raises(Conflict, match="no second factor"):
        services.staff_second_factor_reset(actor=clinic_admin.user, user_id=aesthetician.user.pk)


def test_after_a_reset_their_next_staff_page_asks_them_to_enrol_again(
    clinic_admin, aesthetician, staff_client
):
    client = staff_client(aesthetician)
    services.staff_second_factor_reset(actor=clinic_admin.user, user_id=aesthetician.user.pk)
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate")


def test_a_mail_server_that_refuses_is_reported_after_the_invite_is_saved(
    clinic_admin, settings, monkeypatch
):
    import smtplib

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr(services, "send_mail", refuse)
    with pytest.raises(Conflict, match="could not be sent") as refused:
        _invite(clinic_admin.user)
    assert User.objects.filter(pk=refused.value.extra["user_id"]).exists()


def test_the_invitation_link_expires(clinic_admin, client, settings):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    user = _invite(clinic_admin.user)
    path = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
    later = timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    with time_machine.travel(later):
        page = client.get(path, follow=True)
    assert b"password1" not in page.content
    user.refresh_from_db()
    assert not user.has_usable_password()
