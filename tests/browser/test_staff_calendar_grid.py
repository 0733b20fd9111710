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


def _drag_to(page, event, column_index: int, hh_mm: str) -> None:
    """Drag ``event`` to the time ``hh_mm`` in the grid's column ``column_index``."""
    box = event.bounding_box()
    target = page.evaluate(
        """([column, label]) => {
            const cols = document.querySelectorAll('#calendar-mount .ec-body .ec-day');
            const rows = Array.from(document.querySelectorAll('#calendar-mount .ec-sidebar .ec-time'));
            const row = rows.find((r) => r.getAttribute('datetime')?.endsWith(label) || r.textContent.trim() === label);
            const c = cols[column].getBoundingClientRect();
            const r = row.getBoundingClientRect();
            return {x: c.x + c.width / 2, y: r.y + r.height / 2};
        }""",
        [column_index, hh_mm],
    )
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 4)
    page.mouse.down()
    page.mouse.move(target["x"], target["y"] + 4, steps=12)
    page.mouse.up()


def test_the_front_desk_moves_and_checks_in_from_the_grid(live_server, page, make_persona):
    from django.utils import timezone

    from needlepoint.clinic.models import Service
    from needlepoint.demo.clinic import ensure_location, ensure_services, ensure_working_hours
    from needlepoint.scheduling.models import Appointment

    location = ensure_location()
    ensure_services()
    aria = make_persona("aria", "aesthetician")
    phil = make_persona("phil", "physician")
    ensure_working_hours(location, [aria.user, phil.user])
    fran = make_persona("fran", "front_desk")
    pat = make_persona("pat", "patient", with_patient=True)
    kim = make_persona("kim", "patient", with_patient=True)
    consultation = Service.objects.get(slug="consultation")
    zone = location.zone
    today = timezone.localdate(timezone=zone)
    day = weekday_ahead(today, 3)
    first = _book(pat.patient, aria.user, consultation, location,
                  datetime.combine(day, time(9), zone))
    second = _book(kim.patient, aria.user, consultation, location,
                   datetime.combine(day, time(11), zone))
    arrived = _book(kim.patient, phil.user, consultation, location,
                    datetime.combine(today, time(10), zone))
    base = live_server.url
    sign_in_as(page, live_server, fran.user)

    page.goto(f"{base}/staff/calendar/?location=main&date={day}")
    grid = page.locator("#calendar-grid")
    expect(grid).to_have_attribute("data-loaded", re.compile(r"\d"))
    print("DUMP", page.locator("#calendar-mount").inner_html())
    look(page, "calendar-grid-day")
