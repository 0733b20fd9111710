"""Every read and write of patient data writes exactly one audit event, denials too."""

from __future__ import annotations

import json

import pytest

from needlepoint.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def events_for(patient_id, action=None):
    events = AuditEvent.objects.filter(patient_id=str(patient_id))
    return list(events.filter(action=action) if action else events)


def test_reading_a_patient_through_the_api_writes_exactly_one_event(front_desk, patient, api):
    before = AuditEvent.objects.count()
    response = api(front_desk).get(f"/patients/{patient.patient.pk}")
    assert response.status_code == 200
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.patient_id, event.outcome) == (
        "patient.read",
        str(patient.patient.pk),
        "allowed",
    )
    assert event.actor_username == "fran" and event.actor_role == "front_desk"
    assert event.channel == "api"
    assert event.via.startswith("token:")
    assert event.request_id == response["X-Request-ID"]
    assert event.ip == "127.0.0.1"


def test_a_search_writes_one_read_event_per_patient_returned(
    front_desk, patient, other_patient, api
):
    before = AuditEvent.objects.count()
    response = api(front_desk).get("/patients", q="persona")
    assert response.json()["count"] == 2
    assert AuditEvent.objects.count() == before + 2
    assert len(events_for(patient.patient.pk, "patient.read")) == 1
    assert len(events_for(other_patient.patient.pk, "patient.read")) == 1


def test_creating_a_patient_writes_one_event(front_desk, api):
    before = AuditEvent.objects.count()
    response = api(front_desk).post(
        "/patients",
        {
            "given_name": "Iris",
            "family_name": "Auditson",
            "date_of_birth": "1980-01-01",
            "email": "iris@example.com",
        },
    )
    assert response.status_code == 201
    assert AuditEvent.objects.count() == before + 1
    assert events_for(response.json()["id"], "patient.create")


def test_a_patient_reading_their_own_record_is_audited(patient, api):
    response = api(patient).get("/me")
    assert response.json()["patient"]["id"] == patient.patient.pk
    assert len(events_for(patient.patient.pk, "patient.read")) == 1


def test_a_patient_probing_another_patients_record_is_denied_and_audited(
    patient, other_patient, api
):
    response = api(patient).get(f"/patients/{other_patient.patient.pk}")
    assert response.status_code == 404
    denied = events_for(other_patient.patient.pk, "patient.read")
    assert [e.outcome for e in denied] == ["denied"]
    assert denied[0].actor_username == "pat"


def test_a_role_refused_at_the_door_is_audited(patient, api):
    api(patient).post(
        "/patients",
        {
            "given_name": "No",
            "family_name": "Way",
            "date_of_birth": "1980-01-01",
            "email": "n@example.com",
        },
    )
    assert AuditEvent.objects.filter(action="patient.create", outcome="denied").count() == 1


def test_a_revoked_token_is_refused_and_audited(patient, api):
    from needlepoint.accounts.services import api_token_revoke_all

    api_token_revoke_all(user=patient.user)
    assert api(patient).get("/me").status_code == 401
    assert AuditEvent.objects.filter(action="api_token.use", outcome="denied").exists()


def test_staff_pages_audit_their_reads_too(front_desk, patient, staff_client):
    client = staff_client(front_desk)
    assert client.get(f"/staff/patients/{patient.patient.pk}/").status_code == 200
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.channel, event.patient_id) == (
        "patient.read",
        "web",
        str(patient.patient.pk),
    )


def test_no_patient_values_ever_reach_the_audit_trail(front_desk, patient, api):
    client = api(front_desk)
    client.post(
        "/patients",
        {
            "given_name": "Quintessa",
            "family_name": "Secretworth",
            "date_of_birth": "1977-07-07",
            "email": "quintessa@example.com",
            "phone": "+1 555 7777",
        },
    )
    client.get("/patients", q="Secretworth")
    client.get(f"/patients/{patient.patient.pk}")
    dump = json.dumps(list(AuditEvent.objects.values()), default=str)
    for value in [
        "Quintessa",
        "Secretworth",
        "quintessa@example.com",
        "555 7777",
        "1977-07-07",
        "Persona",
        "Secretworth".lower(),
    ]:
        assert value not in dump


def test_clinic_admins_filter_the_trail_through_the_api(clinic_admin, front_desk, patient, api):
    api(front_desk).get(f"/patients/{patient.patient.pk}")
    response = api(clinic_admin).get("/audit", patient=patient.patient.pk, action="patient.read")
    body = response.json()
    assert body["count"] == 1
    assert body["items"][0]["actor_username"] == "fran"


def test_clinic_admins_filter_the_trail_in_a_page(
    clinic_admin, front_desk, patient, api, staff_client
):
    api(front_desk).get(f"/patients/{patient.patient.pk}")
    page = staff_client(clinic_admin).get("/staff/audit/", {"person": front_desk.user.pk})
    assert page.status_code == 200
    assert "Opened a patient&#x27;s record" in page.content.decode()
    assert "Pat Persona" in page.content.decode()
