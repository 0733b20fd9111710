"""The location dimension of the authorisation matrix (docs/roles.md, decision 0700).

Two locations, A (main) and B (uptown). Staff granted only A get 404 for every endpoint and
page that takes B or an object bound to B, and an answer (not 404) for A's; group-wide staff
reach both. Patients' records are shared by the group, so they stay readable everywhere.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine

NOW = datetime(2027, 3, 1, 13, 0, tzinfo=UTC)  # Monday 08:00 in New York


@pytest.fixture
def world(db: None, make_persona: Any, patient: Any) -> Any:
    from needlepoint.clinic.models import (
        CartridgeLot,
        Closure,
        Device,
        Location,
        Room,
        RoomKind,
        Service,
    )
    from needlepoint.demo.clinic import ensure_location, ensure_services, ensure_working_hours
    from needlepoint.scheduling.models import Appointment, BookedVia
    from needlepoint.waitlist.models import WaitlistEntry

    with time_machine.travel(NOW, tick=False):
        a = ensure_location()
        ensure_services()
        b = Location.objects.create(slug="uptown", name="Uptown", time_zone="America/New_York")
        room_b = Room.objects.create(
            location=b, slug="uptown-1", name="Uptown room", kind=RoomKind.TREATMENT
        )
        pen_b = Device.objects.create(
            location=b, slug="uptown-pen", model_name="Pen", serial_number="UP-1"
        )
        people = {
            "clerk_a": make_persona("clerk_a", "front_desk", locations=[a]),
            "clinician_a": make_persona("clinician_a", "aesthetician", locations=[a]),
            "physician_a": make_persona("physician_a", "physician", locations=[a]),
            "admin_a": make_persona("admin_a", "clinic_admin", locations=[a]),
            "clerk_group": make_persona("clerk_group", "front_desk"),
            "group_admin": make_persona("group_admin", "clinic_admin"),
            "clinician_b": make_persona("clinician_b", "aesthetician", locations=[b]),
        }
        ensure_working_hours(a, [people["clinician_a"].user])
        ensure_working_hours(b, [people["clinician_b"].user])
        service = Service.objects.get(slug="consultation")
        start = NOW + timedelta(days=1, hours=2)

        def appointment(location: Any, room: Any, who: Any, hours: int) -> Any:
            begins = start + timedelta(hours=hours)
            return Appointment.objects.create(
                patient=patient.patient,
                service=service,
                location=location,
                staff=who.user,
                room=room,
                start=begins,
                end=begins + timedelta(minutes=30),
                busy_until=begins + timedelta(minutes=30),
                booked_via=BookedVia.STAFF,
            )

        room_a = Room.objects.filter(location=a).first()
        lots = {}
        for where, lot in ((a, "LOT-A"), (b, "LOT-B")):
            lots[where.slug] = CartridgeLot.objects.create(
                location=where,
                product="Cartridge",
                ref="REF-1",
                lot=lot,
                expiry=date(2028, 1, 1),
                quantity_received=10,
                received_on=date(2027, 2, 1),
            )
        waiting = {
            where.slug: WaitlistEntry.objects.create(
                patient=patient.patient, service=service, location=where
            )
            for where in (a, b)
        }
        return {
            "a": a,
            "b": b,
            "people": people,
            "appointments": {
                "main": appointment(a, room_a, people["clinician_a"], 0),
                "uptown": appointment(b, room_b, people["clinician_b"], 0),
            },
            "rooms": {"main": room_a, "uptown": room_b},
            "pens": {"main": Device.objects.filter(location=a).first(), "uptown": pen_b},
            "closures": {
                where.slug: Closure.objects.create(
                    location=where, date=date(2027, 12, 25), reason="Holiday"
                )
                for where in (a, b)
            },
            "lots": lots,
            "waiting": waiting,
        }


@pytest.fixture
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_a_clerk_at_A_reading_Bs_day_is_404(world, staff_client, frozen):
    client = staff_client(world["people"]["clerk_a"])
    assert client.get("/staff/calendar/?location=uptown").status_code == 404
    assert client.get("/staff/calendar/?location=main").status_code == 200


def test_a_group_wide_clerk_reads_both_days(world, staff_client, frozen):
    client = staff_client(world["people"]["clerk_group"])
    assert client.get("/staff/calendar/?location=uptown").status_code == 200
    assert client.get("/staff/calendar/?location=main").status_code == 200


# (method, path template, persona granted only A, body); {slug}, {appointment}, {room}, ...
# are filled in with A's object, then with B's.
API_BY_LOCATION = [
    ("GET", "/locations/{slug}/rooms", "clerk_a", None),
    ("GET", "/locations/{slug}/devices", "clerk_a", None),
    (
        "GET",
        "/availability?service=consultation&location={slug}&start=2027-03-02&end=2027-03-03",
        "clerk_a",
        None,
    ),
    ("GET", "/appointments/{appointment}", "clerk_a", None),
    (
        "POST",
        "/appointments/{appointment}/reschedule",
        "clerk_a",
        {"start": "2027-03-04T15:00:00Z"},
    ),
    ("POST", "/appointments/{appointment}/no-show", "clerk_a", {}),
    ("GET", "/appointments/{appointment}/treatment", "clinician_a", None),
    ("POST", "/waitlist/{waiting}/withdraw", "clerk_a", {}),
    ("POST", "/appointments/{appointment}/cancel", "clerk_a", {"reason": "asked"}),
]


def _filled(path: str, world: Any, slug: str) -> str:
    return path.format(
        slug=slug,
        appointment=world["appointments"][slug].pk,
        waiting=world["waiting"][slug].pk,
    )


def _call(client: Any, method: str, path: str, body: Any) -> Any:
    return client.get(path) if method == "GET" else client.post(path, body)


@pytest.mark.parametrize("endpoint", API_BY_LOCATION, ids=lambda e: f"{e[0]} {e[1][:40]}")
def test_api_a_user_granted_only_A_gets_404_for_Bs_and_an_answer_for_As(
    endpoint, world, api, frozen
):
    method, path, who, body = endpoint
    client = api(world["people"][who])
    refused = _call(client, method, _filled(path, world, "uptown"), body)
    assert refused.status_code == 404, refused.content
    answered = _call(client, method, _filled(path, world, "main"), body)
    assert answered.status_code != 404, answered.content


@pytest.mark.parametrize("endpoint", API_BY_LOCATION[:4], ids=lambda e: e[1][:40])
def test_api_a_group_wide_user_reaches_both(endpoint, world, api, frozen):
    method, path, _, body = endpoint
    client = api(world["people"]["clerk_group"])
    for slug in ("uptown", "main"):
        answer = _call(client, method, _filled(path, world, slug), body)
        assert answer.status_code == 200, answer.content


def test_booking_at_B_is_404_for_a_clerk_at_A(world, api, patient, frozen):
    body = {
        "service": "consultation",
        "start": "2027-03-02T15:00:00Z",
        "patient": patient.patient.pk,
        "location": "uptown",
    }
    assert api(world["people"]["clerk_a"]).post("/appointments", body).status_code == 404
    body["location"] = "main"
    assert api(world["people"]["clerk_a"]).post("/appointments", body).status_code != 404


def test_lists_show_only_the_users_locations(world, api, frozen):
    clerk = api(world["people"]["clerk_a"])
    waiting = clerk.get("/waitlist").json()
    assert [item["id"] for item in waiting["items"]] == [world["waiting"]["main"].pk]
    lots = {item["lot"] for item in clerk.get("/inventory/cartridges").json()["items"]}
    assert lots == {"LOT-A"}
    group = api(world["people"]["clerk_group"])
    assert group.get("/waitlist").json()["count"] == 2
    assert {i["lot"] for i in group.get("/inventory/cartridges").json()["items"]} == {
        "LOT-A",
        "LOT-B",
    }


def test_a_recall_finds_only_sessions_at_the_users_locations(world, api, frozen):
    answer = api(world["people"]["physician_a"]).get("/recalls?lot=LOT-B")
    assert answer.status_code == 200
    assert answer.json()["count"] == 0


# Pages: path template, persona granted only A.
PAGES_BY_LOCATION = [
    ("/staff/calendar/?location={slug}", "clerk_a"),
    ("/staff/calendar/week/?location={slug}", "clerk_a"),
    ("/staff/calendar/book/?location={slug}", "clerk_a"),
    ("/staff/calendar/appointments/{appointment}/", "clerk_a"),
    ("/staff/calendar/appointments/{appointment}/card/", "clerk_a"),
    ("/staff/calendar/appointments/{appointment}/cancel/", "clerk_a"),
    ("/staff/appointments/{appointment}/treatment/", "clinician_a"),
    ("/staff/setup/locations/{slug}/", "admin_a"),
    ("/staff/setup/rooms/{room}/", "admin_a"),
    ("/staff/reports/utilisation/?location={slug}&start=2027-02-01&end=2027-02-28", "admin_a"),
]


def _page_path(path: str, world: Any, slug: str) -> str:
    return path.format(
        slug=slug, appointment=world["appointments"][slug].pk, room=world["rooms"][slug].pk
    )


@pytest.mark.parametrize("page", PAGES_BY_LOCATION, ids=lambda p: p[0][:45])
def test_pages_a_user_granted_only_A_gets_404_for_Bs_and_200_for_As(
    page, world, staff_client, frozen
):
    path, who = page
    client = staff_client(world["people"][who])
    assert client.get(_page_path(path, world, "uptown")).status_code == 404
    assert client.get(_page_path(path, world, "main")).status_code == 200


@pytest.mark.parametrize("page", PAGES_BY_LOCATION, ids=lambda p: p[0][:45])
def test_pages_a_group_admin_reaches_both(page, world, staff_client, make_persona, frozen):
    path, who = page
    persona = world["people"]["group_admin"]
    if who == "clinician_a":
        persona = make_persona("clinician_group", "aesthetician")
    elif who == "clerk_a":
        persona = world["people"]["clerk_group"]
    client = staff_client(persona)
    for slug in ("uptown", "main"):
        assert client.get(_page_path(path, world, slug)).status_code == 200


def test_setup_lists_and_actions_stay_at_the_admins_locations(world, staff_client, frozen):
    client = staff_client(world["people"]["admin_a"])
    rooms = client.get("/staff/setup/rooms/").content.decode()
    assert "Uptown room" not in rooms and "Treatment room 1" in rooms
    pens = client.get("/staff/setup/pens/").content.decode()
    assert "uptown-pen" not in pens
    closure_b = world["closures"]["uptown"].pk
    assert client.post(f"/staff/setup/closures/{closure_b}/remove/").status_code == 404
    pen_b = world["pens"]["uptown"].pk
    answer = client.post(f"/staff/setup/pens/{pen_b}/status/", {"status": "maintenance"})
    assert answer.status_code == 404
    # A room added at B through a hand-made form is refused beside the location field.
    added = client.post(
        "/staff/setup/rooms/",
        {"location": world["b"].pk, "name": "Sneaky room", "kind": "treatment"},
    )
    assert added.status_code == 422
    from needlepoint.clinic.models import Room

    assert not Room.objects.filter(name="Sneaky room").exists()


def test_the_switcher_offers_only_the_users_locations(world, staff_client, frozen):
    client = staff_client(world["people"]["clerk_a"])
    page = client.get("/staff/calendar/").content.decode()
    assert "Uptown" not in page
    # Choosing B by hand changes nothing: the calendar stays at A.
    client.post("/staff/calendar/location/", {"location": "uptown", "next": "/staff/calendar/"})
    assert "Uptown" not in client.get("/staff/calendar/").content.decode()


def test_a_location_admin_sees_and_manages_only_their_locations_staff(world, staff_client, frozen):
    client = staff_client(world["people"]["admin_a"])
    listing = client.get("/staff/team/").content.decode()
    assert "Clerk_A" in listing and "Clinician_B" not in listing
    clinician_b = world["people"]["clinician_b"].user.pk
    assert client.get(f"/staff/team/{clinician_b}/").status_code == 404
    assert client.post(f"/staff/team/{clinician_b}/deactivate/").status_code == 404
    group_admin = staff_client(world["people"]["group_admin"])
    assert group_admin.get(f"/staff/team/{clinician_b}/").status_code == 200


def test_a_location_admins_all_locations_report_means_their_locations(world, frozen):
    from needlepoint.reports.selectors import locations_for

    assert locations_for("", world["people"]["admin_a"].user) == [world["a"]]
    assert set(locations_for("", world["people"]["group_admin"].user)) == {world["a"], world["b"]}


def test_a_location_admin_reads_only_their_own_staffs_audit_trail(world, staff_client, frozen):
    from needlepoint.audit.services import record

    record(actor=world["people"]["clinician_b"].user, action="patient.read", object_type="x")
    record(actor=world["people"]["clerk_a"].user, action="patient.read", object_type="x")
    page = staff_client(world["people"]["admin_a"]).get("/staff/audit/").content.decode()
    assert "Clerk_A" in page and "Clinician_B" not in page
    group = staff_client(world["people"]["group_admin"]).get("/staff/audit/").content.decode()
    assert "Clinician_B" in group


def test_only_a_group_admin_changes_the_groups_own_setup(world, staff_client, frozen):
    admin_a = staff_client(world["people"]["admin_a"])
    assert admin_a.get("/staff/setup/services/").status_code == 200
    refused = admin_a.post(
        "/staff/setup/locations/", {"name": "Annex", "time_zone": "America/Chicago"}
    )
    assert refused.status_code == 403
    assert admin_a.post("/staff/setup/public-pages/", {}).status_code == 403
    group = staff_client(world["people"]["group_admin"])
    added = group.post("/staff/setup/locations/", {"name": "Annex", "time_zone": "America/Chicago"})
    assert added.status_code == 302


def test_inviting_at_one_location_grants_it_in_words(world, staff_client, frozen):
    from needlepoint.accounts.models import User
    from needlepoint.clinic.access import visible_locations

    admin_a = staff_client(world["people"]["admin_a"])
    form = admin_a.get("/staff/team/invite/").content.decode()
    assert "Needlepoint Upper East Side, New York" in form and "Uptown" not in form
    assert "All locations (group)" not in form  # only a group admin grants the group
    missing = admin_a.post(
        "/staff/team/invite/",
        {"full_name": "Nora Vance", "email": "nora@example.com", "role": "front_desk"},
    )
    assert missing.status_code == 422
    assert "Tick the locations they work at." in missing.content.decode()
    done = admin_a.post(
        "/staff/team/invite/",
        {
            "full_name": "Nora Vance",
            "email": "nora@example.com",
            "role": "front_desk",
            "locations": [world["a"].pk],
        },
    )
    assert done.status_code == 302
    nora = User.objects.get(email="nora@example.com")
    assert list(visible_locations(nora)) == [world["a"]]
    page = admin_a.get(f"/staff/team/{nora.pk}/").content.decode()
    assert "Works at" in page and "Needlepoint Upper East Side, New York" in page


def test_a_group_admin_grants_all_locations_from_the_member_page(world, staff_client, frozen):
    from needlepoint.clinic.access import is_group_wide

    clerk = world["people"]["clerk_a"].user
    group = staff_client(world["people"]["group_admin"])
    assert "All locations (group)" in group.get(f"/staff/team/{clerk.pk}/").content.decode()
    saved = group.post(f"/staff/team/{clerk.pk}/locations/", {"group_wide": "on"}, follow=True)
    assert "now works at: all locations (group)" in saved.content.decode()
    assert is_group_wide(clerk)


def test_the_grid_feed_and_its_buttons_refuse_B_for_a_clerk_at_A(world, staff_client, frozen):
    client = staff_client(world["people"]["clerk_a"])
    assert client.get("/staff/calendar/feed/?location=uptown").status_code == 404
    assert client.get("/staff/calendar/feed/?location=main").status_code == 200
    at_b = world["appointments"]["uptown"].pk
    for action in ("check-in", "no-show", "complete"):
        answer = client.post(f"/staff/calendar/appointments/{at_b}/{action}/")
        assert answer.status_code == 404, action
    moved = client.post(
        f"/staff/calendar/appointments/{at_b}/move/",
        '{"start": "2027-03-02T11:00", "resource": "room-1"}',
        content_type="application/json",
    )
    assert moved.status_code == 404
