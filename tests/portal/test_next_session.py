"""The patient books the next session of their plan inside its spacing, and leaves the
waitlist, from the portal. Session 3 of the world's plan is moved to a week ago and a fourth
session is added, so session 4 may be booked from Monday 15 March 2027 (3 weeks after) to
Monday 5 April 2027 (6 weeks after)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client

from .world import TODAY, build_world

pytestmark = pytest.mark.django_db


def _open_fourth_session(plan: Any) -> None:
    from needlepoint.treatments.models import PlanSession

    plan.sessions = 4
    plan.recommendation = {"interval_weeks_range": [3, 6]}
    plan.save(update_fields=["sessions", "recommendation"])
    PlanSession.objects.filter(plan=plan, index=3).update(done_on=TODAY - timedelta(days=7))
    PlanSession.objects.create(plan=plan, index=4)


@pytest.fixture
def world(frozen: Any, patient: Any, aesthetician: Any) -> Any:
    from needlepoint.demo.clinic import ensure_location, ensure_working_hours

    world = build_world(patient.patient, aesthetician.user)
    ensure_working_hours(ensure_location(), [aesthetician.user])
    _open_fourth_session(world.rows["plan"])
    return world


@pytest.fixture
def me(world: Any, patient: Any) -> Client:
    client = Client()
    client.force_login(patient.user)
    return client


def url(world: Any) -> str:
    return f"/portal/plans/{world.rows['plan'].pk}/next-session/"


def offered(html: str) -> list[str]:
    return [v.split('"')[0] for v in html.split('name="start" value="')[1:]]


def test_the_page_shows_the_session_number_and_the_window_in_words(me, world, aesthetician):
    html = me.get(url(world)).content.decode()
    assert "Session 4 of 4" in html
    assert "Monday 15 March 2027" in html  # earliest: 3 weeks after session 3
    assert "Monday 5 April 2027" in html  # latest: 6 weeks after
    assert "at least 3 weeks after session 3" in html
    times = offered(html)
    assert times and all("2027-03-15" <= t[:10] <= "2027-03-28" for t in times)
    name = aesthetician.user.public_name
    assert "<legend>Monday 15 March</legend>" in html
    assert f"9:00 am with {name}</label>" in html


def test_the_patient_books_the_next_session_and_the_plan_follows(me, world):
    from needlepoint.scheduling.models import Appointment

    html = me.get(url(world) + "?day=2027-03-17").content.decode()
    chosen = offered(html)[0]
    assert chosen.startswith("2027-03-17")
    response = me.post(url(world), {"start": chosen, "day": "2027-03-17"})
    assert response.status_code == 302, response.content.decode()[:800]
    booked = Appointment.objects.get(patient=world.patient, plan_session=4)
    assert booked.booked_via == "patient" and booked.status == "booked"
    session = world.rows["plan"].plan_sessions.get(index=4)
    assert session.status == "booked" and str(session.booked_for) == "2027-03-17"
    page = me.get(url(world)).content.decode()
    assert "Every session of your plan is booked or done" in page


def test_a_too_soon_day_is_refused_beside_the_field_with_the_earliest_date(me, world):
    response = me.get(url(world) + "?day=2027-03-08")
    assert response.status_code == 422
    html = response.content.decode()
    error = html.split('id="day-error"')[1].split("</p>")[0]
    assert "Too soon" in error and "Monday 15 March 2027" in error
    assert 'value="2027-03-08"' in html  # what was typed stays


def test_a_too_soon_time_posted_is_refused_by_the_service_and_kept(me, world):
    from needlepoint.scheduling.models import Appointment

    start = "2027-03-09T10:00:00-05:00"
    response = me.post(url(world), {"start": start})
    assert response.status_code == 422
    html = response.content.decode()
    error = html.split('id="start-error"')[1].split("</p>")[0]
    assert "Too soon" in error and "Monday 15 March 2027" in error
    assert "override" not in error  # worded for the patient, not for staff
    assert not Appointment.objects.filter(patient=world.patient, plan_session=4).exists()


def test_a_too_late_time_is_refused_with_the_earliest_date(me, world):
    response = me.post(url(world), {"start": "2027-04-12T10:00:00-04:00"})
    assert response.status_code == 422
    error = response.content.decode().split('id="start-error"')[1].split("</p>")[0]
    assert "Too late" in error and "Monday 5 April 2027" in error
    assert "Monday 15 March 2027" in error


def test_a_taken_time_is_refused_and_the_choice_is_kept(me, world, other_patient):
    from .world import World, _appointment

    chosen = offered(me.get(url(world) + "?day=2027-03-17").content.decode())[0]
    _appointment(
        World(other_patient.patient, world.staff),
        start=datetime.fromisoformat(chosen.split("|")[0]),
        status="booked",
    )
    response = me.post(url(world), {"start": chosen, "day": "2027-03-17"})
    assert response.status_code == 409
    html = response.content.decode()
    assert 'id="start-error"' in html and "Monday 15 March 2027" in html
    assert 'name="day" value="2027-03-17"' in html


def test_nothing_chosen_names_the_field(me, world):
    response = me.post(url(world), {"start": ""})
    assert response.status_code == 422
    assert "Choose one of the free times." in response.content.decode()


def test_another_patients_plan_is_a_404(me, world, other_patient, aesthetician):
    other = build_world(other_patient.patient, aesthetician.user)
    assert me.get(f"/portal/plans/{other.rows['plan'].pk}/next-session/").status_code == 404
    assert me.post(f"/portal/plans/{other.rows['plan'].pk}/next-session/", {}).status_code == 404
    assert me.get("/portal/plans/999999/next-session/").status_code == 404


def test_staff_get_no_next_session_page(world, staff_client, front_desk):
    response = staff_client(front_desk).get(url(world))
    assert response.status_code in (403, 404)


def test_the_appointments_page_links_the_next_session_and_lists_the_waitlist(me, world):
    from needlepoint.waitlist.models import WaitlistEntry

    entry = WaitlistEntry.objects.get(patient=world.patient)
    html = me.get("/portal/appointments/").content.decode()
    assert url(world) in html and "Book my next session" in html
    assert f"/portal/waitlist/{entry.pk}/withdraw/" in html
    for code in ("proposed", "missed", ">due<", "1 months"):
        assert code not in html


def test_leaving_the_waitlist_asks_once_then_withdraws(me, world):
    from needlepoint.audit.models import AuditEvent
    from needlepoint.waitlist.models import WaitlistEntry

    entry = WaitlistEntry.objects.get(patient=world.patient)
    page = me.get(f"/portal/waitlist/{entry.pk}/withdraw/")
    assert page.status_code == 200 and "Leave the waiting list" in page.content.decode()
    entry.refresh_from_db()
    assert entry.status == "waiting"  # asking is not doing
    unconfirmed = me.post(f"/portal/waitlist/{entry.pk}/withdraw/")
    assert unconfirmed.status_code == 200  # a POST without the confirm step asks again
    entry.refresh_from_db()
    assert entry.status == "waiting"
    response = me.post(f"/portal/waitlist/{entry.pk}/withdraw/", {"confirmed": "yes"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == "withdrawn"
    assert AuditEvent.objects.filter(action="waitlist.withdraw", object_id=str(entry.pk)).exists()
    again = me.post(f"/portal/waitlist/{entry.pk}/withdraw/")
    assert again.status_code == 409 and "no longer waiting" in again.content.decode()


def test_another_patients_waitlist_request_is_a_404(me, world, other_patient):
    from needlepoint.waitlist.models import WaitlistEntry

    theirs = WaitlistEntry.objects.create(
        patient=other_patient.patient, service=WaitlistEntry.objects.first().service
    )
    assert me.get(f"/portal/waitlist/{theirs.pk}/withdraw/").status_code == 404
    assert me.post(f"/portal/waitlist/{theirs.pk}/withdraw/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "waiting"


def test_the_patient_chooses_another_location_for_the_next_session(me, world, make_persona):
    """A course may move between locations when the patient asks (decisions 0712, 0713)."""
    from needlepoint.scheduling.models import Appointment
    from tests.locations import add_chicago

    add_chicago([make_persona("cleo", "aesthetician").user])
    first = me.get(url(world)).content.decode()
    assert 'name="location"' in first and "Needlepoint Chicago" in first
    html = me.get(url(world) + "?location=chicago&day=2027-03-17").content.decode()
    assert "At Needlepoint Chicago" in html and "200 West Loop Street" in html
    assert "Times are local to Needlepoint Chicago" in html
    chosen = offered(html)[0]
    assert chosen.startswith("2027-03-17T09:00:00-05:00")  # 9:00 am in Chicago (CDT)
    assert "9:00 am with" in html
    response = me.post(url(world), {"start": chosen, "day": "2027-03-17", "location": "chicago"})
    assert response.status_code == 302, response.content.decode()[:800]
    booked = Appointment.objects.select_related("location").get(
        patient=world.patient, plan_session=4
    )
    assert booked.location.slug == "chicago"
