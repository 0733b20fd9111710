"""Busy-time reads are bounded below on the indexed start column (docs/decisions/0690), so a
booking's cost does not grow with every older appointment, and they still see an
appointment that began before the window and is busy into it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from needlepoint.domain.availability import MAX_OCCUPIED, ServiceSpec
from needlepoint.domain.errors import DomainError

pytestmark = pytest.mark.django_db

TUESDAY = date(2027, 3, 2)
# Monday 20:00 EST until Tuesday 10:00 EST: started before Tuesday, busy into it.
EVENING = datetime(2027, 3, 2, 1, 0, tzinfo=UTC)
LONG = timedelta(hours=14)


def _overnight(clinic, patient, staff):
    from needlepoint.clinic.models import Room, Service
    from needlepoint.scheduling.models import Appointment

    return Appointment.objects.create(
        patient=patient,
        service=Service.objects.get(slug="consultation"),
        location=clinic,
        staff=staff,
        room=Room.objects.get(slug="treatment-1"),
        start=EVENING,
        end=EVENING + LONG,
        busy_until=EVENING + LONG,
        booked_via="staff",
    )


def _appointment_sql(queries) -> list[str]:
    return [q["sql"] for q in queries if 'FROM "scheduling_appointment"' in q["sql"]]


def test_an_appointment_started_before_the_window_still_makes_its_resources_busy(
    clinic, patient, aesthetician
):
    from needlepoint.scheduling.selectors import booking_calendars, busy_rows

    _overnight(clinic, patient.patient, aesthetician.user)
    calendars = booking_calendars(location=clinic, start_date=TUESDAY, end_date=TUESDAY)
    aria = next(c for c in calendars.staff if c.username == "aria")
    room = next(r for r in calendars.rooms if r.slug == "treatment-1")
    assert [(i.start, i.end) for i in aria.busy] == [(EVENING, EVENING + LONG)]
    assert [(i.start, i.end) for i in room.busy] == [(EVENING, EVENING + LONG)]
    window = datetime(2027, 3, 2, 5, 0, tzinfo=UTC)
    assert len(busy_rows(location=clinic, start=window, end=window + timedelta(days=1))) == 1


def test_busy_time_reads_carry_a_lower_bound_on_start(clinic, patient, aesthetician):
    from needlepoint.scheduling.selectors import booking_calendars

    _overnight(clinic, patient.patient, aesthetician.user)
    with CaptureQueriesContext(connection) as captured:
        booking_calendars(location=clinic, start_date=TUESDAY, end_date=TUESDAY)
    (sql,) = _appointment_sql(captured.captured_queries)
    assert '"start" >=' in sql


def test_the_patient_overlap_check_carries_a_lower_bound_on_start(clinic, patient, aesthetician):
    from needlepoint.scheduling.services.placing import _patient_busy

    _overnight(clinic, patient.patient, aesthetician.user)
    with CaptureQueriesContext(connection) as captured:
        busy = _patient_busy(
            patient.patient, EVENING + LONG - timedelta(hours=1), EVENING + LONG, None
        )
    assert busy
    (sql,) = _appointment_sql(captured.captured_queries)
    assert '"start" >=' in sql


def test_a_service_cannot_hold_its_resources_longer_than_the_bound():
    too_long = MAX_OCCUPIED // timedelta(minutes=1)
    with pytest.raises(DomainError):
        ServiceSpec("marathon", too_long, 1, "treatment", False, frozenset({"physician"}))
    ServiceSpec("longest", too_long - 15, 15, "treatment", False, frozenset({"physician"}))


def test_a_member_booked_at_another_location_is_busy_here_and_its_rooms_are_not(
    clinic, patient, aesthetician
):
    # The busy read tests the location first, then the staff, room and pen lists: a
    # member's booking elsewhere still makes them busy; that location's room stays out.
    from needlepoint.clinic.models import Location, Room, Service
    from needlepoint.scheduling.models import Appointment
    from needlepoint.scheduling.selectors import booking_calendars

    north = Location.objects.create(slug="north", name="North", time_zone="America/New_York")
    far_room = Room.objects.create(location=north, slug="north-1", name="N1", kind="treatment")
    start = datetime(2027, 3, 2, 15, 0, tzinfo=UTC)
    Appointment.objects.create(
        patient=patient.patient,
        service=Service.objects.get(slug="consultation"),
        location=north,
        staff=aesthetician.user,
        room=far_room,
        start=start,
        end=start + timedelta(hours=1),
        busy_until=start + timedelta(hours=1),
        booked_via="staff",
    )
    calendars = booking_calendars(location=clinic, start_date=TUESDAY, end_date=TUESDAY)
    aria = next(c for c in calendars.staff if c.username == "aria")
    assert [(i.start, i.end) for i in aria.busy] == [(start, start + timedelta(hours=1))]
    assert all(not r.busy for r in calendars.rooms)
    assert "north-1" not in {r.slug for r in calendars.rooms}
