"""The calendar's time grid: check-in, the JSON feed, moving by drag, the card's actions and
the header's location switcher. Time is frozen on Monday 2027-03-01 08:00 in New York."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

pytestmark = pytest.mark.django_db

TUESDAY_9 = "2027-03-02T09:00:00-05:00"
MONDAY_10 = "2027-03-01T10:00:00-05:00"


def _booked(book, start, **extra):
    from needlepoint.scheduling.models import Appointment

    answer = book(start, **extra)
    assert answer.status_code == 201, answer.content
    return Appointment.objects.get(pk=answer.json()["id"])


# ---------------------------------------------------------------- check-in service


def test_check_in_on_the_day_is_recorded_and_audited(clinic, book, front_desk):
    from needlepoint.audit.models import AuditEvent
    from needlepoint.scheduling.services import appointment_check_in

    visit = _booked(book, MONDAY_10)
    done = appointment_check_in(actor=front_desk.user, appointment=visit)
    assert done.checked_in_at is not None
    assert AuditEvent.objects.filter(
        action="appointment.check_in", object_id=str(visit.pk)
    ).exists()


def test_check_in_before_the_day_is_refused_in_words(clinic, book, front_desk):
    from needlepoint.core.errors import Conflict
    from needlepoint.scheduling.services import appointment_check_in

    visit = _booked(book, TUESDAY_9)
    with pytest.raises(Conflict, match="later day"):
        appointment_check_in(actor=front_desk.user, appointment=visit)
    visit.refresh_from_db()
    assert visit.checked_in_at is None


def test_check_in_twice_or_when_closed_is_refused(clinic, book, front_desk, frozen):
    from needlepoint.core.errors import Conflict
    from needlepoint.scheduling.services import (
        appointment_cancel,
        appointment_check_in,
    )

    visit = _booked(book, MONDAY_10)
    appointment_check_in(actor=front_desk.user, appointment=visit)
    with pytest.raises(Conflict, match="already checked in"):
        appointment_check_in(actor=front_desk.user, appointment=visit)
    other = _booked(book, "2027-03-01T14:00:00-05:00")
    appointment_cancel(actor=front_desk.user, appointment=other)
    with pytest.raises(Conflict, match="cancelled, not booked"):
        appointment_check_in(actor=front_desk.user, appointment=other)


# ---------------------------------------------------------------- feed


def test_the_feed_gives_columns_events_and_working_hours_in_wall_clock_time(
    clinic, book, staff_client, front_desk
):
    visit = _booked(book, TUESDAY_9, staff="aria")
    feed = staff_client(front_desk).get(
        "/staff/calendar/feed/", {"start": "2027-03-02", "end": "2027-03-02"}
    )
    assert feed.status_code == 200
    body = feed.json()
    assert [r["title"] for r in body["resources"]] == ["Aria", "Phil"]
    (event,) = [e for e in body["events"] if e.get("id") == str(visit.pk)]
    assert event["start"] == "2027-03-02T09:00" and event["title"] == "Pat Persona"
    assert event["extendedProps"]["stateLabel"] == "Booked"
    working = [e for e in body["events"] if "np-working" in e["classNames"]]
    assert {(e["start"], e["end"]) for e in working} == {("2027-03-02T09:00", "2027-03-02T17:00")}


def test_the_feed_by_room_and_by_pen_names_them(clinic, book, staff_client, front_desk):
    _booked(book, TUESDAY_9)
    client = staff_client(front_desk)
    rooms = client.get("/staff/calendar/feed/", {"start": "2027-03-02", "columns": "room"})
    assert "Consultation room" in [r["title"] for r in rooms.json()["resources"]]
    pens = client.get("/staff/calendar/feed/", {"start": "2027-03-02", "columns": "pen"})
    assert all("serial" in r["title"] for r in pens.json()["resources"])


def test_the_feed_shows_checked_in_and_in_treatment(clinic, book, staff_client, front_desk):
    from needlepoint.scheduling.calendar_selectors import appointment_state

    visit = _booked(book, MONDAY_10)
    assert appointment_state(visit, started=False) == "booked"
    visit.checked_in_at = visit.start
    assert appointment_state(visit, started=False) == "checked_in"
    assert appointment_state(visit, started=True) == "in_treatment"
    visit.status = "completed"
    assert appointment_state(visit, started=True) == "done"


def test_the_feed_refuses_bad_ranges_with_words(clinic, staff_client, front_desk):
    client = staff_client(front_desk)
    bad = client.get("/staff/calendar/feed/", {"start": "yesterday"})
    assert bad.status_code == 400 and "calendar dates" in bad.json()["message"]
    long = client.get("/staff/calendar/feed/", {"start": "2027-03-01", "end": "2027-06-01"})
    assert long.status_code == 400


def test_patients_get_no_feed(clinic, staff_client, patient):
    assert staff_client(patient, with_totp=False).get("/staff/calendar/feed/").status_code == 403


# ---------------------------------------------------------------- move by drag


def _move(client, visit, **body):
    return client.post(
        f"/staff/calendar/appointments/{visit.pk}/move/",
        json.dumps(body),
        content_type="application/json",
    )


def test_a_drag_to_a_free_time_moves_the_appointment(clinic, book, staff_client, front_desk):
    visit = _booked(book, TUESDAY_9, staff="aria")
    client = staff_client(front_desk)
    phil = f"staff-{visit.staff.__class__.objects.get(username='phil').pk}"
    moved = _move(client, visit, start="2027-03-02T11:00", resource=phil)
    assert moved.status_code == 200, moved.content
    assert moved.json()["message"] == "Moved to Tuesday 2 March 2027, 11:00 am with Phil."
    visit.refresh_from_db()
    assert visit.staff.username == "phil"
    assert visit.start == visit.start.replace(hour=16, minute=0)  # 11:00 EST is 16:00 UTC


def test_a_drag_onto_a_taken_time_is_refused_in_words(clinic, book, staff_client, front_desk):
    first = _booked(book, TUESDAY_9, staff="aria")
    second = _booked(book, "2027-03-02T11:00:00-05:00", staff="aria")
    refused = _move(
        staff_client(front_desk),
        second,
        start="2027-03-02T09:00",
        resource=f"staff-{first.staff_id}",
    )
    assert refused.status_code == 409
    assert refused.json()["ok"] is False and refused.json()["message"]
    second.refresh_from_db()
    assert second.start.hour == 16


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"start": "not a time"}, 422),
        ({"start": "2027-03-02T11:00", "resource": "staff-999999"}, 422),
        ({"start": "2027-03-02T11:00", "resource": "room-999999"}, 409),
    ],
)
def test_bad_moves_are_4xx_in_words(clinic, book, staff_client, front_desk, body, status):
    visit = _booked(book, TUESDAY_9)
    answer = _move(staff_client(front_desk), visit, **body)
    assert answer.status_code == status
    assert "_" not in answer.json()["message"]  # words, not codes


def test_a_move_that_is_not_json_is_400(clinic, book, staff_client, front_desk):
    visit = _booked(book, TUESDAY_9)
    answer = staff_client(front_desk).post(
        f"/staff/calendar/appointments/{visit.pk}/move/", "{", content_type="application/json"
    )
    assert answer.status_code == 400


# ---------------------------------------------------------------- the card's actions


def test_the_card_checks_in_without_javascript(clinic, book, staff_client, front_desk):
    visit = _booked(book, MONDAY_10)
    client = staff_client(front_desk)
    card = client.get(f"/staff/calendar/appointments/{visit.pk}/card/")
    assert card.status_code == 200 and "Check in" in card.content.decode()
    done = client.post(f"/staff/calendar/appointments/{visit.pk}/check-in/")
    assert done.status_code == 302
    visit.refresh_from_db()
    assert visit.checked_in_at is not None
    again = client.post(
        f"/staff/calendar/appointments/{visit.pk}/check-in/", HTTP_ACCEPT="application/json"
    )
    assert again.status_code == 409
    assert again.json()["message"] == "The patient is already checked in."


def test_a_no_show_before_the_start_is_refused_in_words(clinic, book, staff_client, front_desk):
    visit = _booked(book, MONDAY_10)
    answer = staff_client(front_desk).post(
        f"/staff/calendar/appointments/{visit.pk}/no-show/", HTTP_ACCEPT="application/json"
    )
    assert answer.status_code == 409
    assert "hasn't started yet" in answer.json()["message"]


def test_a_completed_visit_after_its_time(clinic, book, staff_client, front_desk, frozen):
    visit = _booked(book, MONDAY_10)
    frozen.shift(timedelta(hours=3))
    answer = staff_client(front_desk).post(
        f"/staff/calendar/appointments/{visit.pk}/complete/", HTTP_ACCEPT="application/json"
    )
    assert answer.status_code == 200 and answer.json()["message"] == "Marked as done."
    visit.refresh_from_db()
    assert visit.status == "completed"


def test_an_unknown_action_is_404(clinic, book, staff_client, front_desk):
    visit = _booked(book, MONDAY_10)
    answer = staff_client(front_desk).post(f"/staff/calendar/appointments/{visit.pk}/explode/")
    assert answer.status_code == 404


# ---------------------------------------------------------------- location switcher


def test_the_switcher_remembers_the_location_for_the_calendar(clinic, staff_client, front_desk):
    from needlepoint.clinic.models import Location

    Location.objects.create(slug="north", name="North Clinic", time_zone="America/New_York")
    client = staff_client(front_desk)
    page = client.get("/staff/calendar/")
    assert 'id="switch-location"' in page.content.decode()
    switched = client.post(
        "/staff/calendar/location/", {"location": "north", "next": "/staff/calendar/"}
    )
    assert switched.status_code == 302 and switched["Location"] == "/staff/calendar/"
    assert "North Clinic:" in client.get("/staff/calendar/").content.decode()
    # A location that is gone falls back to the default.
    Location.objects.filter(slug="north").delete()
    assert "North Clinic:" not in client.get("/staff/calendar/").content.decode()


def test_the_switcher_refuses_an_unknown_location_and_foreign_next(
    clinic, staff_client, front_desk
):
    client = staff_client(front_desk)
    answer = client.post(
        "/staff/calendar/location/", {"location": "nowhere", "next": "https://evil.example/"}
    )
    assert answer.status_code == 302 and answer["Location"] == "/staff/calendar/"


def test_the_feed_shows_a_checked_in_patient_in_treatment_once_the_day_of_check_starts(
    clinic, book, staff_client, front_desk, aesthetician
):
    from django.utils import timezone

    from needlepoint.charting.models import DayOfCheck
    from needlepoint.scheduling.services import appointment_check_in

    visit = _booked(book, MONDAY_10)
    client = staff_client(front_desk)

    def state():
        feed = client.get("/staff/calendar/feed/", {"start": "2027-03-01"}).json()
        (event,) = [e for e in feed["events"] if e.get("id") == str(visit.pk)]
        return event["extendedProps"]["stateLabel"], event["editable"]

    assert state() == ("Booked", True)
    appointment_check_in(actor=front_desk.user, appointment=visit)
    assert state() == ("Checked in", False)
    DayOfCheck.objects.create(
        appointment=visit,
        patient=visit.patient,
        answers={},
        judged_for=visit.start.date(),
        policy_version="test",
        verdict="proceed",
        blocked=False,
        checked_by=aesthetician.user,
        checked_at=timezone.now(),
    )
    assert state() == ("In treatment", False)


def test_the_feed_shows_a_closed_day_in_words(clinic, staff_client, front_desk):
    from datetime import date

    from needlepoint.clinic.models import Closure

    Closure.objects.create(location=clinic, date=date(2027, 3, 3), reason="Staff training")
    body = (
        staff_client(front_desk)
        .get("/staff/calendar/feed/", {"start": "2027-03-01", "end": "2027-03-07"})
        .json()
    )
    assert body["closures"] == [{"date": "2027-03-03", "reason": "Staff training"}]
    shaded = [e for e in body["events"] if "np-closed" in e["classNames"]]
    assert {e["start"][:10] for e in shaded} == {"2027-03-03"}
    working = {e["start"][:10] for e in body["events"] if "np-working" in e["classNames"]}
    assert "2027-03-03" not in working  # nobody works on a closed day
    assert body["hiddenDays"] == [6, 0]  # the weekend; the closed Wednesday stays shown


@pytest.mark.parametrize("columns", ["staff", "room", "pen"])
def test_a_columns_prefill_names_a_field_the_booking_form_reads(
    clinic, staff_client, front_desk, columns
):
    from needlepoint.scheduling.forms import BookingForm

    feed = staff_client(front_desk).get(
        "/staff/calendar/feed/", {"start": "2027-03-02", "columns": columns}
    )
    prefills = [r["extendedProps"]["book"] for r in feed.json()["resources"]]
    assert prefills
    for prefill in prefills:
        assert set(prefill) <= set(BookingForm.base_fields), prefill
