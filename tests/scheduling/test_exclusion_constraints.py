"""On PostgreSQL the database itself refuses a double booking, whatever the code does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_only]

NINE = datetime(2027, 3, 2, 14, 0, tzinfo=UTC)


def _row(clinic, patient, staff, room, device=None, start=NINE, minutes=60, buffer=15, **extra):
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
        end=start + timedelta(minutes=minutes),
        busy_until=start + timedelta(minutes=minutes + buffer),
        booked_via="staff",
        **extra,
    )


@pytest.fixture
def resources(clinic):
    from needlepoint.clinic.models import Device, Room

    return {
        "t1": Room.objects.get(slug="treatment-1"),
        "t2": Room.objects.get(slug="treatment-2"),
        "pen1": Device.objects.get(slug="micropen-1"),
        "pen2": Device.objects.get(slug="micropen-2"),
    }


def test_the_same_staff_member_overlapping_is_refused_by_the_database(
    clinic, resources, patient, aesthetician
):
    _row(clinic, patient.patient, aesthetician.user, resources["t1"], resources["pen1"])
    with pytest.raises(IntegrityError, match="appt_no_double_booked_staff"), transaction.atomic():
        _row(
            clinic,
            patient.patient,
            aesthetician.user,
            resources["t2"],
            resources["pen2"],
            start=NINE + timedelta(minutes=30),
        )


def test_the_same_room_inside_the_buffer_is_refused(
    clinic, resources, patient, aesthetician, physician
):
    _row(clinic, patient.patient, aesthetician.user, resources["t1"])
    with pytest.raises(IntegrityError, match="appt_no_double_booked_room"), transaction.atomic():
        # 10:00 is after the end (10:00) but inside the buffer (until 10:15).
        _row(
            clinic,
            patient.patient,
            physician.user,
            resources["t1"],
            start=NINE + timedelta(hours=1),
        )


def test_the_same_pen_overlapping_is_refused(clinic, resources, patient, aesthetician, physician):
    _row(clinic, patient.patient, aesthetician.user, resources["t1"], resources["pen1"])
    with pytest.raises(IntegrityError, match="appt_no_double_booked_device"), transaction.atomic():
        _row(clinic, patient.patient, physician.user, resources["t2"], resources["pen1"])


def test_touching_bookings_and_cancelled_ones_do_not_conflict(
    clinic, resources, patient, aesthetician
):
    from needlepoint.scheduling.models import Appointment

    first = _row(clinic, patient.patient, aesthetician.user, resources["t1"], resources["pen1"])
    _row(
        clinic,
        patient.patient,
        aesthetician.user,
        resources["t1"],
        resources["pen1"],
        start=first.busy_until,
    )
    Appointment.objects.filter(pk=first.pk).update(status="cancelled")
    _row(clinic, patient.patient, aesthetician.user, resources["t1"], resources["pen1"])
    assert Appointment.objects.filter(status="booked").count() == 2
