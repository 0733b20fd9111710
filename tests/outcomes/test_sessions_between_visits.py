"""Sessions between two visits: completed treatment appointments only, local dates."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from needlepoint.outcomes import selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def appointments(aesthetician, patient):
    from needlepoint.clinic.models import Room, Service
    from needlepoint.demo.clinic import ensure_location, ensure_services
    from needlepoint.scheduling.models import Appointment

    location = ensure_location()
    ensure_services()
    treatment = Service.objects.filter(is_treatment=True).first()
    consultation = Service.objects.filter(is_treatment=False).first()
    room = Room.objects.first()

    def add(day: date, service, status: str) -> None:
        # 23:30 local is already the next day in UTC: the local date must count.
        start = datetime.combine(day, time(23, 30), tzinfo=location.zone)
        Appointment.objects.create(
            patient=patient.patient,
            service=service,
            location=location,
            staff=aesthetician.user,
            room=room,
            start=start,
            end=start + timedelta(minutes=60),
            busy_until=start + timedelta(minutes=75),
            status=status,
            booked_via="staff",
        )

    add(date(2026, 2, 2), treatment, "completed")
    add(date(2026, 3, 2), treatment, "completed")
    add(date(2026, 6, 1), treatment, "completed")  # the later visit's own day: not yet shown
    add(date(2026, 2, 16), treatment, "cancelled")
    add(date(2026, 1, 20), consultation, "completed")
    return patient.patient


def test_only_completed_treatments_before_the_later_visit_count(appointments):
    count = selectors.sessions_between_dates(appointments, date(2026, 1, 5), date(2026, 6, 1))
    assert (count.count, count.note) == (2, "")


def test_the_order_of_the_two_visits_does_not_matter(appointments):
    assert (
        selectors.sessions_between_dates(appointments, date(2026, 6, 2), date(2026, 2, 2)).count
        == 3
    )


def test_the_report_groups_by_those_sessions(appointments, aesthetician):
    from needlepoint.outcomes import services

    for on, grade, kind in (
        (date(2026, 1, 5), "3", "baseline"),
        (date(2026, 6, 1), "2", "outcome_3m"),
    ):
        services.assessment_record(
            actor=aesthetician.user,
            patient=appointments,
            concern="acne_scars",
            grade=grade,
            kind=kind,
            assessed_on=on,
        )
    [course] = selectors.courses()
    assert (course.sessions, course.baseline, course.latest) == (2, "3", "2")
