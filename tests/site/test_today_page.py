"""The staff "Today" page lists today's appointments: a clinician's own, everyone's for the
front desk, none for the clinic admin; each one shown is an audited read."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 3, 2, 13, 0, tzinfo=UTC)  # Tuesday 08:00 in New York


@pytest.fixture
def day_with_two_visits(patient, other_patient, aesthetician, physician, front_desk):
    from needlepoint.clinic.models import Service
    from needlepoint.demo.clinic import ensure_location, ensure_services, ensure_working_hours
    from needlepoint.scheduling.services import appointment_book

    location = ensure_location()
    ensure_services()
    ensure_working_hours(location, [aesthetician.user, physician.user])
    consultation = Service.objects.get(slug="consultation")
    with time_machine.travel(NOW, tick=False):
        for who, staff, hour in [(patient, "aria", 10), (other_patient, "phil", 11)]:
            appointment_book(
                actor=front_desk.user,
                patient=who.patient,
                service=consultation,
                start=datetime(2027, 3, 2, hour + 5, 0, tzinfo=UTC),
                staff_username=staff,
            )
        yield


def page_for(persona, staff_client):
    with time_machine.travel(NOW, tick=False):
        return staff_client(persona).get("/staff/").content.decode()


def test_a_clinician_sees_their_own_appointments_today(
    day_with_two_visits, aesthetician, staff_client
):
    html = page_for(aesthetician, staff_client)
    assert "Your appointments today" in html
    assert "10:00 am–10:30 am" in html and "Pat Persona" in html
    assert "Otto Persona" not in html


def test_the_front_desk_sees_everyones_appointments_today(
    day_with_two_visits, front_desk, staff_client
):
    from needlepoint.audit.models import AuditEvent

    before = AuditEvent.objects.filter(action="appointment.read").count()
    html = page_for(front_desk, staff_client)
    assert "Pat Persona" in html and "Otto Persona" in html
    assert AuditEvent.objects.filter(action="appointment.read").count() == before + 2


def test_the_clinic_admin_home_lists_no_patients(day_with_two_visits, clinic_admin, staff_client):
    html = page_for(clinic_admin, staff_client)
    assert "Persona" not in html
