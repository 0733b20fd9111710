"""The erasure pages: the clinic admin sees what goes and what stays, confirms once, and the
record then says "erased on"; the patient asks for it from the portal; other roles get 403."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine

from needlepoint.audit.models import AuditEvent
from needlepoint.patients.models import Patient
from needlepoint.privacy.models import ErasureRequest
from tests.query_budgets import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic(aesthetician: Any, physician: Any) -> Iterator[Any]:
    with time_machine.travel(builders.NOW, tick=False):
        yield builders.clinic(aesthetician.user, physician.user)


@pytest.fixture
def owner(clinic: Any, patient: Any, aesthetician: Any) -> Patient:
    record: Patient = patient.patient
    plan = builders.plan(record, aesthetician.user, done=1)
    builders.chart(1, patient=record, operator=aesthetician.user, plan=plan)
    builders.photo(3, patient=record)  # the baseline: the first visit photographed
    builders.photo(1, patient=record)  # a later visit with no grade or chart: an extra
    return record


def test_the_clinic_admin_sees_what_goes_and_stays_then_erases_once(
    owner, clinic_admin, staff_client
):
    client = staff_client(clinic_admin)
    hub = client.get(f"/staff/patients/{owner.pk}/").content.decode()
    assert f'href="/staff/patients/{owner.pk}/erase/"' in hub

    page = client.get(f"/staff/patients/{owner.pk}/erase/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Removed now" in text and "Kept for the retention period" in text
    assert "Email and phone, also in earlier versions of the record" in text
    assert "Portal login: it can no longer sign in" in text
    assert "Photos without clinical purpose: 1" in text
    assert "Session charts: 1" in text and "Photos with clinical purpose: 1" in text
    assert "Kept until at least" in text
    assert Patient.objects.get(pk=owner.pk).erased_at is None  # looking changes nothing

    done = client.post(f"/staff/patients/{owner.pk}/erase/", {"confirmed": "yes"})
    assert done.status_code == 302 and done["Location"] == f"/staff/patients/{owner.pk}/"
    hub = client.get(done["Location"]).content.decode()
    assert "Personal data erased on 1 March 2027" in hub
    assert "personal data is erased" in hub  # the flash message
    assert f'href="/staff/patients/{owner.pk}/erase/"' not in hub
    assert AuditEvent.objects.filter(action="patient.erase").count() == 1

    again = client.post(f"/staff/patients/{owner.pk}/erase/", {"confirmed": "yes"})
    assert again.status_code == 409
    assert "already erased on 1 March 2027" in again.content.decode()
    assert AuditEvent.objects.filter(action="patient.erase").count() == 1


def test_an_upcoming_appointment_is_shown_as_the_reason_and_no_button(
    owner, clinic_admin, staff_client, aesthetician
):
    start = builders.NOW + timedelta(days=4)
    builders.appointment(7, patient=owner, staff=aesthetician.user, start=start)
    text = staff_client(clinic_admin).get(f"/staff/patients/{owner.pk}/erase/").content.decode()
    assert "This erasure cannot be done yet" in text
    assert "1 upcoming appointment still booked" in text
    assert 'class="danger"' not in text


@pytest.mark.parametrize("role", ["front_desk", "aesthetician", "physician"])
def test_other_staff_get_403_and_no_button(owner, personas, staff_client, role):
    client = staff_client(personas[role])
    assert client.get(f"/staff/patients/{owner.pk}/erase/").status_code == 403
    assert (
        client.post(f"/staff/patients/{owner.pk}/erase/", {"confirmed": "yes"}).status_code == 403
    )
    hub = client.get(f"/staff/patients/{owner.pk}/").content.decode()
    assert "/erase/" not in hub
    assert Patient.objects.get(pk=owner.pk).erased_at is None
    refused = AuditEvent.objects.filter(action="patient.erase", outcome="denied")
    assert refused.count() == 2


def test_a_patient_cannot_open_the_staff_page(owner, patient):
    from django.test import Client

    client = Client()
    client.force_login(patient.user)
    assert client.get(f"/staff/patients/{owner.pk}/erase/").status_code == 403


def test_an_unknown_patient_is_404(clinic, clinic_admin, staff_client):
    assert staff_client(clinic_admin).get("/staff/patients/99999/erase/").status_code == 404


def test_the_patient_asks_from_the_portal_and_the_record_shows_it(
    owner, patient, clinic_admin, staff_client
):
    from django.test import Client

    portal = Client()
    portal.force_login(patient.user)
    assert 'href="/portal/erasure/"' in portal.get("/portal/export/").content.decode()
    form = portal.get("/portal/erasure/").content.decode()
    assert "Ask the clinic to erase my data" in form
    sent = portal.post("/portal/erasure/", {"confirmed": "yes"})
    assert sent.status_code == 302
    assert "You asked on 1 March 2027" in portal.get("/portal/erasure/").content.decode()
    portal.post("/portal/erasure/", {"confirmed": "yes"})  # asking twice keeps one request
    assert ErasureRequest.objects.filter(patient=owner).count() == 1
    assert AuditEvent.objects.filter(action="erasure_request.create").count() == 1

    admin = staff_client(clinic_admin)
    hub = admin.get(f"/staff/patients/{owner.pk}/").content.decode()
    assert "The patient asked on 1 March 2027" in hub
    page = admin.get(f"/staff/patients/{owner.pk}/erase/").content.decode()
    assert "asked for this from the portal on 1 March 2027" in page


def test_staff_cannot_use_the_portal_request(owner, front_desk, staff_client):
    assert staff_client(front_desk).post("/portal/erasure/").status_code == 403
    assert not ErasureRequest.objects.exists()
