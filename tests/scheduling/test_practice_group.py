"""Practice groups (issue #15): each location offers its own services, for its own duration;
a service not offered at a location can't be booked there by anyone; and a course may move
between locations when the patient asks, keeping the plan's spacing (decisions 0710, 0713)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.locations import add_chicago, set_terms, stop_offering
from tests.scheduling.test_treatments_and_courses import consultation, plan  # noqa: F401

pytestmark = pytest.mark.django_db

TREATMENT = "microneedling-face"
WEDNESDAY_3_NY = "2027-03-03T09:00:00-05:00"
TUESDAY_9_CHI = "2027-03-09T10:00:00-06:00"


@pytest.fixture
def chicago(clinic, make_persona):
    cleo = make_persona("cleo", "aesthetician")
    return add_chicago([cleo.user])


def test_a_service_not_offered_at_a_location_is_refused_there_by_staff_and_online(
    chicago, book, api
):
    from needlepoint.scheduling.models import Appointment

    stop_offering("consultation", chicago)
    response = book(TUESDAY_9_CHI, "consultation", location="chicago")
    assert response.status_code == 422, response.content
    error = response.json()["errors"][0]
    assert error["field"] == "service"
    assert "not offered at Needlepoint Chicago" in error["message"]
    free = api().get(
        "/availability",
        service="consultation",
        location="chicago",
        start="2027-03-08",
        end="2027-03-10",
    )
    assert free.status_code == 422
    assert free.json()["errors"][0]["field"] == "service"
    # Still offered where it was.
    assert book("2027-03-09T10:00:00-05:00", "consultation", location="main").status_code == 201
    assert list(Appointment.objects.values_list("location__slug", flat=True)) == ["main"]


def test_the_duration_in_force_at_the_location_sets_the_end_and_the_busy_time(chicago, book):
    set_terms("consultation", chicago, minutes=45, price=Decimal("90.00"))
    there = book(TUESDAY_9_CHI, "consultation", location="chicago")
    assert there.status_code == 201, there.content
    assert there.json()["end"] == "2027-03-09T10:45:00-06:00"
    here = book("2027-03-09T10:00:00-05:00", "consultation", location="main")
    assert here.json()["end"] == "2027-03-09T10:30:00-05:00"  # the service's own 30 minutes


def test_free_times_at_a_location_follow_its_duration(chicago):
    from django.utils import timezone

    from needlepoint.clinic.models import Service
    from needlepoint.scheduling.selectors import available_slots

    service = Service.objects.get(slug="consultation")
    set_terms("consultation", chicago, minutes=8 * 60)  # the whole working day
    slots = available_slots(
        service=service,
        location=chicago,
        start_date=date(2027, 3, 9),
        end_date=date(2027, 3, 9),
        now=timezone.now(),
    )
    assert [s.start.astimezone(chicago.zone).hour for s in slots] == [9]


def test_the_locations_api_says_hours_and_map_and_each_locations_services(chicago, api):
    set_terms("consultation", chicago, minutes=45, price=Decimal("90.00"))
    stop_offering("microneedling-body", chicago)
    located = {row["slug"]: row for row in api().get("/locations").json()}
    assert located["chicago"]["opening_hours"] == "Monday to Friday, 9:00 am to 5:00 pm"
    assert located["chicago"]["map_url"].startswith("https://www.openstreetmap.org/search?")
    offered = {row["slug"]: row for row in api().get("/locations/chicago/services").json()}
    assert offered["consultation"]["duration_minutes"] == 45
    assert offered["consultation"]["price"] in ("90.00", 90.0, "90")
    assert "microneedling-body" not in offered
    at_main = {r["slug"]: r for r in api().get("/locations/main/services").json()}
    assert at_main["consultation"]["duration_minutes"] == 30
    assert "microneedling-body" in at_main


def test_a_later_session_is_booked_at_another_location(plan, chicago, book):  # noqa: F811
    first = book(WEDNESDAY_3_NY, TREATMENT, location="main")
    assert first.status_code == 201, first.content
    later = book("2027-03-31T10:00:00-05:00", TREATMENT, location="chicago")
    assert later.status_code == 201, later.content
    assert later.json()["plan_session"] == 2
    assert later.json()["room"] == "chi-treatment-1"


def test_the_spacing_holds_across_locations(plan, chicago, book):  # noqa: F811
    assert book(WEDNESDAY_3_NY, TREATMENT, location="main").status_code == 201
    too_soon = book("2027-03-10T10:00:00-06:00", TREATMENT, location="chicago")
    assert too_soon.status_code == 422, too_soon.content
    assert too_soon.json()["earliest_allowed"] == "2027-03-31"


def test_staff_move_a_session_to_another_location_and_the_audit_says_so(
    plan,  # noqa: F811
    chicago,
    book,
    api,
    front_desk,
):
    from needlepoint.audit.models import AuditEvent
    from needlepoint.scheduling.models import Appointment

    assert book(WEDNESDAY_3_NY, TREATMENT, location="main").status_code == 201
    second = book("2027-03-31T09:00:00-04:00", TREATMENT, location="main").json()["id"]
    moved = api(front_desk).post(
        f"/appointments/{second}/reschedule",
        {"start": "2027-04-01T10:00:00-05:00", "location": "chicago"},
    )
    assert moved.status_code == 200, moved.content
    row = Appointment.objects.select_related("location", "room", "device", "staff").get(pk=second)
    assert (row.location.slug, row.room.slug, row.device.slug) == (
        "chicago",
        "chi-treatment-1",
        "chi-pen-1",
    )
    assert row.staff.username == "cleo"
    event = AuditEvent.objects.filter(action="appointment.reschedule").latest("id")
    assert event.detail["moved_from_location"] == "main"
    assert plan.plan_sessions.get(index=2).booked_for == date(2027, 4, 1)
    # Too close to session 1 at the other location: refused as anywhere.
    refused = api(front_desk).post(
        f"/appointments/{second}/reschedule",
        {"start": "2027-03-10T10:00:00-06:00", "location": "chicago"},
    )
    assert refused.status_code == 422, refused.content


def test_a_move_to_a_location_not_offering_the_service_is_refused(
    plan,  # noqa: F811
    chicago,
    book,
    api,
    front_desk,
):
    from needlepoint.scheduling.models import Appointment

    first = book(WEDNESDAY_3_NY, TREATMENT, location="main").json()["id"]
    stop_offering(TREATMENT, chicago)
    refused = api(front_desk).post(
        f"/appointments/{first}/reschedule",
        {"start": "2027-03-04T10:00:00-06:00", "location": "chicago"},
    )
    assert refused.status_code == 422, refused.content
    assert refused.json()["errors"][0]["field"] == "service"
    assert Appointment.objects.get(pk=first).location.slug == "main"


def test_a_course_is_booked_at_another_location_than_its_first_session(
    plan,  # noqa: F811
    chicago,
    book,
    api,
    front_desk,
):
    assert book(WEDNESDAY_3_NY, TREATMENT, location="main").status_code == 201
    response = api(front_desk).post(
        f"/plans/{plan.pk}/book", {"service": TREATMENT, "location": "chicago"}
    )
    assert response.status_code == 201, response.content
    sessions = response.json()["appointments"]
    assert [s["plan_session"] for s in sessions] == [2, 3]
    assert {s["room"] for s in sessions} == {"chi-treatment-1"}
    assert sessions[0]["start"][:10] >= "2027-03-31"  # 4 weeks after session 1 in New York


def test_a_course_at_a_location_not_offering_the_treatment_is_refused(
    plan,  # noqa: F811
    chicago,
    api,
    front_desk,
):
    stop_offering(TREATMENT, chicago)
    response = api(front_desk).post(
        f"/plans/{plan.pk}/book", {"service": TREATMENT, "location": "chicago"}
    )
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["field"] == "service"


def test_the_staff_page_moves_a_visit_to_another_location(
    plan,  # noqa: F811
    chicago,
    book,
    front_desk,
    staff_client,
):
    from needlepoint.scheduling.models import Appointment

    first = book(WEDNESDAY_3_NY, TREATMENT, location="main").json()["id"]
    client = staff_client(front_desk)
    page = client.get(f"/staff/calendar/appointments/{first}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="location"' in html and "Needlepoint Chicago" in html
    shown = client.get(
        f"/staff/calendar/appointments/{first}/", {"location": "chicago", "date": "2027-03-04"}
    ).content.decode()
    assert "Cleo" in shown
    start = "2027-03-04T10:00:00-06:00"
    moved = client.post(
        f"/staff/calendar/appointments/{first}/",
        {"location": "chicago", "date": "2027-03-04", "start": start},
    )
    assert moved.status_code == 302, moved.content.decode()[:2000]
    assert Appointment.objects.get(pk=first).location.slug == "chicago"
