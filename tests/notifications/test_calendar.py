"""iCalendar: the .ics on confirmations and the staff feeds are valid RFC 5545, in the
location's zone with a VTIMEZONE, right on both sides of a DST change; feeds show initials
only, are audited, and a revoked token is a 404."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from tests.notifications.clinic_fixtures import TUESDAY_9

pytestmark = pytest.mark.django_db

# US DST starts on Sunday 14 March 2027: Friday the 12th is EST, Monday the 15th EDT.
BEFORE_DST = "2027-03-12T10:00:00-05:00"
AFTER_DST = "2027-03-15T10:00:00-04:00"


def _events(ics: str):
    calendar = Calendar.from_ical(ics)
    return calendar, list(calendar.walk("VEVENT"))


def test_the_confirmation_ics_is_in_the_clinic_zone_with_a_stable_uid(booked):
    from needlepoint.notifications.ical import appointment_ics, uid_for

    appointment = booked(TUESDAY_9)
    calendar, events = _events(appointment_ics(appointment))
    assert calendar["METHOD"] == "PUBLISH"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    (event,) = events
    assert event["UID"] == uid_for(appointment)
    assert event["DTSTART"].params["TZID"] == "America/New_York"
    assert event.decoded("DTSTART") == datetime.fromisoformat(TUESDAY_9)
    assert event.decoded("DTSTART").utcoffset() == timedelta(hours=-5)
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=30)
    assert "DTSTAMP" in event
    assert event["SUMMARY"].startswith("Micro-needling consultation")
    assert "Upper East Side" in event["LOCATION"]
    assert appointment_ics(appointment).count("UID:") == 1


def _feed(client, raw):
    return client.get(f"/calendar/{raw}.ics")


def test_a_staff_feed_lists_their_appointments_with_initials_across_a_dst_change(
    booked, aesthetician, client
):
    from needlepoint.notifications.services import calendar_feed_create

    first = booked(BEFORE_DST, staff_username="aria")
    second = booked(AFTER_DST, staff_username="aria")
    raw = calendar_feed_create(actor=aesthetician.user).raw
    response = _feed(client, raw)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar, events = _events(response.content.decode())
    (zone,) = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "America/New_York"
    assert {c.name for c in zone.subcomponents} >= {"STANDARD", "DAYLIGHT"}
    by_uid = {e["UID"]: e for e in events}
    from needlepoint.notifications.ical import uid_for

    for appointment in (first, second):
        event = by_uid[uid_for(appointment)]
        start = event.decoded("DTSTART")
        assert event["DTSTART"].params["TZID"] == "America/New_York"
        assert (start.hour, start.minute) == (10, 0)  # 10:00 on the wall clock both days
        assert start.astimezone(UTC) == appointment.start
        assert "DTSTAMP" in event
        assert event["SUMMARY"] == "P.P. · Micro-needling consultation"  # Pat Persona
    assert by_uid[uid_for(first)].decoded("DTSTART").utcoffset() == timedelta(hours=-5)
    assert by_uid[uid_for(second)].decoded("DTSTART").utcoffset() == timedelta(hours=-4)
    assert "Persona" not in response.content.decode()


def test_a_feed_shows_only_its_owners_appointments(booked, aesthetician, physician, client):
    from needlepoint.notifications.services import calendar_feed_create

    booked(TUESDAY_9, staff_username="phil")
    raw = calendar_feed_create(actor=aesthetician.user).raw
    _, events = _events(_feed(client, raw).content.decode())
    assert events == []


def test_feed_reads_are_audited_one_event_per_appointment(booked, aesthetician, client):
    from needlepoint.audit.models import AuditEvent
    from needlepoint.notifications.services import calendar_feed_create

    appointment = booked(TUESDAY_9, staff_username="aria")
    raw = calendar_feed_create(actor=aesthetician.user).raw
    _feed(client, raw)
    reads = AuditEvent.objects.filter(action="appointment.read", detail__via="calendar_feed")
    assert [(e.object_id, e.patient_id, e.actor_username) for e in reads] == [
        (str(appointment.pk), str(appointment.patient_id), "aria")
    ]
    assert AuditEvent.objects.filter(action="calendar_feed.read").count() == 1


def test_a_revoked_or_unknown_token_is_a_404(aesthetician, client, db):
    from needlepoint.notifications.models import CalendarFeedToken
    from needlepoint.notifications.services import calendar_feed_create, calendar_feed_revoke

    created = calendar_feed_create(actor=aesthetician.user)
    assert _feed(client, created.raw).status_code == 200
    calendar_feed_revoke(actor=aesthetician.user, feed_id=created.feed.pk)
    assert _feed(client, created.raw).status_code == 404
    assert _feed(client, "not-a-token").status_code == 404
    assert not CalendarFeedToken.objects.filter(token_hash=created.raw).exists()  # hashed at rest


def test_staff_create_and_revoke_their_feed_on_a_page(aesthetician, staff_client, db):
    from needlepoint.audit.models import AuditEvent
    from needlepoint.notifications.models import CalendarFeedToken

    client = staff_client(aesthetician)
    page = client.post("/staff/calendar-feeds/", {"label": "my phone"})
    assert page.status_code == 200
    url = page.context["new_url"]
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert client.get(f"/calendar/{token}.ics").status_code == 200
    feed = CalendarFeedToken.objects.get(user=aesthetician.user)
    asked = client.post(f"/staff/calendar-feeds/{feed.pk}/revoke/")
    assert "Yes, revoke the feed" in asked.content.decode()  # asks once (decision 0504)
    assert client.get(f"/calendar/{token}.ics").status_code == 200
    revoked = client.post(f"/staff/calendar-feeds/{feed.pk}/revoke/", {"confirmed": "yes"})
    assert revoked.status_code == 302
    assert client.get(f"/calendar/{token}.ics").status_code == 404
    assert set(AuditEvent.objects.values_list("action", flat=True)) >= {
        "calendar_feed.create",
        "calendar_feed.revoke",
    }


def test_a_patient_cannot_open_the_feed_page(patient, client, db):
    client.force_login(patient.user)
    assert client.get("/staff/calendar-feeds/").status_code == 403


def test_someone_elses_feed_cannot_be_revoked(aesthetician, physician, staff_client, db):
    from needlepoint.notifications.services import calendar_feed_create

    feed = calendar_feed_create(actor=physician.user).feed
    client = staff_client(aesthetician)
    assert client.post(f"/staff/calendar-feeds/{feed.pk}/revoke/").status_code == 404


def test_the_calendar_entry_and_the_email_name_the_clinic_by_its_profile(booked):
    from zoneinfo import ZoneInfo

    from needlepoint.clinic.models import ClinicProfile
    from needlepoint.clinic.public_face import forget_public_face
    from needlepoint.notifications.ical import appointment_ics
    from needlepoint.notifications.messages import appointment_text

    ClinicProfile.objects.create(pk=1, name="Lumen Skin Studio")
    forget_public_face()
    appointment = booked(TUESDAY_9)
    (event,) = _events(appointment_ics(appointment))[1]
    assert str(event["SUMMARY"]).endswith("at Lumen Skin Studio")
    text = appointment_text(
        "confirmation",
        given_name="Ada",
        service="Consultation",
        start=datetime.fromisoformat(TUESDAY_9),
        zone=ZoneInfo("America/New_York"),
        place="Main Street",
        phone="",
        is_treatment=False,
        manage_url="https://clinic.example/m/x",
        late_cancel_hours=24,
    )
    assert "Lumen Skin Studio" in text.body
    assert text.sms.startswith("Lumen Skin Studio:")
