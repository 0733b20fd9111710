"""A whole day for the clinic admin, through the pages only (the clinic and its people are
set up beforehand): sign in with the authenticator code, add a pen, change a staff member's
week, invite a new staff member, reset another's second factor (after re-entering the
password), and find each of those on the audit trail, in words. Every page visited is looked
at (axe-core and screenshots, desktop and tablet)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.looking import look
from tests.browser.walk_helpers import add_pen, reset_second_factor, seen, sign_in_for_the_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WHERE = "at Needlepoint Upper East Side, New York"


def test_a_whole_day_for_the_clinic_admin_through_the_pages(live_server, page, make_persona):
    from allauth.mfa.models import Authenticator
    from django.core import mail

    from needlepoint.accounts.models import User
    from needlepoint.clinic.models import Device, WorkingHours
    from needlepoint.demo.clinic import ensure_location, ensure_services, ensure_working_hours
    from tests.conftest import enrol_totp

    # The clinic and its people (set up, not walked).
    location = ensure_location()
    ensure_services()
    aria = make_persona("aria", "aesthetician")
    aria.user.last_name = "Lopez"
    aria.user.save()
    ensure_working_hours(location, [aria.user])
    fran = make_persona("fran", "front_desk")
    enrol_totp(fran.user)
    ada = make_persona("ada", "clinic_admin")
    secret = enrol_totp(ada.user)
    base = live_server.url
    main_nav = page.get_by_role("navigation", name="Main")

    # Morning: the sign-in form, then the authenticator code.
    sign_in_for_the_day(page, base, "ada", secret, "admin day:")

    # A new pen arrived: added on the setup pages, in service.
    main_nav.get_by_role("link", name="Clinic setup").click()
    seen(page, page.get_by_role("heading", level=1, name="Clinic setup"), "admin day: setup")
    page.get_by_role("link", name="Pens", exact=True).first.click()
    seen(page, page.get_by_role("heading", level=1, name="Pens"), "admin day: pens")
    add_pen(page, "micropen-9", "EMP-EVO-990009")
    seen(page, page.get_by_text("Pen micropen-9 added, in service."), "admin day: pen added")
    assert Device.objects.get(serial_number="EMP-EVO-990009").status == "in_service"

    # Aria starts late on Wednesdays from now on: her week in the grid.
    page.get_by_role("link", name="Working hours").first.click()
    hours = page.get_by_role("heading", level=1, name="Working hours")
    seen(page, hours, "admin day: working hours")
    page.get_by_role("link", name=re.compile("Change Aria Lopez's hours")).click()
    week = page.get_by_role("heading", level=1, name="Aria Lopez's working hours")
    seen(page, week, "admin day: Aria's week")
    page.get_by_label(f"Starts Wednesday {WHERE}").fill("11:00")
    page.get_by_label(f"Ends Wednesday {WHERE}").fill("19:00")
    page.get_by_role("button", name="Save working hours").click()
    expect(page.get_by_text("Aria Lopez's working hours saved.")).to_be_visible()
    seen(page, page.get_by_text("Wednesday 11:00 am to 7:00 pm"), "admin day: Aria's week saved")
    wednesday = WorkingHours.objects.get(staff=aria.user, weekday=2)
    assert (wednesday.start_time.hour, wednesday.end_time.hour) == (11, 19)

    # A new physician joins: invited from the staff pages; the e-mail goes out.
    main_nav.get_by_role("link", name="Staff").click()
    seen(page, page.get_by_role("heading", name="Staff", exact=True), "admin day: staff")
    page.get_by_role("link", name="Invite a staff member").click()
    expect(page.get_by_role("heading", name="Invite a staff member")).to_be_visible()
    page.get_by_label("Full name").fill("Nora Vance")
    page.get_by_label("E-mail address").fill("nora@example.com")
    page.get_by_label("Role").select_option(label="Physician (medical director)")
    look(page, "admin day: invite")
    page.get_by_role("button", name="Send the invitation").click()
    seen(page, page.get_by_text("Invitation sent to Nora Vance"), "admin day: invited")
    [invitation] = mail.outbox
    assert invitation.to == ["nora@example.com"]
    assert "/accounts/password/reset/key/" in invitation.body
    assert User.objects.get(email="nora@example.com").role == "physician"

    # Fran lost her phone: her second factor is reset, after the admin's password again.
    main_nav.get_by_role("link", name="Staff").click()
    page.get_by_role("link", name="Fran").click()
    seen(page, page.get_by_role("heading", name="Fran"), "admin day: Fran")
    reset_second_factor(page, "Fran", "admin day: reset Fran's second factor")
    assert not Authenticator.objects.filter(user=fran.user).exists()

    # Evening: the audit trail lists each of the day's changes in words.
    main_nav.locator("summary", has_text="More").click()  # Audit sits under "More"
    main_nav.get_by_role("link", name="Audit").click()
    expect(page.get_by_role("heading", name="Audit trail")).to_be_visible()
    for done in (
        "Added a pen",
        "Changed a staff member's working hours",
        "Invited a staff member",
        "Reset a staff member's second factor",
    ):
        expect(page.get_by_role("cell", name=done, exact=True).first).to_be_visible()
    look(page, "admin day: audit trail")
