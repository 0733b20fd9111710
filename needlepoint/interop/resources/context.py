"""What every builder of one patient's resources needs: the patient and who is staff."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from needlepoint.patients.models import Patient

from .common import fhir_id, ref


@dataclass(frozen=True)
class PatientContext:
    patient: Patient
    staff_ids: frozenset[int]
    # Consent texts by version, as the patient read them (empty: versions not known).
    consent_texts: Mapping[str, str] = field(default_factory=dict)

    @property
    def subject(self) -> dict[str, Any]:
        return ref("Patient", fhir_id(self.patient.pk))

    def person(self, user_id: int | None) -> dict[str, Any] | None:
        """The reference for a user who acted: the patient themself, a practitioner, or
        None for anyone else (no resource would resolve it)."""
        if user_id is None:
            return None
        if user_id == self.patient.user_id:
            return self.subject
        if user_id in self.staff_ids:
            return ref("Practitioner", fhir_id(user_id))
        return None
