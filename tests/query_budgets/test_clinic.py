"""The clinic's own lists: services, locations, rooms and pens (one per row)."""

from __future__ import annotations

from typing import Any

from needlepoint.clinic.models import Device, Location, Room, RoomKind, Service

from .builders import counts, pinned


def _rooms_and_pens(i: int) -> None:
    location = Location.objects.get(slug="main")
    Room.objects.create(
        location=location, slug=f"room-{i}", name=f"Room {i}", kind=RoomKind.TREATMENT
    )
    Device.objects.create(
        location=location, slug=f"pen-{i}", model_name="Pen", serial_number=f"SN-{i}"
    )


def _services_and_locations(i: int) -> None:
    Service.objects.create(
        slug=f"service-{i}",
        name=f"Service {i}",
        duration_minutes=30,
        room_kind=RoomKind.CONSULTATION,
        online_booking=True,
    )
    Location.objects.create(slug=f"site-{i}", name=f"Site {i}", time_zone="America/Chicago")


def test_service_list_endpoint_runs_the_same_queries_for_1_and_20_services(
    clinic: Any, api: Any
) -> None:
    client = api(None)
    result = counts(_services_and_locations, lambda: client.get("/services"))
    assert result == pinned(1)  # the services


def test_location_list_endpoint_runs_the_same_queries_for_1_and_20_locations(
    clinic: Any, api: Any
) -> None:
    client = api(None)
    result = counts(_services_and_locations, lambda: client.get("/locations"))
    assert result == pinned(2)  # the locations, and the working hours of all of them (0711)


def test_room_list_endpoint_runs_the_same_queries_for_1_and_20_rooms(
    clinic: Any, front_desk: Any, api: Any
) -> None:
    client = api(front_desk)
    result = counts(_rooms_and_pens, lambda: client.get("/locations/main/rooms"))
    # +1: the user's location grants, read once per request (decision 0700)
    assert result == pinned(4)  # token + location + its rooms


def test_pen_list_endpoint_runs_the_same_queries_for_1_and_20_pens(
    clinic: Any, front_desk: Any, api: Any
) -> None:
    client = api(front_desk)
    result = counts(_rooms_and_pens, lambda: client.get("/locations/main/devices"))
    # +1: the user's location grants, read once per request (decision 0700)
    assert result == pinned(4)  # token + location + its pens
