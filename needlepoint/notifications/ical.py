"""iCalendar (RFC 5545) for appointments: the .ics on confirmations and the staff feeds.

Times are written in the location's zone with a TZID and a matching VTIMEZONE, so a calendar
shows 10:00 on the wall clock on both sides of a DST change. UIDs are stable per appointment,
so a rescheduled appointment updates the same calendar entry (SEQUENCE grows).
Summaries name the service only: no health details, and in staff feeds only the patient's
initials (docs/decisions/0132-calendar-feed-privacy.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from needlepoint.clinic.location_face import location_face
from needlepoint.clinic.public_face import public_face
from needlepoint.scheduling.models import Appointment, AppointmentStatus

PRODID = "-//Needlepoint//Clinic booking//EN"


def uid_for(appointment: Appointment) -> str:
    host = urlsplit(settings.NEEDLEPOINT_BASE_URL).hostname or "needlepoint.local"
    return f"appointment-{appointment.pk}@{host}"


def initials(given_name: str, family_name: str) -> str:
    return "".join(f"{part[:1].upper()}." for part in (given_name, family_name) if part)


def _calendar(method: str, name: str = "") -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    return cal


def _location_text(appointment: Appointment) -> str:
    location = appointment.location
    return ", ".join(part for part in (location.name, location.address.replace("\n", ", ")) if part)


def _finding_us(appointment: Appointment, *, hours: str = "") -> str:
    """The address, opening hours and map link, for an entry's DESCRIPTION (decision 0711).
    Staff feeds leave the hours out (staff know them; a feed reads no rows per entry)."""
    location = appointment.location
    lines = [location.name]
    lines += [
        f"{label}: {value}"
        for label, value in (
            ("Address", location.address_line),
            ("Opening hours", hours),
            ("Map", location.map_url),
        )
        if value
    ]
    return "\n".join(lines)


def _event(appointment: Appointment, summary: str, now: datetime, cancelled: bool) -> Event:
    zone = appointment.location.zone
    event = Event()
    event.add("uid", uid_for(appointment))
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", appointment.start.astimezone(zone))
    event.add("dtend", appointment.end.astimezone(zone))
    event.add("summary", summary)
    event.add("location", _location_text(appointment))
    # Grows with every change to the appointment (reschedule, cancellation).
    event.add(
        "sequence", max(0, int((appointment.updated_at - appointment.created_at).total_seconds()))
    )
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def appointment_ics(appointment: Appointment, *, now: datetime | None = None) -> str:
    """The .ics attached to a patient's confirmation (or cancellation) email."""
    now = now or timezone.now()
    cancelled = appointment.status == AppointmentStatus.CANCELLED
    cal = _calendar("CANCEL" if cancelled else "PUBLISH")
    summary = f"{appointment.service.name} at {public_face().name}"
    event = _event(appointment, summary, now, cancelled)
    hours = location_face(appointment.location).hours
    event.add("description", _finding_us(appointment, hours=hours))
    if appointment.location.map_url:
        event.add("url", appointment.location.map_url)
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical().decode()


def staff_feed_ics(
    appointments: Iterable[Appointment], *, name: str, now: datetime | None = None
) -> str:
    """A staff member's feed: patient initials and the service, never the full name."""
    now = now or timezone.now()
    cal = _calendar("PUBLISH", name)
    for appointment in appointments:
        patient = appointment.patient
        summary = (
            f"{initials(patient.given_name, patient.family_name)} · {appointment.service.name}"
        )
        event = _event(appointment, summary, now, appointment.status == AppointmentStatus.CANCELLED)
        event.add("description", f"Room: {appointment.room.name}\n{_finding_us(appointment)}")
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical().decode()
