"""Simultaneous bookings of one start with the room and pen left to the clinic (issue #16).

Each booking names its own clinician; the room and pen are the first free ones. Before the
fix every booking chose the same first free room, all but one lost the exclusion-constraint
race, and after three attempts a quarter of them were refused (409 "slot taken") although
other rooms were free. Now N bookings for N free rooms all succeed, and one more gets
exactly one 409 that says what to do instead, on PostgreSQL (threads, one connection each)
as on SQLite (IMMEDIATE transactions serialise them).
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from typing import Any

import pytest
from django.db import connection

from needlepoint.accounts.models import User
from needlepoint.clinic.models import Device, Location, Room, Service, WorkingHours
from needlepoint.core.errors import Conflict
from needlepoint.patients.models import Patient
from needlepoint.scheduling import services
from needlepoint.scheduling.models import Appointment, AppointmentStatus

ROOMS = 8
NOW = datetime(2031, 3, 3, 12, 0, tzinfo=UTC)  # a Monday, 07:00 in New York
START = datetime(2031, 3, 4, 15, 0, tzinfo=UTC)  # Tuesday 10:00 local


def _clinic(clinicians: int) -> tuple[Location, Service, list[User], list[Patient]]:
    location = Location.objects.create(slug="race", name="Race", time_zone="America/New_York")
    Room.objects.bulk_create(
        Room(location=location, slug=f"room-{i:02}", name=f"Room {i}", kind="treatment")
        for i in range(ROOMS)
    )
    # A pen more than rooms: the rooms are what runs out.
    Device.objects.bulk_create(
        Device(location=location, slug=f"pen-{i:02}", model_name="Pen", serial_number=f"R{i}")
        for i in range(ROOMS + 1)
    )
    service = Service.objects.create(
        slug="race-needling",
        name="Race needling",
        duration_minutes=60,
        buffer_after_minutes=15,
        room_kind="treatment",
        needs_device=True,
        performer_roles=["aesthetician"],
    )
    staff = User.objects.bulk_create(
        User(username=f"clinician-{i:02}", role="aesthetician") for i in range(clinicians)
    )
    WorkingHours.objects.bulk_create(
        WorkingHours(
            staff=member, location=location, weekday=day, start_time=clock(8), end_time=clock(18)
        )
        for member in staff
        for day in range(7)
    )
    patients = Patient.objects.bulk_create(
        Patient(given_name=f"P{i}", family_name="Race", date_of_birth="1990-01-01")
        for i in range(clinicians)
    )
    return location, service, staff, patients


def _book_at_once(clinicians: int) -> tuple[Counter[str], list[Conflict]]:
    location, service, staff, patients = _clinic(clinicians)
    barrier = threading.Barrier(clinicians)
    outcomes: Counter[str] = Counter()
    conflicts: list[Conflict] = []
    lock = threading.Lock()

    def one(member: User, patient: Patient) -> None:
        try:
            barrier.wait()
            services.appointment_book(
                actor=None,
                patient=patient,
                service=service,
                start=START,
                location=location,
                staff_username=member.username,
                now=NOW,
            )
            outcome = "booked"
        except Conflict as refused:
            outcome = "409"
            with lock:
                conflicts.append(refused)
        except Exception as error:
            outcome = f"error: {error!r}"
        finally:
            if connection.vendor != "sqlite":
                connection.close()  # this thread's own connection
        with lock:
            outcomes[outcome] += 1

    if connection.vendor == "sqlite":
        # The in-memory test database is one connection; IMMEDIATE transactions serialise
        # bookings there anyway, so they run one after the other.
        barrier = threading.Barrier(1)
        for member, patient in zip(staff, patients, strict=True):
            one(member, patient)
    else:
        threads = [
            threading.Thread(target=one, args=pair) for pair in zip(staff, patients, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return outcomes, conflicts


def _rooms_used() -> Counter[Any]:
    return Counter(
        Appointment.objects.filter(status=AppointmentStatus.BOOKED).values_list(
            "room__slug", flat=True
        )
    )


@pytest.mark.django_db(transaction=True)
def test_as_many_simultaneous_bookings_as_free_rooms_all_succeed():
    outcomes, _ = _book_at_once(ROOMS)

    assert outcomes == {"booked": ROOMS}, outcomes
    assert len(_rooms_used()) == ROOMS  # each in its own room, none twice


@pytest.mark.django_db(transaction=True)
def test_one_booking_more_than_free_rooms_gets_one_409_saying_what_to_do():
    outcomes, conflicts = _book_at_once(ROOMS + 1)

    assert outcomes == {"booked": ROOMS, "409": 1}, outcomes
    assert set(_rooms_used().values()) == {1}
    (refused,) = conflicts
    assert refused.code == "no_room"
    assert "no treatment room is free" in refused.message
    assert "Choose" in refused.message  # what to do instead
    assert refused.extra["alternatives"], "the 409 offers other times"
    later = START + timedelta(minutes=75)
    assert any(
        datetime.fromisoformat(alt["start"]) >= later for alt in refused.extra["alternatives"]
    )


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_without_the_location_lock_a_lost_race_moves_on_to_the_next_free_room(monkeypatch):
    """The second defence, for races the location lock cannot order (a clinician shared by
    two locations): each booking that lost leaves out the room or pen it lost and retries,
    bounded by the candidates, instead of giving up after three attempts."""
    from needlepoint.scheduling.services import placing

    monkeypatch.setattr(placing, "chain_take", lambda chain: None)
    outcomes, _ = _book_at_once(ROOMS)

    assert outcomes == {"booked": ROOMS}, outcomes
    assert len(_rooms_used()) == ROOMS
