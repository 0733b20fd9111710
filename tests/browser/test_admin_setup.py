"""The clinic admin sets the clinic up on Needlepoint's own pages: adds a pen, takes it out
of service, changes a staff member's week in the grid, closes the clinic for a day and
publishes a new consent text version. Every page visited is checked with axe-core."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in_as
from tests.browser.looking import look
from tests.browser.walk_helpers import add_pen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_clinic_admin_sets_up_the_clinic(live_server, page, make_persona):
    from needlepoint.charting.selectors import consent_library
    from needlepoint.clinic.clock import clinic_today
    from needlepoint.clinic.models import Closure, Device, WorkingHours
    from needlepoint.demo.clinic import (
        ensure_cartridges,
        ensure_location,
        ensure_services,
        ensure_working_hours,
    )

    location = ensure_location()
    ensure_services()
    ensure_cartridges(location, clinic_today(location))
    aria = make_persona("aria", "aesthetician")
    aria.user.last_name = "Lopez"
    aria.user.save()
    ensure_working_hours(location, [aria.user])
    adah = make_persona("adah", "clinic_admin")
    sign_in_as(page, live_server, adah.user)
    base = live_server.url

    # The nav's "Clinic setup" opens the setup home, each area with its count.
    page.goto(f"{base}/staff/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Clinic setup").click()
    expect(page.get_by_role("heading", level=1, name="Clinic setup")).to_be_visible()
    expect(page.get_by_text("2 pens in service")).to_be_visible()
    look(page, "setup home")

    # Add a pen; it is in service.
    page.get_by_role("link", name="Pens", exact=True).first.click()
    expect(page.get_by_role("heading", level=1, name="Pens")).to_be_visible()
    look(page, "setup pens")
    add_pen(page, "micropen-3", "EMP-EVO-777001")
    expect(page.get_by_text("Pen micropen-3 added, in service.")).to_be_visible()
    pen = Device.objects.get(serial_number="EMP-EVO-777001")
    assert pen.status == Device.Status.IN_SERVICE

    # A second pen with the same serial number is refused beside the field.
    add_pen(page, "micropen-4", "EMP-EVO-777001")
    expect(page.get_by_text("a pen with this serial number is already on record")).to_be_visible()
    expect(page.get_by_label("Label")).to_have_value("micropen-4")
    look(page, "setup pens refused")

    # Take the new pen out of service.
    page.get_by_label("Status of pen micropen-3").select_option(label="Maintenance")
    page.get_by_role("button", name="Save status of pen micropen-3").click()
    expect(page.get_by_text("Pen micropen-3: maintenance.")).to_be_visible()
    pen.refresh_from_db()
    assert pen.status == Device.Status.MAINTENANCE

    # Change Aria's week: Monday 8 to 12:30, Tuesday off, Saturday 10 to 2.
    page.get_by_role("link", name="Working hours").first.click()
    expect(page.get_by_role("heading", level=1, name="Working hours")).to_be_visible()
    look(page, "setup working hours")
    page.get_by_role("link", name=re.compile("Change Aria Lopez's hours")).click()
    expect(page.get_by_role("heading", level=1, name="Aria Lopez's working hours")).to_be_visible()
    look(page, "setup week grid")

    def grid(label):
        return page.get_by_label(f"{label} at Needlepoint Upper East Side, New York")

    grid("Starts Monday").fill("08:00")
    grid("Ends Monday").fill("12:30")
    grid("Starts Tuesday").fill("")
    grid("Ends Tuesday").fill("")
    grid("Starts Saturday").fill("10:00")
    grid("Ends Saturday").fill("14:00")
    page.get_by_role("button", name="Save working hours").click()
    expect(page.get_by_text("Aria Lopez's working hours saved.")).to_be_visible()
    expect(page.get_by_text("Monday 8:00 am to 12:30 pm")).to_be_visible()
    weekdays = set(WorkingHours.objects.filter(staff=aria.user).values_list("weekday", flat=True))
    assert 0 in weekdays and 1 not in weekdays and 5 in weekdays

    # Close the clinic for a day.
    closed = clinic_today(location) + timedelta(days=14)
    page.get_by_role("link", name="Closures and time off").first.click()
    expect(page.get_by_role("heading", level=1, name="Closures and time off")).to_be_visible()
    look(page, "setup closures")
    closure_form = page.locator("form", has=page.get_by_role("button", name="Add closure"))
    closure_form.get_by_label("Date").fill(closed.isoformat())
    closure_form.get_by_label("Reason").fill("Staff training")
    closure_form.get_by_role("button", name="Add closure").click()
    expect(page.get_by_role("cell", name="Staff training")).to_be_visible()
    assert Closure.objects.filter(location=location, date=closed).exists()

    # Publish a new consent text version; the old one stays in the history as signed.
    before = consent_library().current_version
    page.get_by_role("link", name="Consent texts").first.click()
    expect(page.get_by_role("heading", level=1, name="Consent texts")).to_be_visible()
    look(page, "setup consent texts")
    page.get_by_role("link", name="Publish a new version").click()
    expect(page.get_by_role("heading", level=1, name="Publish a new consent text")).to_be_visible()
    look(page, "setup consent publish")
    page.get_by_label("Version:", exact=True).fill("2026.12")
    page.get_by_label("What changed").fill("Aftercare: call the clinic with any question")
    aftercare = page.get_by_label("Aftercare duties: text")
    aftercare.fill(aftercare.input_value() + " Call the clinic with any question.")
    page.get_by_role("button", name="Publish new version").click()
    expect(page.get_by_text("Version 2026.12 published")).to_be_visible()
    expect(page.get_by_role("link", name="Version 2026.12")).to_be_visible()
    expect(page.get_by_role("link", name=f"Version {before}")).to_be_visible()
    assert consent_library().current_version == "2026.12"
    look(page, "setup consent history")

    # The other setup lists, looked at once each.
    for name, heading in [
        ("Locations", "Locations"),
        ("Rooms", "Rooms"),
        ("Cartridges", "Cartridge products"),
        ("Services", "Services"),
    ]:
        page.get_by_role("navigation", name="Clinic setup").get_by_role("link", name=name).click()
        expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
        look(page, f"setup {name}")
    page.get_by_role("link", name="Add a service").click()
    expect(page.get_by_role("heading", level=1, name="New service")).to_be_visible()
    look(page, "setup new service")
