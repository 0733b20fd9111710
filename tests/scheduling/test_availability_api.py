from __future__ import annotations

from datetime import date

import pytest
import time_machine

pytestmark = pytest.mark.django_db


def test_availability_lists_slots_with_local_offsets_for_the_public(clinic, api, aesthetician):
    response = api().get(
        "/availability", service="consultation", start="2027-03-02", end="2027-03-02"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["timezone"] == "America/New_York"
    first = body["slots"][0]
    assert first == {
        "start": "2027-03-02T09:00:00-05:00",
        "end": "2027-03-02T09:30:00-05:00",
        "staff": aesthetician.user.public_id,  # never the sign-in name
        "staff_name": "Aria",
        "room": "consult-1",
        "device": None,
    }
    # 09:00 to 16:30 every 15 minutes, one slot per start.
    assert len(body["slots"]) == 31
    assert body["slots"][-1]["start"] == "2027-03-02T16:30:00-05:00"


def test_a_treatment_slot_names_its_pen_and_keeps_the_buffer_inside_hours(clinic, api, front_desk):
    response = api(front_desk).get(
        "/availability", service="microneedling-face", start="2027-03-02", end="2027-03-02"
    )
    slots = response.json()["slots"]
    assert slots[0]["device"] == "micropen-1"
    assert slots[0]["room"] == "treatment-1"
    # 60 minutes plus 15 of buffer must end by 17:00: the last start is 15:45.
    assert slots[-1]["start"] == "2027-03-02T15:45:00-05:00"
    assert slots[-1]["end"] == "2027-03-02T16:45:00-05:00"


def test_slots_stay_at_nine_local_across_the_spring_dst_change(clinic, api):
    response = api().get(
        "/availability", service="consultation", start="2027-03-12", end="2027-03-15"
    )
    starts = [s["start"] for s in response.json()["slots"]]
    firsts = sorted({s[:10]: s for s in reversed(starts)}.values())
    assert firsts == [
        "2027-03-12T09:00:00-05:00",
        "2027-03-15T09:00:00-04:00",
    ]


def test_the_public_cannot_see_slots_for_services_not_booked_online(clinic, api):
    response = api().get(
        "/availability", service="microneedling-face", start="2027-03-02", end="2027-03-02"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "service"


def test_staff_see_slots_for_any_service(clinic, api, aesthetician):
    response = api(aesthetician).get(
        "/availability", service="follow-up", start="2027-03-02", end="2027-03-02"
    )
    assert response.status_code == 200
    assert response.json()["slots"]


def test_a_staff_preference_lists_only_that_staff_member(clinic, api, physician):
    public_id = physician.user.public_id
    response = api().get(
        "/availability",
        service="consultation",
        start="2027-03-02",
        end="2027-03-02",
        staff=public_id,
    )
    assert {s["staff"] for s in response.json()["slots"]} == {public_id}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2027-02-30", "end": "2027-03-02"}, "start"),
        ({"start": "2027-03-02", "end": "tomorrow"}, "end"),
        ({"start": "2027-03-05", "end": "2027-03-02"}, "end"),
        ({"start": "2027-03-01", "end": "2027-06-01"}, "end"),
        ({"start": "2027-03-01"}, "end"),
        ({"start": "2027-03-01", "end": "2027-03-02", "location": "nowhere"}, "location"),
        ({"start": "2027-03-01", "end": "2027-03-02", "staff": "nobody"}, "staff"),
        ({"start": "2027-03-01", "end": "2027-03-02", "service": "botox"}, "service"),
    ],
)
def test_bad_availability_queries_are_422_naming_the_field(clinic, api, params, field):
    response = api().get("/availability", **{"service": "consultation", **params})
    assert response.status_code == 422, response.content
    assert field in [e["field"] for e in response.json()["errors"]]


def test_a_bad_token_on_availability_is_401_not_public(clinic, client):
    response = client.get(
        "/api/v1/availability",
        {"service": "consultation", "start": "2027-03-02", "end": "2027-03-02"},
        headers={"Authorization": "Bearer nope"},
    )
    assert response.status_code == 401


def test_existing_bookings_and_their_buffers_are_busy(clinic, api, book, physician):
    from needlepoint.clinic.models import Service

    Service.objects.create(
        slug="peel",
        name="Peel",
        duration_minutes=30,
        buffer_after_minutes=15,
        room_kind="consultation",
        performer_roles=["aesthetician", "physician"],
    )
    assert book("2027-03-02T09:00:00-05:00", "peel").status_code == 201
    response = api(physician).get(
        "/availability", service="consultation", start="2027-03-02", end="2027-03-02"
    )
    # The only consultation room is held 09:00-09:45 (30 minutes and the 15-minute buffer).
    assert response.json()["slots"][0]["start"] == "2027-03-02T09:45:00-05:00"


def test_no_slots_are_offered_in_the_past_or_within_the_notice(clinic, api):
    with time_machine.travel("2027-03-02T15:00:00+00:00", tick=False):  # 10:00 local
        response = api().get(
            "/availability", service="consultation", start="2027-03-02", end="2027-03-03"
        )
    starts = [s["start"] for s in response.json()["slots"]]
    # Patients need 12 hours' notice: nothing before 22:00 today, so the 3rd from 09:00.
    assert starts[0] == "2027-03-03T09:00:00-05:00"
    assert date(2027, 3, 2).isoformat() not in {s[:10] for s in starts}
