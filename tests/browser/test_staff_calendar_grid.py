"""The front desk works the calendar's time grid: drags an appointment to a free time (the
server moves it), drags another onto a taken time (it snaps back and the page says why),
and checks a patient in from the appointment's card."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in_as, weekday_ahead
from tests.browser.looking import look
from tests.browser.walk_helpers import booking_day, check_in_from_card

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _book(patient, staff, service, location, start):
    from needlepoint.clinic.models import Room
    from needlepoint.scheduling.models import Appointment

    end = start + timedelta(minutes=service.duration_minutes)
    kind = "treatment" if service.is_treatment else "consultation"
    return Appointment.objects.create(
        patient=patient,
        service=service,
        location=location,
        staff=staff,
        room=Room.objects.filter(location=location, kind=kind).order_by("slug").first(),
        start=start,
        end=end,
        busy_until=end + timedelta(minutes=service.buffer_after_minutes),
        booked_via="staff",
    )


def _drag_by(page, event, hours: int) -> None:
    """Drag ``event`` ``hours`` later in its column (an hour's height read off the labels)."""
    # Start near the top of the window: dragging past its edge would scroll the page.
    event.evaluate("e => window.scrollBy(0, e.getBoundingClientRect().top - 20)")
    box = event.bounding_box()
    hour = page.evaluate(
        """() => {
            const labels = Array.from(document.querySelectorAll('#calendar-mount .ec-body time'));
            const at = (h) => labels.find((t) => t.getAttribute('datetime').endsWith(h));
            return at('T10:00:00').getBoundingClientRect().y - at('T09:00:00').getBoundingClientRect().y;
        }"""
    )
    x, y = box["x"] + box["width"] / 2, box["y"] + 6
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x, y + hours * hour, steps=12)
    page.mouse.up()


def test_the_front_desk_moves_and_checks_in_from_the_grid(live_server, page, make_persona):
    from django.utils import timezone

    from needlepoint.clinic.models import Location, Service

    location, aria, phil, fran, pat = booking_day(make_persona)
    kim = make_persona("kim", "patient", with_patient=True)
    consultation = Service.objects.get(slug="consultation")
    zone = location.zone
    today = timezone.localdate(timezone=zone)
    day = weekday_ahead(today, 3)
    first = _book(
        pat.patient, aria.user, consultation, location, datetime.combine(day, time(9), zone)
    )
    second = _book(
        kim.patient, aria.user, consultation, location, datetime.combine(day, time(11), zone)
    )
    arrived = _book(
        kim.patient, phil.user, consultation, location, datetime.combine(today, time(10), zone)
    )
    # A second location: the header offers the switch.
    Location.objects.create(slug="north", name="North Clinic", time_zone="America/New_York")
    base = live_server.url
    refused_by_policy = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and refused_by_policy.append(message.text)
        ),
    )
    sign_in_as(page, live_server, fran.user)

    page.goto(f"{base}/staff/calendar/?location=main&date={day}")
    grid = page.locator("#calendar-grid")
    expect(grid).to_have_attribute("data-loaded", re.compile(r"\d"))
    look(page, "calendar-grid-day")

    # Drag Pat's 9:00 to 2:00 pm in Aria's column: the server moves it.
    pats = page.locator("#calendar-mount .ec-event", has_text="Pat Persona")
    loaded = grid.get_attribute("data-loaded")
    with page.expect_response(lambda r: "/move/" in r.url):
        _drag_by(page, pats, 5)
    status = page.locator("#calendar-status").filter(has_text=re.compile("Moved|Not moved"))
    expect(status).to_contain_text("Moved to")
    first.refresh_from_db()
    assert first.start.astimezone(zone).time() == time(14)
    assert first.staff == aria.user

    # The grid redraws from the server after a move: wait for that before the next drag.
    expect(grid).not_to_have_attribute("data-loaded", loaded)
    expect(pats).to_contain_text("2:00")

    # Drag Kim's 11:00 onto Pat's new time: refused, it snaps back and the page says why.
    loaded = grid.get_attribute("data-loaded")
    kims = page.locator("#calendar-mount .ec-event", has_text="Kim Persona")
    offset = (
        "e => e.getBoundingClientRect().top"
        " - document.getElementById('calendar-mount').getBoundingClientRect().top"
    )
    before = kims.evaluate(offset)
    with page.expect_response(lambda r: "/move/" in r.url) as refused:
        _drag_by(page, kims, 3)
    assert refused.value.status == 409
    expect(page.locator("#calendar-status").filter(has_text="Not moved")).to_be_visible()
    second.refresh_from_db()
    assert second.start.astimezone(zone).time() == time(11)
    expect(grid).not_to_have_attribute("data-loaded", loaded)
    expect(kims).to_contain_text("11:00")
    page.wait_for_function(  # back at 11:00 on the grid
        """([before]) => {
            const kim = Array.from(document.querySelectorAll('#calendar-mount .ec-event'))
                .find((e) => e.textContent.includes('Kim Persona'));
            const top = kim.getBoundingClientRect().top
                - document.getElementById('calendar-mount').getBoundingClientRect().top;
            return Math.abs(top - before) < 2;
        }""",
        arg=[before],
    )
    look(page, "calendar-grid-refused-move")

    # Today: Kim has arrived; check her in from the card.
    page.goto(f"{base}/staff/calendar/?location=main&date={today}")
    expect(grid).to_have_attribute("data-loaded", re.compile(r"\d"))
    check_in_from_card(page, "Kim Persona", "calendar-grid-card")
    arrived.refresh_from_db()
    assert arrived.checked_in_at is not None
    expect(page.locator("#calendar-mount .ec-event.np-state-checked_in")).to_contain_text(
        "Checked in"
    )

    # The card is a page of its own too (no JavaScript needed), linked from the appointment.
    page.goto(f"{base}/staff/calendar/appointments/{arrived.pk}/")
    page.get_by_role("link", name="Check in, mark as no-show or done").click()
    expect(page.get_by_role("heading", level=1, name="Kim Persona")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Checked in \(arrived"))).to_be_visible()
    look(page, "calendar-card-page")

    # The week, by room.
    page.goto(f"{base}/staff/calendar/week/?location=main&date={day}&columns=room")
    expect(grid).to_have_attribute("data-loaded", re.compile(r"\d"))
    expect(page.locator("#calendar-mount")).to_contain_text("Consultation room")
    look(page, "calendar-grid-week")
    assert refused_by_policy == []  # the library runs under the Content-Security-Policy

    # The header's switcher: the calendar follows the chosen location.
    page.get_by_label("Location", exact=True).select_option(label="North Clinic")
    page.get_by_role("button", name="Switch").click()
    expect(page.get_by_role("heading", name=re.compile("^North Clinic: week of"))).to_be_visible()
