"""A patient's consultations and plans: the staff overview page and GET
/patients/{id}/plans. One consultation and plan per row, signed by the clinicians in turn."""

from __future__ import annotations

from typing import Any

from . import builders
from .builders import counts, pinned


def _plans(owner: Any, aesthetician: Any, physician: Any) -> Any:
    return lambda i: builders.plan(owner, (aesthetician, physician)[i % 2].user, done=i % 4)


def test_patient_overview_page_runs_the_same_queries_for_1_and_20_consultations_and_plans(
    clinic: Any, aesthetician: Any, physician: Any, staff_client: Any
) -> None:
    owner = builders.patient(99)
    client = staff_client(physician)
    url = f"/staff/patients/{owner.pk}/micro-needling/"
    result = counts(_plans(owner, aesthetician, physician), lambda: client.get(url))
    # page 7, patient, screenings, consultations 4, eligibility 4, plans 3, 4 audits of 4
    assert result == pinned(36)


def test_patient_plans_endpoint_runs_the_same_queries_for_1_and_20_plans(
    clinic: Any, aesthetician: Any, physician: Any, api: Any
) -> None:
    owner = builders.patient(99)

    def add(i: int) -> None:
        # Through the API: the endpoint shows each plan's recommendation, which only the
        # protocol engine writes in full.
        builders.recommended_plan(api((aesthetician, physician)[i % 2]), owner)

    client = api(physician)
    url = f"/patients/{owner.pk}/plans"
    result = counts(add, lambda: client.get(url, limit=50))
    assert result == pinned(9)  # token + patient + count + plans (joined) + sessions + audit 4
