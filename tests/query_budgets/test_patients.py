"""The staff patient list: the page and GET /patients."""

from __future__ import annotations

from typing import Any

from . import builders
from .builders import counts, pinned


def test_staff_patient_list_page_runs_the_same_queries_for_1_and_20_patients(
    clinic: Any, front_desk: Any, staff_client: Any
) -> None:
    client = staff_client(front_desk)
    result = counts(builders.patient, lambda: client.get("/staff/patients/"))
    # page 7 + count + one page of patients + their next appointments + audit 4
    assert result == pinned(14)


def test_patient_list_endpoint_runs_the_same_queries_for_1_and_20_patients(
    clinic: Any, front_desk: Any, api: Any
) -> None:
    client = api(front_desk)
    result = counts(builders.patient, lambda: client.get("/patients", limit=50))
    assert result == pinned(7)  # token + count + one page of patients + audit 4
