"""Reads for the physician's clearance pages: the consultations whose determination as it
stands now asks for a physician's clearance that nobody has given yet, and one of them.

Each consultation listed or opened is one audited read (``consultation.read``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q

from needlepoint.accounts.models import User
from needlepoint.audit.services import Target, record_many
from needlepoint.core.errors import NotFound

from .models import Consultation, Determination
from .selectors import DeterminationState, consultation_for_staff, current_state

# What a physician reads for each screening rule that asks for them (the screening's own
# message is written to the patient). A rule the clinic adds to its policy without words
# here is shown with its screening message.
STAFF_REASON_WORDS = {
    "BELOW_LABEL_AGE": "Younger than the age the pens are approved for",
    "SKIN_LESIONS": "Changing or raised moles or growths in the area",
    "BLOOD_THINNERS": "Takes blood thinners",
    "KELOID_HISTORY": "Tends to form raised (keloid) scars",
    "IMMUNOSUPPRESSED": "Immune system weakened by a condition or medicine",
    "METAL_ALLERGY": "Allergic to nickel or stainless steel",
    "GOLD_THREADS": "Gold threads in the area",
    "RADIATION_HISTORY": "Radiotherapy to the area in the past",
}


@dataclass(frozen=True)
class ClearanceRequest:
    """A consultation waiting for a physician, with why and since when."""

    consultation: Consultation
    state: DeterminationState
    reasons: tuple[str, ...]
    waiting_since: datetime
    asked_by: Any

    @property
    def patient(self) -> Any:
        return self.consultation.patient


def _reasons(consultation: Consultation, state: DeterminationState) -> tuple[str, ...]:
    reasons: list[str] = []
    screening = consultation.screening
    if screening is not None:
        for reason in (screening.result or {}).get("reasons", []):
            if reason.get("requires_physician"):
                words = STAFF_REASON_WORDS.get(str(reason.get("code", "")))
                reasons.append(words or str(reason.get("message", "")))
    if state.amended:
        amendments = sorted(consultation.amendments.all(), key=lambda a: (a.signed_at, a.pk))
        reasons.append(f"Determination amended: {amendments[-1].reason}")
    if not reasons:
        reasons.append("The examining clinician asked for it (no screening answer flagged it)")
    return tuple(reasons)


def _waiting(consultation: Consultation) -> ClearanceRequest | None:
    state = current_state(consultation)
    if state.determination != Determination.PHYSICIAN_CLEARANCE_REQUIRED:
        return None
    if state.clearance is not None:
        return None
    return ClearanceRequest(
        consultation=consultation,
        state=state,
        reasons=_reasons(consultation, state),
        waiting_since=state.signed_at,
        asked_by=state.signed_by,
    )


def clearance_queue(*, actor: User, limit: int = 200) -> list[ClearanceRequest]:
    """Consultations awaiting a physician's clearance, longest waiting first."""
    rows = (
        Consultation.objects.filter(
            Q(determination=Determination.PHYSICIAN_CLEARANCE_REQUIRED)
            | Q(amendments__determination=Determination.PHYSICIAN_CLEARANCE_REQUIRED)
        )
        .distinct()
        .select_related("patient", "screening", "signed_by")
        .prefetch_related("amendments__signed_by", "clearances")
        .order_by("signed_at", "pk")
    )
    waiting = [w for w in (_waiting(c) for c in rows) if w is not None]
    waiting.sort(key=lambda w: (w.waiting_since, w.consultation.pk))
    waiting = waiting[:limit]
    if waiting:
        record_many(
            actor=actor,
            action="consultation.read",
            targets=[
                Target("consultation", str(w.consultation.pk), str(w.consultation.patient_id))
                for w in waiting
            ],
            detail={"via": "clearance_queue"},
        )
    return waiting


def clearance_request(*, actor: User, consultation_id: int) -> ClearanceRequest | None:
    """One consultation for the clearance page (audited); None when it no longer waits.

    ``NotFound`` when there is no such consultation or the actor may not read it."""
    consultation = consultation_for_staff(actor=actor, consultation_id=consultation_id)
    return _waiting(consultation)


def consultation_state(*, actor: User, consultation_id: int) -> tuple[Consultation, Any]:
    """A consultation and its state now, for saying what became of a request (audited)."""
    consultation = consultation_for_staff(actor=actor, consultation_id=consultation_id)
    return consultation, current_state(consultation)


__all__ = [
    "ClearanceRequest",
    "NotFound",
    "clearance_queue",
    "clearance_request",
    "consultation_state",
]
