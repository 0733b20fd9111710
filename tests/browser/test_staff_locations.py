"""A group admin grants a staff member a location from their team page, in the browser:
the checkboxes name the locations in words, the saved grant reads in words, and a clerk at
one location then sees only that location's calendar. Every page is looked at."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in_as
from tests.browser.looking import look

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_group_admin_grants_a_clerk_one_location(live_server, page, make_persona, clinic_admin):
    from needlepoint.clinic.models import Location
    from needlepoint.demo.clinic import ensure_location

    main = ensure_location()
    Location.objects.create(slug="uptown", name="Uptown", time_zone="America/Chicago")
    clerk = make_persona("fran", "front_desk", locations=[main]).user
    sign_in_as(page, live_server, clinic_admin.user)

    page.goto(f"{live_server.url}/staff/team/{clerk.pk}/")
    expect(page.get_by_role("heading", name="Locations")).to_be_visible()
    look(page, "team member locations")
    page.get_by_label("Uptown").check()
    page.get_by_role("button", name="Save locations").click()
    expect(page.get_by_text(re.compile("now works at: .*Uptown"))).to_be_visible()
    look(page, "team member locations saved")

    page.goto(f"{live_server.url}/staff/team/invite/")
    expect(page.get_by_role("heading", name="Invite a staff member")).to_be_visible()
    expect(
        page.get_by_label("All locations (group), including locations added later")
    ).to_be_visible()
    look(page, "team invite with locations")
