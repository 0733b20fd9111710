"""Follow-ups in a practice group (issue #15): an outcome visit is booked where the course's
last session was unless someone chooses another location; staff book only at locations they
may act at (decision 0700), and the portal offers the choice as the next-session booking
does (decisions 0712, 0713)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from tests.locations import add_chicago

from .test_followups import NOW, clinic, finished_plan, frozen  # noqa: F401

pytestmark = pytest.mark.django_db

AT_CHICAGO = "2027-03-03T10:00:00-06:00"  # Wednesday 10:00 am in Chicago
AT_NEW_YORK = "2027-03-03T10:00:00-05:00"  # Wednesday 10:00 am in New York


@pytest.fixture
def chicago_course(clinic, patient, aesthetician):  # noqa: F811
    """A finished course whose last session was at Chicago, and its first outcome visit."""
    from needlepoint.clinic.models import Room, Service
    from needlepoint.followups.services import followups_propose
    from needlepoint.scheduling.models import Appointment

    chicago = add_chicago([aesthetician.user])
    plan = finished_plan(patient.patient, aesthetician.user, date(2027, 2, 3))
    start = NOW - timedelta(days=26)
    Appointment.objects.create(
        patient=patient.patient,
        service=Service.objects.get(slug="microneedling-face"),
        location=chicago,
        staff=aesthetician.user,
        room=Room.objects.get(slug="chi-treatment-1"),
        plan=plan,
        start=start,
        end=start + timedelta(hours=1),
        busy_until=start + timedelta(hours=1),
        status="completed",
        booked_via="staff",
    )
    first = followups_propose(actor=aesthetician.user, plan=plan)[0]
    return {"chicago": chicago, "main": clinic, "followup": first, "plan": plan}


def _booked_at(answer: Any) -> str:
    from needlepoint.scheduling.models import Appointment

    assert answer.status_code == 201, answer.content
    return str(Appointment.objects.get(pk=answer.json()["appointment"]).location.slug)


def test_a_follow_up_is_booked_where_the_courses_last_session_was(chicago_course, api, front_desk):
    followup = chicago_course["followup"]
    answer = api(front_desk).post(f"/follow-ups/{followup.pk}/book", {"start": AT_CHICAGO})
    assert _booked_at(answer) == "chicago"


def test_group_wide_staff_may_book_it_at_another_location(chicago_course, api, front_desk):
    followup = chicago_course["followup"]
    body = {"start": AT_NEW_YORK, "location": "main"}
    assert _booked_at(api(front_desk).post(f"/follow-ups/{followup.pk}/book", body)) == "main"


def test_staff_at_one_location_book_only_there(chicago_course, api, make_persona):
    followup = chicago_course["followup"]
    clerk = api(make_persona("clerk_ny", "front_desk", locations=[chicago_course["main"]]))
    refused = clerk.post(
        f"/follow-ups/{followup.pk}/book", {"start": AT_CHICAGO, "location": "chicago"}
    )
    assert refused.status_code == 404
    # Left out: the course's location is out of their reach, so their own location.
    answer = clerk.post(f"/follow-ups/{followup.pk}/book", {"start": AT_NEW_YORK})
    assert _booked_at(answer) == "main"


def test_staff_at_two_locations_must_choose_when_the_courses_is_not_theirs(
    chicago_course, api, make_persona
):
    from needlepoint.clinic.models import Location

    third = Location.objects.create(slug="boston", name="Boston", time_zone="America/New_York")
    clerk = api(make_persona("clerk_two", "front_desk", locations=[chicago_course["main"], third]))
    followup = chicago_course["followup"]
    answer = clerk.post(f"/follow-ups/{followup.pk}/book", {"start": AT_NEW_YORK})
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "location"


def test_the_front_desk_page_offers_times_only_where_the_clerk_works(
    chicago_course, staff_client, make_persona, front_desk
):
    clerk = staff_client(make_persona("clerk_ny", "front_desk", locations=[chicago_course["main"]]))
    page = clerk.get("/staff/follow-ups/?tab=proposed").content.decode()
    assert 'name="location" value="main"' in page and "Chicago" not in page
    desk = staff_client(front_desk)
    group = desk.get("/staff/follow-ups/?tab=proposed").content.decode()
    assert 'name="location" value="chicago"' in group
    assert "At Needlepoint Chicago" in group and "Offer times at" in group
    assert '-06:00">' in group  # Chicago's times on Chicago's clock
    moved = desk.get("/staff/follow-ups/?tab=proposed&where=main")
    assert 'name="location" value="main"' in moved.content.decode()


def test_the_front_desk_page_books_at_the_location_posted(
    chicago_course, staff_client, make_persona
):
    followup = chicago_course["followup"]
    clerk = staff_client(make_persona("clerk_ny", "front_desk", locations=[chicago_course["main"]]))
    refused = clerk.post(
        f"/staff/follow-ups/{followup.pk}/book/", {"start": AT_CHICAGO, "location": "chicago"}
    )
    assert refused.status_code == 404
    done = clerk.post(f"/staff/follow-ups/{followup.pk}/book/", {"start": AT_NEW_YORK})
    assert done.status_code == 302
    followup.refresh_from_db()
    assert followup.appointment is not None and followup.appointment.location.slug == "main"


def test_the_portal_offers_the_choice_of_location_for_a_follow_up(chicago_course, client, patient):
    followup = chicago_course["followup"]
    client.force_login(patient.user)
    page = client.get(f"/portal/follow-ups/{followup.pk}/book/").content.decode()
    assert '<select id="location" name="location">' in page
    assert "Times at Needlepoint Chicago" in page
    other = client.get(f"/portal/follow-ups/{followup.pk}/book/?location=main").content.decode()
    assert 'name="location" value="main"' in other
    done = client.post(
        f"/portal/follow-ups/{followup.pk}/book/", {"start": AT_NEW_YORK, "location": "main"}
    )
    assert done.status_code == 302, done.content.decode()[:2000]
    followup.refresh_from_db()
    assert followup.appointment.location.slug == "main"


def test_the_portal_reschedule_moves_a_visit_to_another_location(
    chicago_course, client, patient, aesthetician
):
    from needlepoint.clinic.models import Room, Service
    from needlepoint.scheduling.models import Appointment

    start = NOW + timedelta(days=3)
    visit = Appointment.objects.create(
        patient=patient.patient,
        service=Service.objects.get(slug="follow-up"),
        location=chicago_course["main"],
        staff=aesthetician.user,
        room=Room.objects.filter(location=chicago_course["main"]).first(),
        start=start,
        end=start + timedelta(minutes=30),
        busy_until=start + timedelta(minutes=30),
        booked_via="patient",
    )
    client.force_login(patient.user)
    page = client.get(f"/portal/appointments/{visit.pk}/reschedule/?location=chicago")
    assert "Times at Needlepoint Chicago" in page.content.decode()
    moved = client.post(
        f"/portal/appointments/{visit.pk}/reschedule/",
        {"start": "2027-03-10T10:00:00-06:00", "location": "chicago"},
    )
    assert moved.status_code == 302, moved.content.decode()[:2000]
    visit.refresh_from_db()
    assert visit.location.slug == "chicago"
