"""Booking for a caller works with JavaScript off: every step is a plain form."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in_as, weekday_ahead
from tests.conftest import BROWSER_TIMEOUT_MS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_booking_for_a_caller_works_without_javascript(live_server, browser, make_persona):
    from django.utils import timezone

    from needlepoint.demo.clinic import ensure_location, ensure_services, ensure_working_hours

    location = ensure_location()
    ensure_services()
    aria = make_persona("aria", "aesthetician")
    ensure_working_hours(location, [aria.user])
    fran = make_persona("fran", "front_desk")
    pat = make_persona("pat", "patient", with_patient=True)
    first_day = weekday_ahead(timezone.localdate(timezone=location.zone), 3)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(BROWSER_TIMEOUT_MS)
    sign_in_as(page, live_server, fran.user)
    page.goto(f"{live_server.url}/staff/calendar/book/?location=main&date={first_day}")
    page.get_by_label("Find the patient").fill("Persona")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/staff/calendar/book/\?.*q=Persona"))
    page.get_by_role("group", name="Patients found").get_by_role("radio").first.check()
    page.get_by_label("Service").select_option(label="Micro-needling consultation")
    page.get_by_role("button", name="Show free times").click()
    page.wait_for_url(re.compile(r"/staff/calendar/book/\?.*service="))
    page.get_by_role("group", name="Free times").get_by_role("radio").first.check()
    page.get_by_role("button", name="Book", exact=True).click()
    page.wait_for_url(f"**/staff/calendar/?location=main&date={first_day}")
    assert "Booked Micro-needling consultation for Pat Persona" in page.inner_text("main")
    assert pat.patient.appointments.count() == 1
    context.close()


def test_the_week_calendar_without_javascript_opens_as_a_list(live_server, browser, make_persona):
    """The week's grid page reads no appointments (the grid's feed does); a browser without
    JavaScript is sent on to the same week as a list, which shows the booking."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from needlepoint.clinic.models import Room, Service
    from needlepoint.demo.clinic import ensure_location, ensure_services, ensure_working_hours
    from needlepoint.scheduling.models import Appointment

    location = ensure_location()
    ensure_services()
    aria = make_persona("aria", "aesthetician")
    ensure_working_hours(location, [aria.user])
    fran = make_persona("fran", "front_desk")
    pat = make_persona("pat", "patient", with_patient=True)
    day = weekday_ahead(timezone.localdate(timezone=location.zone), 3)
    start = datetime.combine(day, time(10), location.zone)
    service = Service.objects.get(slug="consultation")
    Appointment.objects.create(
        patient=pat.patient,
        service=service,
        location=location,
        staff=aria.user,
        room=Room.objects.filter(location=location, kind="consultation").order_by("slug").first(),
        start=start,
        end=start + timedelta(minutes=service.duration_minutes),
        busy_until=start + timedelta(minutes=service.duration_minutes),
        booked_via="staff",
    )
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(BROWSER_TIMEOUT_MS)
    sign_in_as(page, live_server, fran.user)
    page.goto(f"{live_server.url}/staff/calendar/week/?location=main&date={day}")
    page.wait_for_url(re.compile(r"/staff/calendar/week/\?.*layout=list"))
    expect(page.get_by_role("heading", name="By staff member")).to_be_visible()
    expect(page.locator("#calendar-list")).to_contain_text("Pat Persona")
    context.close()
