"""A practice group's patient books online in a real browser: chooses the location first
(each one's address, opening hours and map shown), then a time there in its own time zone,
and sees the confirmation at that location (decision 0712). Screenshots at both sizes."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import weekday_ahead
from tests.browser.looking import look

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _group(make_persona):
    from django.utils import timezone

    from needlepoint.demo.clinic import ensure_location, ensure_services, ensure_working_hours
    from tests.locations import add_chicago

    aria = make_persona("aria", "aesthetician")
    main = ensure_location()
    ensure_services()
    ensure_working_hours(main, [aria.user])
    chicago = add_chicago(
        [make_persona("cleo", "aesthetician").user],
        opening_hours="Monday to Friday, 8 am to 6 pm",
    )
    return chicago, weekday_ahead(timezone.localdate(timezone=chicago.zone), days=4)


def test_the_patient_chooses_chicago_and_books_a_time_there(live_server, page, make_persona):
    from needlepoint.scheduling.models import Appointment

    chicago, day = _group(make_persona)
    page.goto(live_server.url + "/book/consultation/")
    expect(page.get_by_role("heading", name="Book a consultation")).to_be_visible()
    expect(page.get_by_role("heading", name="Needlepoint Chicago")).to_be_visible()
    expect(page.get_by_text("Monday to Friday, 8 am to 6 pm")).to_be_visible()
    expect(
        page.get_by_role("link", name=re.compile("See Needlepoint Chicago on a map"))
    ).to_be_visible()
    look(page, "booking location picker")

    page.get_by_role("link", name="Book at Needlepoint Chicago").click()
    page.wait_for_url(re.compile(r"\?location=chicago$"))
    expect(page.get_by_text("Times are local to Needlepoint Chicago.")).to_be_visible()
    expect(page.get_by_text("200 West Loop Street, Floor 3")).to_be_visible()
    page.get_by_label("First name").fill("Grace")
    page.get_by_label(re.compile("^Email")).fill("grace@example.com")
    page.get_by_role("button", name=day.strftime("%a %-d %b")).click()
    expect(page.get_by_role("heading", name=day.strftime("%A %-d %B %Y"))).to_be_visible()
    expect(page.get_by_label("First name")).to_have_value("Grace")
    look(page, "booking at chicago")
    page.get_by_label("10:00").check()
    page.get_by_label("Last name").fill("Hopper")
    page.get_by_label("Date of birth").fill("1986-12-09")
    page.get_by_label("Mobile phone").fill("+1 555 0142")
    page.get_by_role("button", name="Book my consultation", exact=True).last.click()

    page.wait_for_url(re.compile(r"/book/manage/.+/booked/"))
    expect(page.get_by_role("heading", name="You're booked")).to_be_visible()
    expect(page.get_by_text("local time at Needlepoint Chicago")).to_be_visible()
    look(page, "booked at chicago")
    appointment = Appointment.objects.select_related("location").get()
    assert appointment.location.slug == "chicago"
    assert appointment.start.astimezone(chicago.zone).hour == 10


def test_the_admin_sets_what_chicago_offers_and_its_hours(live_server, page, make_persona):
    from needlepoint.clinic.models import ServiceOffering
    from tests.browser.conftest import sign_in_as

    _group(make_persona)
    admin = make_persona("adah", "clinic_admin")
    sign_in_as(page, live_server, admin.user)
    page.goto(live_server.url + "/staff/setup/locations/")
    expect(page.get_by_role("heading", name="Locations")).to_be_visible()
    page.get_by_role("link", name="Services at Needlepoint Chicago").click()
    expect(page.get_by_role("heading", name="Services at Needlepoint Chicago")).to_be_visible()
    page.get_by_label("Offered Micro-needling: body").uncheck()
    page.get_by_label("Micro-needling consultation: minutes here").fill("4")
    page.get_by_label("Micro-needling consultation: price here (USD)").fill("95")
    page.get_by_role("button", name="Save services at Needlepoint Chicago").click()
    expect(page.get_by_text("between 5 and 480 minutes")).to_be_visible()
    expect(page.get_by_label("Micro-needling consultation: price here (USD)")).to_have_value("95")
    look(page, "setup services at chicago refused")
    page.get_by_label("Micro-needling consultation: minutes here").fill("45")
    page.get_by_role("button", name="Save services at Needlepoint Chicago").click()
    expect(page.get_by_text("Services at Needlepoint Chicago saved.")).to_be_visible()
    look(page, "setup services at chicago")
    saved = ServiceOffering.objects.get(location__slug="chicago", service__slug="consultation")
    assert saved.duration_minutes == 45
