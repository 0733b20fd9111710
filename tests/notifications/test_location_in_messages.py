"""Messages and calendar entries say where: the location's address, opening hours and map
link, with the time in that location's own zone (decision 0711)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from icalendar import Calendar

from tests.locations import add_chicago
from tests.notifications.clinic_fixtures import NOW

pytestmark = pytest.mark.django_db

WEDNESDAY_10_CHICAGO = "2027-03-03T10:00:00-06:00"  # 11:00 am in New York


@pytest.fixture
def at_chicago(clinic, make_persona, patient):
    from needlepoint.clinic.models import Service
    from needlepoint.scheduling.models import Appointment
    from needlepoint.scheduling.services import appointment_book

    chicago = add_chicago(
        [make_persona("cleo", "aesthetician").user],
        opening_hours="Monday to Friday, 8 am to 6 pm",
    )
    appointment = appointment_book(
        actor=None,
        patient=patient.patient,
        service=Service.objects.get(slug="consultation"),
        start=datetime.fromisoformat(WEDNESDAY_10_CHICAGO),
        location=chicago,
    )
    Appointment.objects.filter(pk=appointment.pk).update(created_at=NOW - timedelta(days=3))
    appointment.refresh_from_db()
    return appointment


def _messages(appointment, kind):
    from needlepoint.notifications.models import OutboxMessage
    from needlepoint.notifications.services.enqueue import enqueue_for_appointment

    if kind == "confirmation":
        enqueue_for_appointment(appointment, kind, due_at=NOW)

    return {m.channel: m for m in OutboxMessage.objects.filter(appointment=appointment, kind=kind)}


def test_the_confirmation_says_the_address_hours_map_and_the_local_time(at_chicago):
    confirmation = _messages(at_chicago, "confirmation")
    email = confirmation["email"].body
    assert "Wednesday 3 March 2027 at 10:00 am (CST)" in email
    assert "at Needlepoint Chicago." in email
    assert "Address: 200 West Loop Street, Floor 3, Chicago, IL 60606" in email
    assert "Opening hours: Monday to Friday, 8 am to 6 pm" in email
    assert "Map: https://www.openstreetmap.org/search?query=200+West+Loop+Street" in email
    if "sms" in confirmation:
        assert "200 West Loop Street" in confirmation["sms"].body
        assert "10:00 am (CST)" in confirmation["sms"].body


def test_reminders_say_where_too(at_chicago):
    from needlepoint.notifications.services import reminders_plan

    reminders_plan()
    reminder = _messages(at_chicago, "reminder_48h")["email"].body
    assert "10:00 am (CST)" in reminder
    assert "Address: 200 West Loop Street" in reminder
    assert "Map: https://www.openstreetmap.org/search?" in reminder
    soon = _messages(at_chicago, "reminder_2h")
    assert "Address: 200 West Loop Street" in soon["email"].body
    assert "200 West Loop Street" in soon["sms"].body


def test_without_typed_hours_the_messages_say_the_hours_staff_work_there(clinic, booked):
    appointment = booked("2027-03-02T09:00:00-05:00")
    email = _messages(appointment, "confirmation")["email"].body
    assert "Opening hours: Monday to Friday, 9:00 am to 5:00 pm" in email


def test_the_calendar_entry_has_the_location_address_and_map(at_chicago):
    from needlepoint.notifications.ical import appointment_ics

    calendar = Calendar.from_ical(appointment_ics(at_chicago))
    (event,) = calendar.walk("VEVENT")
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["America/Chicago"]
    assert event["DTSTART"].params["TZID"] == "America/Chicago"
    assert "Needlepoint Chicago" in event["LOCATION"]
    assert "200 West Loop Street" in event["LOCATION"]
    description = str(event["DESCRIPTION"])
    assert "Opening hours: Monday to Friday, 8 am to 6 pm" in description
    assert "Map: https://www.openstreetmap.org/search?" in description
    assert str(event["URL"]).startswith("https://www.openstreetmap.org/search?")


def test_a_staff_feed_entry_names_the_address_and_map(at_chicago, make_persona):
    from needlepoint.notifications.ical import staff_feed_ics

    (event,) = Calendar.from_ical(staff_feed_ics([at_chicago], name="Cleo")).walk("VEVENT")
    description = str(event["DESCRIPTION"])
    assert description.startswith("Room: Chicago consult")
    assert "200 West Loop Street" in description and "openstreetmap.org" in description
