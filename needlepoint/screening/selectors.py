"""Reads of screenings and consultations. Each read of patient data is audited."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from needlepoint.accounts.models import User
from needlepoint.audit.services import Target, record_many
from needlepoint.core.audited import audited_read
from needlepoint.core.errors import InvalidInput, NotFound

from .models import Amendment, Clearance, Consultation, Determination, Screening


@dataclass(frozen=True)
class DeterminationState:
    """A consultation's determination as it stands now: amendments applied, and the
    physician's clearance (if any) given after that determination was signed."""

    determination: str
    signed_by: Any
    signed_at: datetime
    amended: bool
    clearance: Clearance | None

    @property
    def allows_treatment(self) -> bool:
        if self.determination == Determination.CANDIDATE:
            return True
        return (
            self.determination == Determination.PHYSICIAN_CLEARANCE_REQUIRED
            and self.clearance is not None
            and self.clearance.cleared
        )


def current_state(consultation: Consultation) -> DeterminationState:
    amendments: list[Amendment] = sorted(
        consultation.amendments.all(), key=lambda a: (a.signed_at, a.pk)
    )
    latest = amendments[-1] if amendments else None
    determination = latest.determination if latest else consultation.determination
    signed_at = latest.signed_at if latest else consultation.signed_at
    signed_by = latest.signed_by if latest else consultation.signed_by
    clearances = [c for c in consultation.clearances.all() if c.signed_at >= signed_at]
    clearance = max(clearances, key=lambda c: (c.signed_at, c.pk)) if clearances else None
    return DeterminationState(determination, signed_by, signed_at, latest is not None, clearance)


def latest_consultation(patient_id: int) -> Consultation | None:
    """The patient's most recently signed consultation (no audit: an internal check)."""
    return (
        Consultation.objects.filter(patient_id=patient_id)
        .prefetch_related("amendments", "clearances")
        .order_by("-signed_at", "-pk")
        .first()
    )


def screening_for_staff(*, actor: User, screening_id: uuid.UUID | str) -> Screening:
    found = Screening.objects.filter(pk=screening_id).first() if _is_uuid(screening_id) else None
    found = audited_read(
        actor=actor,
        found=found,
        object_id=screening_id,
        capability="screening.read",
        action="screening.read",
        object_type="screening",
        not_found="no such screening",
    )
    return found


def _is_uuid(value: object) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def consultation_for_staff(*, actor: User, consultation_id: int) -> Consultation:
    found = (
        Consultation.objects.select_related("patient", "screening", "signed_by")
        .prefetch_related("amendments__signed_by", "clearances__signed_by")
        .filter(pk=consultation_id)
        .first()
    )
    found = audited_read(
        actor=actor,
        found=found,
        object_id=consultation_id,
        capability="consultation.read",
        action="consultation.read",
        object_type="consultation",
        not_found="no such consultation",
    )
    return found


def patient_screenings(*, actor: User, patient_id: int, limit: int = 20) -> list[Screening]:
    items = list(Screening.objects.filter(patient_id=patient_id).order_by("-created_at")[:limit])
    if items:
        record_many(
            actor=actor,
            action="screening.read",
            targets=[Target("screening", str(s.pk), str(patient_id)) for s in items],
            detail={"via": "list"},
        )
    return items


def patient_consultations(*, actor: User, patient_id: int, limit: int = 20) -> list[Consultation]:
    items = list(
        Consultation.objects.filter(patient_id=patient_id)
        .select_related("signed_by")
        .prefetch_related("amendments", "clearances")
        .order_by("-signed_at", "-pk")[:limit]
    )
    if items:
        record_many(
            actor=actor,
            action="consultation.read",
            targets=[Target("consultation", str(c.pk), str(patient_id)) for c in items],
            detail={"via": "list"},
        )
    return items


def unlinked_screenings(*, actor: User, limit: int = 20) -> list[Screening]:
    """Recent stored screenings not yet linked to a patient record (to link at consultation)."""
    items = list(Screening.objects.filter(patient__isnull=True).order_by("-created_at")[:limit])
    if items:
        record_many(
            actor=actor,
            action="screening.read",
            targets=[Target("screening", str(s.pk), "") for s in items],
            detail={"via": "unlinked_list"},
        )
    return items


# Lookups for entry points about to act (the action writes its own audit event).


def consultation_in_field(consultation_id: int, *, field: str = "consultation") -> Consultation:
    """The consultation a request field names, with what its state needs (InvalidInput)."""
    found = (
        Consultation.objects.prefetch_related("amendments", "clearances")
        .filter(pk=consultation_id)
        .first()
    )
    if found is None:
        raise InvalidInput.one(field, "no such consultation")
    return found


def consultation_to_act_on(consultation_id: int) -> Consultation:
    """The consultation a URL names, before amending or clearing it (404 when none)."""
    found = Consultation.objects.filter(pk=consultation_id).first()
    if found is None:
        raise NotFound("no such consultation")
    return found


def consultation_as_stored(consultation: Consultation) -> Consultation:
    """The consultation read again after a change (its amendments and clearances anew)."""
    return Consultation.objects.get(pk=consultation.pk)


def screening_in_field(
    screening_id: uuid.UUID | None, *, field: str = "screening"
) -> Screening | None:
    """The screening a request field names (None when blank; InvalidInput when unknown)."""
    if screening_id is None:
        return None
    found = Screening.objects.filter(pk=screening_id).first()
    if found is None:
        raise InvalidInput.one(field, "no such screening")
    return found
