"""Request and response shapes. An ``*Out`` schema is built from the model or the domain
value (ninja resolvers, ``from_orm``); notes on them are comments, because a class docstring
would become a description in openapi.json."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from needlepoint.core.out_schemas import ModelOut
from needlepoint.domain.screening import ScreeningResult

from .models import Amendment, Clearance, Consultation, Screening
from .selectors import DeterminationState, current_state

Tri = Literal["yes", "no", "unsure"]


class ScreeningIn(Schema):
    """Documentation of the request (screening-policy.md); the operation parses the body
    itself so that one 422 lists every problem, including the date rules."""

    model_config = ConfigDict(extra="forbid")

    date_of_birth: date
    planned_date: date | None = None
    concerns: list[
        Literal[
            "acne_scars",
            "sun_damage",
            "fine_lines_wrinkles",
            "uneven_skin_tone",
            "stretch_marks",
            "enlarged_pores",
            "other",
        ]
    ]
    areas: list[Literal["face", "neck", "decollete", "body"]]
    pregnant_or_breastfeeding: Tri
    active_skin_infection: Tri
    active_cold_sore: Tri
    cold_sore_history: Tri
    open_wounds_or_irritated_skin: Tri
    skin_lesions_or_changing_moles: Tri
    active_inflamed_acne: Tri
    dermatitis_flare: Tri
    dermatitis_history: Tri
    bleeding_disorder: Tri
    blood_thinners: Tri
    keloid_history: Tri
    immunosuppressed: Tri
    diabetes: Literal["none", "controlled", "uncontrolled", "unsure"]
    metal_allergy: Tri
    anesthetic_allergy: Tri
    gold_threads_in_area: Tri
    isotretinoin_last_dose: date | None
    radiation_to_area_last: date | None
    filler_in_area_last: date | None
    neurotoxin_last: date | None
    peel_or_laser_last: date | None
    facial_surgery_last: date | None
    sunburn_last: date | None
    retinoid_or_acid_last_use: date | None
    consent_to_store: bool


class ReasonOut(Schema):
    code: str
    verdict: str
    resume_on: date | None
    requires_physician: bool
    message: str


class PrecautionOut(Schema):
    code: str
    message: str


class ConcernFitOut(Schema):
    concern: str
    fit: str
    message: str


class ScreeningOut(Schema):
    id: uuid.UUID | None
    policy_version: str
    judged_for: date
    verdict: str
    resume_on: date | None
    reasons: list[ReasonOut]
    precautions: list[PrecautionOut]
    concerns: list[ConcernFitOut]
    next_step: str
    disclaimer: str


class ScreeningSubmittedOut(ScreeningOut):
    booking_reference: str | None = Field(
        description="send as `screening` when booking a consultation (null when not stored)",
    )

    @classmethod
    def of(
        cls, result: ScreeningResult, *, screening_id: object, booking_reference: str | None
    ) -> ScreeningSubmittedOut:
        """From the domain's judgement (its reasons, precautions and concerns as they are)."""
        judged = {name: getattr(result, name) for name in ScreeningOut.model_fields if name != "id"}
        return cls.model_validate(
            {**judged, "id": screening_id, "booking_reference": booking_reference}
        )


# A stored ``Screening``; ``result`` is the judgement as stored with it.
class StoredScreeningOut(ModelOut):
    id: uuid.UUID
    patient: int | None
    taken_by: str | None
    channel: str
    created_at: datetime
    answers: dict[str, Any]
    result: ScreeningOut

    @staticmethod
    def resolve_patient(screening: Screening) -> int | None:
        return screening.patient_id

    @staticmethod
    def resolve_taken_by(screening: Screening) -> str | None:
        return screening.taken_by.username if screening.taken_by else None


class GradedConcernIn(Schema):
    model_config = ConfigDict(extra="forbid")

    concern: str
    grade: str | None = None


class ConsultationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    patient: int
    screening: uuid.UUID | None = None
    fitzpatrick: int
    concerns: list[GradedConcernIn]
    zones: list[str]
    determination: str
    notes: str = Field(default="", max_length=5000)


class DeterminationAmendmentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    determination: str
    reason: str = Field(max_length=2000)


class ClearanceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    cleared: bool
    notes: str = Field(default="", max_length=5000)


# Built from a signed record (a consultation, amendment, clearance or the current
# determination): ``signed_by`` is the signer's username.
class SignedOut(ModelOut):
    signed_by: str
    signed_at: datetime

    @staticmethod
    def resolve_signed_by(signed: Any) -> str:
        return str(signed.signed_by.username)


class AmendmentOut(SignedOut):
    id: int
    determination: str
    reason: str


class ClearanceOut(SignedOut):
    id: int
    cleared: bool
    notes: str


class CurrentDeterminationOut(SignedOut):
    determination: str
    amended: bool
    clearance: ClearanceOut | None
    allows_treatment: bool


class ConsultationOut(SignedOut):
    id: int
    patient: int
    screening: uuid.UUID | None
    fitzpatrick: int
    concerns: list[dict[str, Any]]
    zones: list[str]
    notes: str
    determination: str
    protocol_version: str
    current: CurrentDeterminationOut
    amendments: list[AmendmentOut]
    clearances: list[ClearanceOut]

    @staticmethod
    def resolve_patient(consultation: Consultation) -> int:
        return consultation.patient_id

    @staticmethod
    def resolve_screening(consultation: Consultation) -> uuid.UUID | None:
        return consultation.screening_id

    @staticmethod
    def resolve_current(consultation: Consultation) -> DeterminationState:
        return current_state(consultation)

    @staticmethod
    def resolve_amendments(consultation: Consultation) -> list[Amendment]:
        return sorted(consultation.amendments.all(), key=lambda a: (a.signed_at, a.pk))

    @staticmethod
    def resolve_clearances(consultation: Consultation) -> list[Clearance]:
        return sorted(consultation.clearances.all(), key=lambda c: c.signed_at)
