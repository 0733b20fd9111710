"""Clinic setup: the screening policy and protocol table history, one row per version."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from needlepoint.screening.models import DataKind, DataOverride

from . import builders
from .builders import counts, pinned

POLICY = Path(__file__).resolve().parents[2] / "needlepoint" / "data" / "screening-policy.yaml"


def _version(i: int) -> None:
    # Stored directly: the page reads rows, and parsing twenty texts would only slow the test.
    DataOverride.objects.create(
        kind=DataKind.SCREENING_POLICY,
        version=f"clinic-{i}",
        text=POLICY.read_text(),
        is_active=i == 0,
        created_by=builders.clinician(i),
    )


def test_policy_history_runs_the_same_queries_for_1_and_20_versions(
    clinic: Any, clinic_admin: Any, staff_client: Any
) -> None:
    client = staff_client(clinic_admin)
    result = counts(_version, lambda: client.get("/staff/setup/policy/"))
    # Session, user and TOTP (3); the location twice (page chrome, the clinic's zone); one
    # question per kind for its whole history (2); the session saved (3).
    assert result == pinned(10)
