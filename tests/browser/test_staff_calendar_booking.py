"""The front desk signs in (password, then the TOTP code), books a consultation for a caller
from the staff calendar (find the patient, service and date, free times, book), sees it on
the day view, then moves it to a free time on another day from the appointment page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import show_free_times, weekday_ahead
from tests.browser.walk_helpers import booking_day, sign_in_with_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_front_desk_books_a_caller_and_moves_the_appointment(live_server, page, make_persona):
    from django.utils import timezone

    from needlepoint.scheduling.models import Appointment
    from tests.conftest import enrol_totp

    location, aria, _phil, fran, pat = booking_day(make_persona)
    secret = enrol_totp(fran.user)
    today = timezone.localdate(timezone=location.zone)
    first_day = weekday_ahead(today, 3)
    second_day = weekday_ahead(first_day, 1)
    base = live_server.url

    # Signing in goes through the password and the authenticator code, then to the calendar.
    page.goto(base + "/staff/calendar/")
    assert "/accounts/login/" in page.url
    sign_in_with_totp(page, "fran", secret)
    page.wait_for_url(re.compile(r"/staff/calendar/$"))
    expect(
        page.get_by_role("heading", name=re.compile(rf": {today:%A} {today.day} "))
    ).to_be_visible()

    # Go to the day and book from there: the booking form starts on that date.
    calendar = page.get_by_role("navigation", name="Calendar")
    calendar.get_by_label("Date").fill(first_day.isoformat())
    calendar.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(rf"date={first_day}"))
    # The grid replaces the lists when JavaScript runs; the lists are a link away.
    page.get_by_role("link", name="Show as a list").click()
    page.wait_for_url(re.compile(r"layout=list"))
    assert page.get_by_role("region", name="Aria").get_by_text("Nothing booked.").is_visible()
    calendar.get_by_role("link", name="Book for a caller").click()
    page.wait_for_url(re.compile(r"/staff/calendar/book/"))
    assert page.get_by_role("heading", name="Book for a caller").is_visible()
    assert page.get_by_label("Date").input_value() == first_day.isoformat()

    # Find the caller.
    page.get_by_label("Find the patient").fill("Persona")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/staff/calendar/book/\?.*q=Persona"))
    found = page.get_by_role("group", name="Patients found")
    caller = found.get_by_role("radio", name="Pat Persona, born 1 May 1990, +1 555 0111")
    caller.check()
    assert page.get_by_label("Find the patient").input_value() == "Persona"

    # Service and date, then the free times (loaded in place), then book.
    page.get_by_label("Service").select_option(label="Micro-needling consultation")
    show_free_times(page, "/staff/calendar/book/")
    free = page.get_by_role("group", name="Free times")
    nine = free.get_by_role(
        "radio",
        name=f"{first_day:%A} {first_day.day} {first_day:%B %Y}, 9:00 am with Aria in Consultation room",
    )
    expect(nine).to_be_visible()
    nine.check()
    expect(caller).to_be_checked()
    page.get_by_label("Notes").fill("Caller prefers mornings.")
    page.get_by_role("button", name="Book", exact=True).click()

    # Back on that day: in Aria's column and the consultation room's.
    page.wait_for_url(re.compile(rf"/staff/calendar/\?location=main&date={first_day}$"))
    assert (
        "Booked Micro-needling consultation for Pat Persona on "
        in page.get_by_role("status").inner_text()
    )
    # The grid replaces the lists when JavaScript runs; the lists are a link away.
    page.get_by_role("link", name="Show as a list").click()
    page.wait_for_url(re.compile(r"layout=list"))
    booked = page.get_by_role("region", name="Aria").get_by_role(
        "link", name="9:00 am–9:30 am Pat Persona"
    )
    expect(booked).to_be_visible()
    room = page.get_by_role("region", name="Consultation room")
    expect(room.get_by_role("link", name="9:00 am–9:30 am Pat Persona")).to_be_visible()
    expect(page.get_by_role("region", name="Phil").get_by_text("Nothing booked.")).to_be_visible()
    appointment = Appointment.objects.get()
    assert (appointment.patient, appointment.staff, appointment.status) == (
        pat.patient,
        aria.user,
        "booked",
    )
    assert appointment.booked_via == "staff"
    assert appointment.notes == "Caller prefers mornings."
    assert appointment.start.astimezone(location.zone).date() == first_day

    # Move it: from the appointment page, another day's free time.
    booked.click()
    page.wait_for_url(re.compile(rf"/staff/calendar/appointments/{appointment.pk}/$"))
    assert page.get_by_role("heading", name="Micro-needling consultation").is_visible()
    assert f"{first_day:%A} {first_day.day} " in page.locator("dl.facts").inner_text()
    page.get_by_label("New date").fill(second_day.isoformat())
    show_free_times(page, f"/staff/calendar/appointments/{appointment.pk}/")
    eleven = page.get_by_role("group", name="Free times").get_by_role(
        "radio", name=re.compile(r", 11:00 am with Aria in Consultation room$")
    )
    expect(eleven).to_be_visible()
    eleven.check()
    page.get_by_role("button", name="Move").click()

    page.wait_for_url(re.compile(rf"/staff/calendar/\?location=main&date={second_day}$"))
    assert "Moved to " in page.get_by_role("status").inner_text()
    # The grid replaces the lists when JavaScript runs; the lists are a link away.
    page.get_by_role("link", name="Show as a list").click()
    page.wait_for_url(re.compile(r"layout=list"))
    moved = page.get_by_role("region", name="Aria").get_by_role(
        "link", name="11:00 am–11:30 am Pat Persona"
    )
    expect(moved).to_be_visible()

    # The first day is free again.
    page.get_by_role("navigation", name="Calendar").get_by_label("Date").fill(first_day.isoformat())
    page.get_by_role("navigation", name="Calendar").get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(rf"date={first_day}"))
    expect(page.get_by_role("region", name="Aria").get_by_text("Nothing booked.")).to_be_visible()

    current = Appointment.objects.filter(status="booked").get()
    start = current.start.astimezone(location.zone)
    assert (start.date(), start.hour, start.minute) == (second_day, 11, 0)
    assert current.patient == pat.patient
