"""Request and response shapes. An ``*Out`` schema is built from the model or the domain
value (ninja resolvers, ``from_orm``); notes on them are comments, because a class docstring
would become a description in openapi.json."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field

from needlepoint.core.out_schemas import ModelOut

# One schema per name in the OpenAPI document: these are the screening app's.
from needlepoint.screening.schemas import GradedConcernIn, PrecautionOut

from .models import PlanSession, TreatmentPlan
from .selectors import course_in_order, maintenance_due_estimate


class RecommendIn(Schema):
    model_config = ConfigDict(extra="forbid")

    concerns: list[GradedConcernIn]
    fitzpatrick: int
    zones: list[str]


class ZoneDepthOut(Schema):
    zone: str
    depth_mm: list[float]


# Built from a ``domain.protocols.Recommendation`` or its stored copy (a plan's).
class RecommendationOut(Schema):
    protocol_version: str
    sessions: int
    sessions_range: list[int]
    interval_weeks: int
    interval_weeks_range: list[int]
    maintenance_months: int
    zones: list[ZoneDepthOut]
    precautions: list[PrecautionOut]
    notes: list[str]


class PlanIn(Schema):
    model_config = ConfigDict(extra="forbid")

    consultation: int
    overrides: dict[str, Any] = Field(
        default_factory=dict,
        description='{"sessions" | "interval_weeks" | "maintenance_months" | '
        '"depth_mm.<zone>": {"value": …, "reason": "…"}}',
    )


class PlanSessionOut(Schema):
    index: int
    status: str
    booked_for: date | None
    done_on: date | None


# A treatment plan, built from the ``TreatmentPlan`` model (resolvers below).
class PlanOut(ModelOut):
    id: int
    patient: int
    consultation: int
    status: str
    protocol_version: str
    sessions: int
    interval_weeks: int
    maintenance_months: int
    zones: list[ZoneDepthOut]
    precautions: list[PrecautionOut]
    notes: list[str]
    overrides: dict[str, Any]
    recommendation: RecommendationOut
    course: list[PlanSessionOut]
    maintenance_due: date | None
    maintenance_due_estimate: date | None
    created_by: str
    created_at: datetime

    @staticmethod
    def resolve_patient(plan: TreatmentPlan) -> int:
        return plan.patient_id

    @staticmethod
    def resolve_consultation(plan: TreatmentPlan) -> int:
        return plan.consultation_id

    @staticmethod
    def resolve_course(plan: TreatmentPlan) -> list[PlanSession]:
        return _course(plan)

    @staticmethod
    def resolve_maintenance_due_estimate(plan: TreatmentPlan) -> date | None:
        return maintenance_due_estimate(plan, _course(plan))

    @staticmethod
    def resolve_created_by(plan: TreatmentPlan) -> str:
        return plan.created_by.username


def _course(plan: TreatmentPlan) -> list[PlanSession]:
    # The course in order, read once per plan for both fields that need it.
    cached: list[PlanSession] | None = getattr(plan, "_course_in_order", None)
    if cached is None:
        cached = course_in_order(plan)
        plan._course_in_order = cached  # type: ignore[attr-defined]
    return cached


class PlanList(Schema):
    items: list[PlanOut]
    count: int
