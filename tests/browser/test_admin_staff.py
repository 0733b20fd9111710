"""The clinic admin's staff pages, walked in the browser: invite a staff member (who follows
the e-mailed link in their own browser, chooses a password, signs in and sets up TOTP), reset
another's second factor after re-entering the admin's password, deactivate someone, and
find those actions in words on the audit trail. Every page is looked at (axe-core, both sizes).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in_as
from tests.browser.looking import look
from tests.browser.walk_helpers import fresh_totp_code, reset_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "a tall hedge of lavender 77"


def _invitee_accepts(browser, live_server, link_path: str) -> None:
    """The new staff member, in a browser of their own: the link, a password, the first
    sign-in, and the authenticator app the staff pages insist on."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        page.goto(live_server.url + link_path)
        page.wait_for_url(re.compile(r"/accounts/password/reset/key/.+-set-password/"))
        expect(page.get_by_label("New Password:", exact=True)).to_be_visible()
        look(page, "team invitee chooses a password")
        page.get_by_label("New Password:", exact=True).fill(NEW_PASSWORD)
        page.get_by_label("New Password (again):", exact=True).fill(NEW_PASSWORD)
        page.get_by_role("button", name="Change Password").click()
        page.wait_for_url(re.compile(r"/accounts/password/reset/key/done/"))
        look(page, "team invitee password chosen")

        page.goto(live_server.url + "/staff/")
        page.wait_for_url(re.compile(r"/accounts/login/"))
        page.get_by_label(re.compile("Username|Login", re.I)).fill("nora@example.com")
        page.get_by_label("Password").fill(NEW_PASSWORD)
        page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
        page.wait_for_url(re.compile(r"/accounts/reauthenticate/"))
        page.get_by_label("Password").fill(NEW_PASSWORD)
        page.get_by_role("button", name="Confirm").click()
        page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/"))
        look(page, "team invitee sets up the authenticator app")
        secret = page.locator("#authenticator_secret").input_value()
        page.get_by_label(re.compile("Authenticator code|Code", re.I)).fill(fresh_totp_code(secret))
        page.get_by_role("button", name=re.compile("Activate", re.I)).click()
        page.wait_for_url(re.compile(r"/accounts/2fa/(recovery-codes/)?$"))
        look(page, "team invitee keeps recovery codes")
        page.goto(live_server.url + "/staff/")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert page.url.endswith("/staff/")
        look(page, "team invitee start page")
    finally:
        context.close()


def test_the_clinic_admin_invites_resets_a_second_factor_deactivates_and_reads_the_audit(
    live_server, page, browser, clinic_admin, aesthetician, front_desk
):
    from allauth.mfa.models import Authenticator
    from django.core import mail

    from needlepoint.accounts.models import User
    from tests.conftest import enrol_totp

    enrol_totp(aesthetician.user)
    sign_in_as(page, live_server, clinic_admin.user)
    base = live_server.url

    # The staff list, from the nav.
    page.goto(base + "/staff/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    look(page, "team admin start page")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Staff").click()
    expect(page.get_by_role("heading", name="Staff", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="Front desk")).to_be_visible()
    look(page, "team staff list")

    # Invite: an address already in use is refused beside the field, then a new one works.
    page.get_by_role("link", name="Invite a staff member").click()
    expect(page.get_by_role("heading", name="Invite a staff member")).to_be_visible()
    page.get_by_label("Full name").fill("Nora Vance")
    page.get_by_label("E-mail address").fill("fran@example.com")
    page.get_by_label("Role").select_option(label="Physician (medical director)")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("already belongs to an account")).to_be_visible()
    expect(page.get_by_label("Full name")).to_have_value("Nora Vance")
    look(page, "team invite refused")
    page.get_by_label("E-mail address").fill("nora@example.com")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("Invitation sent to Nora Vance")).to_be_visible()
    expect(page.get_by_text("Invited (no password chosen yet)")).to_be_visible()
    look(page, "team invitation sent")

    [invitation] = mail.outbox
    assert invitation.to == ["nora@example.com"]
    link_path = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", invitation.body)
    assert link_path is not None
    _invitee_accepts(browser, live_server, link_path.group(1))
    nora = User.objects.get(email="nora@example.com")
    assert nora.has_usable_password() and nora.role == "physician"

    # Reset the aesthetician's second factor: the admin's password first.
    page.goto(base + "/staff/team/")
    page.get_by_role("link", name="Aria").click()
    expect(page.get_by_role("heading", name="Aria")).to_be_visible()
    look(page, "team staff member")
    reset_second_factor(page, "Aria", "team reset second factor")
    assert not Authenticator.objects.filter(user=aesthetician.user).exists()
    assert mail.outbox[-1].to == ["aria@example.com"]

    # Make the aesthetician a physician: asked once, saying what changes.
    page.get_by_label("Role").select_option(label="Physician (medical director)")
    page.get_by_role("button", name="Change role").click()
    confirm = page.get_by_role("button", name=re.compile(r"^Make Aria "))
    expect(confirm).to_be_visible()
    look(page, "team role change confirmation")
    confirm.click()
    expect(page.get_by_text("Aria is now")).to_be_visible()
    assert User.objects.get(pk=aesthetician.user.pk).role == "physician"

    # Deactivate the front desk.
    page.goto(base + "/staff/team/")
    page.get_by_role("link", name="Fran").click()
    expect(page.get_by_role("heading", name="Fran")).to_be_visible()
    look(page, "team staff member before deactivation")
    page.get_by_role("link", name="Deactivate Fran").click()
    # Asks once (decision 0504): a page that says what happens, then the "Yes".
    expect(page.get_by_role("heading", name="Deactivate Fran?")).to_be_visible()
    look(page, "team deactivation asks once")
    assert User.objects.get(pk=front_desk.user.pk).is_active
    page.get_by_role("button", name="Yes, deactivate Fran").click()
    expect(page.get_by_text("Fran is deactivated")).to_be_visible()
    expect(page.get_by_role("button", name="Reactivate Fran")).to_be_visible()
    look(page, "team staff member deactivated")
    assert not User.objects.get(pk=front_desk.user.pk).is_active

    # The audit trail names what happened.
    main_nav = page.get_by_role("navigation", name="Main")
    main_nav.locator("summary", has_text="More").click()  # Audit sits under "More"
    main_nav.get_by_role("link", name="Audit").click()
    expect(page.get_by_role("heading", name="Audit trail")).to_be_visible()
    for words in (
        "Invited a staff member",
        "Reset a staff member's second factor",
        "Deactivated a staff member",
    ):
        expect(page.get_by_role("cell", name=words, exact=True).first).to_be_visible()
    look(page, "team audit trail")
