"""The audit trail (page and API): one event per row, by staff members in turn."""

from __future__ import annotations

from typing import Any

from needlepoint.audit.services import record

from . import builders
from .builders import counts, pinned


def _events(i: int) -> None:
    owner = builders.patient(i)
    record(
        actor=builders.clinician(i),
        action="patient.read",
        object_type="patient",
        object_id=owner.pk,
        patient_id=owner.pk,
    )


def test_audit_page_runs_the_same_queries_for_1_and_20_events(
    clinic: Any, clinic_admin: Any, staff_client: Any
) -> None:
    client = staff_client(clinic_admin)
    result = counts(_events, lambda: client.get("/staff/audit/"))
    # page 7 + the person filter's staff + count + one page of events + their people and
    # patients (one query each) + the audit.read event it writes (4)
    # +1: the user's location grants, read once per request (decision 0700)
    assert result == pinned(17)


def test_audit_endpoint_runs_the_same_queries_for_1_and_20_events(
    clinic: Any, clinic_admin: Any, api: Any
) -> None:
    client = api(clinic_admin)
    result = counts(_events, lambda: client.get("/audit", limit=50))
    assert result == pinned(3)  # token + one page of events + count
