from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field

# One schema per name in the OpenAPI document: these are the screening app's.
from needlepoint.screening.schemas import GradedConcernIn, PrecautionOut


class RecommendIn(Schema):
    model_config = ConfigDict(extra="forbid")

    concerns: list[GradedConcernIn]
    fitzpatrick: int
    zones: list[str]


class ZoneDepthOut(Schema):
    zone: str
    depth_mm: list[float]


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


class PlanOut(Schema):
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


class PlanList(Schema):
    items: list[PlanOut]
    count: int
