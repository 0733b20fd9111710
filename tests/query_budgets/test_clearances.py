"""The physician's clearance queue: one consultation awaiting clearance per row, each with
its own patient and examining clinician, every other one (row 0 too) asked for by an
amendment, so the amendments' signers are read with one row already."""

from __future__ import annotations

from typing import Any

from needlepoint.screening import services

from . import builders
from .builders import counts, pinned


def _waiting(i: int) -> None:
    clinician = builders.clinician(i)
    owner = builders.patient(i)
    amended = i % 2 == 0
    determination = "candidate" if amended else "physician_clearance_required"
    consultation = services.consultation_record(
        actor=clinician,
        patient=owner,
        fitzpatrick=1 + i % 6,
        concerns=[{"concern": "acne_scars", "grade": "2"}],
        zones=["cheeks"],
        determination=determination,
        notes=f"Row {i}",
    )
    if amended:
        services.consultation_amend(
            actor=clinician,
            consultation=consultation,
            determination="physician_clearance_required",
            reason=f"Row {i} mentioned blood thinners.",
        )


def test_clearance_queue_page_runs_the_same_queries_for_1_and_20_consultations(
    clinic: Any, physician: Any, staff_client: Any
) -> None:
    client = staff_client(physician)

    def fetch() -> Any:
        response = client.get("/staff/clearances/")
        assert response.status_code == 200
        return response

    result = counts(_waiting, fetch)
    assert result == pinned(16)  # page 7 + the queue (joined), amendments, their signers,
    # clearances + audit 4 + the clinic's zone for the dates
