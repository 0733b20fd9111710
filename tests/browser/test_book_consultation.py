"""A new patient books a consultation in a real browser from /book/consultation/: types their
details, chooses a day (what was typed stays, with and without JavaScript) and a time, and
sees the confirmation."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import weekday_ahead

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def choose_day_keeping_what_was_typed(page, day, click=True):
    if click:
        page.get_by_role("button", name=day.strftime("%a %-d %b")).click()
    expect(page.get_by_role("heading", name=day.strftime("%A %-d %B %Y"))).to_be_visible()
    expect(page.get_by_label("First name")).to_have_value("Grace")
    expect(page.get_by_label(re.compile("^Email"))).to_have_value("grace@example.com")


def _clinic(make_persona):
    from django.utils import timezone

    from needlepoint.demo.clinic import ensure_location, ensure_services, ensure_working_hours

    aria = make_persona("aria", "aesthetician")
    location = ensure_location()
    ensure_services()
    ensure_working_hours(location, [aria.user])
    # Four days ahead is never the day the page opens on, so choosing it changes the page.
    return location, weekday_ahead(timezone.localdate(timezone=location.zone), days=4)


def test_without_javascript_choosing_a_day_keeps_the_name_and_email(
    live_server, browser, make_persona
):
    _, day = _clinic(make_persona)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/book/consultation/")
        page.get_by_label("First name").fill("Grace")
        page.get_by_label(re.compile("^Email")).fill("grace@example.com")
        with page.expect_response(lambda r: r.request.method == "POST") as sent:
            page.get_by_role("button", name=day.strftime("%a %-d %b")).click()
        assert sent.value.status == 200
        choose_day_keeping_what_was_typed(page, day, click=False)
    finally:
        context.close()


def test_a_new_patient_books_a_consultation_and_sees_the_confirmation(
    live_server, page, make_persona, mailoutbox
):
    from needlepoint.scheduling.models import Appointment

    location, day = _clinic(make_persona)
    page.goto(live_server.url + "/book/consultation/")
    assert page.get_by_role("heading", name="Book a consultation").is_visible()
    page.get_by_label("First name").fill("Grace")
    page.get_by_label(re.compile("^Email")).fill("grace@example.com")
    choose_day_keeping_what_was_typed(page, day)
    page.get_by_label("10:00").check()
    page.get_by_label("Last name").fill("Hopper")
    page.get_by_label("Date of birth").fill("1986-12-09")
    page.get_by_label("Mobile phone").fill("+1 555 0142")
    page.get_by_role("button", name="Book my consultation", exact=True).last.click()

    page.wait_for_url(re.compile(r"/book/manage/.+/booked/"))
    assert page.get_by_role("heading", name="You're booked").is_visible()
    assert page.get_by_text(f"{day.strftime('%A %-d %B %Y')}, 10:00 am").is_visible()
    appointment = Appointment.objects.get()
    assert appointment.start.astimezone(location.zone).hour == 10
    assert appointment.booked_via == "online"
    assert any("grace@example.com" in m.to for m in mailoutbox)
