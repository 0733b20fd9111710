"""Booking for a caller, the parts a phone call needs: a whole course from the plan shown
before it is booked (all sessions or none), a chosen pen honoured, the course offered once
the caller is found, and a cancellation that asks first and says what the patient is sent."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from tests.scheduling.test_calendar_pages import visible_text
from tests.scheduling.test_treatments_and_courses import consultation, plan  # noqa: F401

pytestmark = pytest.mark.django_db

TREATMENT = "microneedling-face"
COURSE = {"service": TREATMENT, "location": "main", "staff": "aria", "weekdays": "2"}


def _course_url(plan):  # noqa: F811
    return f"/staff/calendar/plans/{plan.pk}/course/"


def test_the_course_is_proposed_with_its_spacing_and_booked_only_when_confirmed(
    plan,  # noqa: F811
    staff_client,
    front_desk,
):
    from needlepoint.scheduling.models import Appointment

    client = staff_client(front_desk)
    page = client.get(_course_url(plan), COURSE)
    assert page.status_code == 200
    text = visible_text(page.content.decode())
    assert "Session 1: Wednesday 3 March 2027, 9:00 am with Aria in Treatment room 1" in text
    assert "Session 2: Wednesday 31 March 2027, 9:00 am" in text
    assert "4 weeks after the previous session" in text
    assert "The first session" in text
    assert Appointment.objects.count() == 0  # a proposal books nothing

    shown = re.findall(r'name="proposed" value="([^"]+)"', page.content.decode())
    assert len(shown) == 3
    booked = client.post(_course_url(plan), {**COURSE, "proposed": shown})
    assert booked.status_code == 302
    starts = [a.start.isoformat() for a in Appointment.objects.order_by("start")]
    assert starts == shown
    after = visible_text(client.get(booked["Location"]).content.decode())
    assert "Booked all 3 sessions of Pat Persona's course" in after
    assert "Session 3: Wednesday 28 April 2027, 9:00 am" in after


def test_a_course_that_cannot_be_placed_books_nothing_and_says_why(
    plan,  # noqa: F811
    staff_client,
    front_desk,
):
    from needlepoint.scheduling.models import Appointment

    client = staff_client(front_desk)
    saturdays = {**COURSE, "weekdays": "5"}  # nobody works on Saturdays
    page = client.get(_course_url(plan), saturdays)
    assert page.status_code == 409
    text = visible_text(page.content.decode())
    assert "Nothing was booked" in text and "Session 1 could not be placed" in text
    refused = client.post(_course_url(plan), {**saturdays, "proposed": ["2027-03-06T14:00:00"]})
    assert refused.status_code == 409
    assert Appointment.objects.count() == 0


def test_confirming_dates_that_are_no_longer_free_books_nothing_and_shows_the_new_ones(
    plan,  # noqa: F811
    staff_client,
    front_desk,
):
    from needlepoint.scheduling.models import Appointment

    stale = ["2027-03-03T15:00:00+00:00", "2027-03-31T14:00:00+00:00", "2027-04-28T14:00:00+00:00"]
    page = staff_client(front_desk).post(_course_url(plan), {**COURSE, "proposed": stale})
    assert page.status_code == 422
    text = visible_text(page.content.decode())
    assert "The free times changed while you were looking, so nothing was booked." in text
    assert "Session 1: Wednesday 3 March 2027, 9:00 am" in text
    assert Appointment.objects.count() == 0


def test_the_booking_page_offers_the_course_once_the_caller_is_chosen(
    plan,  # noqa: F811
    staff_client,
    front_desk,
    patient,
):
    page = staff_client(front_desk).get("/staff/calendar/book/", {"patient": patient.patient.pk})
    html = page.content.decode()
    assert "Pat Persona has a treatment plan with 3 sessions still to book." in visible_text(html)
    assert f"/staff/calendar/plans/{plan.pk}/course/?location=main" in html


def test_a_pen_chosen_on_the_booking_page_is_the_one_booked(
    plan,  # noqa: F811
    staff_client,
    front_desk,
    patient,
):
    from needlepoint.scheduling.models import Appointment

    booked = staff_client(front_desk).post(
        "/staff/calendar/book/",
        {
            "patient": patient.patient.pk,
            "service": TREATMENT,
            "location": "main",
            "date": "2027-03-03",
            "room": "treatment-2",
            "device": "micropen-2",
            "start": "2027-03-03T14:00:00+00:00",
        },
    )
    assert booked.status_code == 302
    appointment = Appointment.objects.get()
    assert (appointment.room.slug, appointment.device.slug) == ("treatment-2", "micropen-2")


def test_cancelling_asks_first_and_says_what_happens_to_the_messages_sent(
    clinic, book, staff_client, front_desk
):
    from needlepoint.notifications.models import OutboxMessage
    from needlepoint.scheduling.models import Appointment

    appointment = Appointment.objects.get(pk=book("2027-03-04T10:00:00-05:00").json()["id"])
    OutboxMessage.objects.create(
        key="test:confirmation",
        kind="confirmation",
        channel="email",
        patient=appointment.patient,
        appointment=appointment,
        to="pat@example.com",
        body="Booked.",
        due_at=datetime(2027, 3, 1, 13, 0, tzinfo=UTC),
        status="sent",
        sent_at=datetime(2027, 3, 1, 13, 0, tzinfo=UTC),
    )
    client = staff_client(front_desk)
    page = client.get(f"/staff/calendar/appointments/{appointment.pk}/cancel/")
    assert page.status_code == 200
    text = visible_text(page.content.decode())
    assert "Cancel this appointment?" in text
    assert (
        "The booking confirmation e-mailed on Monday 1 March 2027 stays in the patient's inbox."
    ) in text
    assert "A cancellation notice is sent now" in text and "an e-mail to pat@example.com" in text
    assert "Reminders that were still to come are not sent." in text
    appointment.refresh_from_db()
    assert appointment.status == "booked"  # asking changes nothing
    done = client.post(
        f"/staff/calendar/appointments/{appointment.pk}/",
        {"action": "cancel", "confirmed": "yes", "reason": "ill"},
    )
    assert done.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"


def test_patients_cannot_open_the_course_or_the_cancel_page(
    plan,  # noqa: F811
    book,
    staff_client,
    patient,
):
    appointment_id = book("2027-03-04T10:00:00-05:00").json()["id"]
    client = staff_client(patient, with_totp=False)
    assert client.get(_course_url(plan)).status_code == 403
    assert client.get(f"/staff/calendar/appointments/{appointment_id}/cancel/").status_code == 403


def test_a_cancelled_appointment_is_not_offered_for_cancelling_again(
    clinic, book, staff_client, front_desk
):
    appointment_id = book("2027-03-04T10:00:00-05:00").json()["id"]
    client = staff_client(front_desk)
    client.post(
        f"/staff/calendar/appointments/{appointment_id}/", {"action": "cancel", "confirmed": "yes"}
    )
    page = client.get(f"/staff/calendar/appointments/{appointment_id}/cancel/")
    html = page.content.decode()
    assert "This appointment can no longer be cancelled: it is cancelled." in visible_text(html)
    assert 'value="cancel"' not in html
