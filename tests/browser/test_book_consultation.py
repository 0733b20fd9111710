"""A new patient books a consultation in a real browser from /book/consultation/: chooses a
day and a time, types their details, and sees the confirmation."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import weekday_ahead

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_patient_books_a_consultation_and_sees_the_confirmation(
    live_server, page, make_persona, mailoutbox
):
    from django.utils import timezone

    from needlepoint.demo.clinic import ensure_location, ensure_services, ensure_working_hours
    from needlepoint.scheduling.models import Appointment

    aria = make_persona("aria", "aesthetician")
    location = ensure_location()
    ensure_services()
    ensure_working_hours(location, [aria.user])
    day = weekday_ahead(timezone.localdate(timezone=location.zone))

    page.goto(live_server.url + "/book/consultation/")
    assert page.get_by_role("heading", name="Book a consultation").is_visible()
    page.get_by_role("link", name=day.strftime("%a %-d %b")).click()
    page.wait_for_url(re.compile(rf"date={day.isoformat()}"))
    page.get_by_label("10:00").check()
    page.get_by_label("First name").fill("Grace")
    page.get_by_label("Last name").fill("Hopper")
    page.get_by_label("Date of birth").fill("1986-12-09")
    page.get_by_label(re.compile("^Email")).fill("grace@example.com")
    page.get_by_label("Mobile phone").fill("+1 555 0142")
    page.get_by_role("button", name="Book my consultation").click()

    page.wait_for_url(re.compile(r"/book/manage/.+/booked/"))
    assert page.get_by_role("heading", name="You're booked").is_visible()
    assert page.get_by_text(f"{day.strftime('%A %-d %B %Y')}, 10:00").is_visible()
    appointment = Appointment.objects.get()
    assert appointment.start.astimezone(location.zone).hour == 10
    assert appointment.booked_via == "online"
    assert any("grace@example.com" in m.to for m in mailoutbox)
