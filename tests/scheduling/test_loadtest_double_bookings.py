"""The load test's after-check finds double bookings (SQLite: nothing refuses them there)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from needlepoint.site.bench.load_checks import count_double_bookings

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_only]

NINE = datetime(2027, 3, 2, 14, 0, tzinfo=UTC)


def _row(clinic, patient, staff, room, device, start, status="booked"):
    from needlepoint.clinic.models import Service
    from needlepoint.scheduling.models import Appointment

    return Appointment.objects.create(
        patient=patient,
        service=Service.objects.get(slug="microneedling-face"),
        location=clinic,
        staff=staff,
        room=room,
        device=device,
        start=start,
        end=start + timedelta(minutes=60),
        busy_until=start + timedelta(minutes=75),
        booked_via="staff",
        status=status,
    )


@pytest.fixture
def rooms_and_pens(clinic):
    from needlepoint.clinic.models import Device, Room

    return (
        Room.objects.get(slug="treatment-1"),
        Room.objects.get(slug="treatment-2"),
        Device.objects.get(slug="micropen-1"),
        Device.objects.get(slug="micropen-2"),
    )


def test_separate_resources_and_back_to_back_times_are_not_double_bookings(
    clinic, rooms_and_pens, patient, aesthetician, physician
):
    t1, t2, pen1, pen2 = rooms_and_pens
    _row(clinic, patient.patient, aesthetician.user, t1, pen1, NINE)
    _row(clinic, patient.patient, physician.user, t2, pen2, NINE)
    _row(clinic, patient.patient, aesthetician.user, t1, pen1, NINE + timedelta(minutes=75))
    assert count_double_bookings() == 0


@pytest.mark.parametrize("shared", ["staff", "room", "pen"])
def test_a_shared_staff_member_room_or_pen_at_overlapping_times_is_found(
    clinic, rooms_and_pens, patient, aesthetician, physician, shared
):
    t1, t2, pen1, pen2 = rooms_and_pens
    _row(clinic, patient.patient, aesthetician.user, t1, pen1, NINE)
    _row(
        clinic,
        patient.patient,
        aesthetician.user if shared == "staff" else physician.user,
        t1 if shared == "room" else t2,
        pen1 if shared == "pen" else pen2,
        NINE + timedelta(minutes=70),  # inside the first one's buffer
    )
    assert count_double_bookings() == 1


def test_a_cancelled_appointment_does_not_count(clinic, rooms_and_pens, patient, aesthetician):
    t1, _t2, pen1, _pen2 = rooms_and_pens
    _row(clinic, patient.patient, aesthetician.user, t1, pen1, NINE)
    _row(clinic, patient.patient, aesthetician.user, t1, pen1, NINE, status="cancelled")
    assert count_double_bookings() == 0
