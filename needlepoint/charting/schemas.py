"""Request and response schemas of the treatment-day API (no postponed annotations:
ninja reads these types at import)."""

from datetime import date
from typing import Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field

Tri = Literal["yes", "no", "unsure"]


class ConsentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    consent_version: str = Field(default="current", max_length=64)
    signature: str = Field(max_length=100_000)
    signature_kind: Literal["typed", "drawn"] = "typed"
    photo_release: bool


class DayOfIn(Schema):
    model_config = ConfigDict(extra="forbid")

    active_skin_infection: Tri
    active_cold_sore: Tri
    open_wounds_or_irritated_skin: Tri
    active_inflamed_acne: Tri
    dermatitis_flare: Tri
    pregnant_or_breastfeeding: Tri
    new_medication: Tri
    sunburn_last: date | None
    filler_in_area_last: date | None
    neurotoxin_last: date | None
    peel_or_laser_last: date | None
    retinoid_or_acid_last_use: date | None


class ZoneIn(Schema):
    model_config = ConfigDict(extra="forbid")

    zone: str = Field(max_length=40)
    depth_mm: float = Field(gt=0, le=10)
    passes: int = Field(ge=0, le=100)
    reason: str = Field(default="", max_length=1000)


class TopicalIn(Schema):
    model_config = ConfigDict(extra="forbid")

    product: str = Field(max_length=120)
    lot: str = Field(default="", max_length=64)
    override_reason: str = Field(default="", max_length=1000)


class ChartIn(Schema):
    model_config = ConfigDict(extra="forbid")

    device: str = Field(max_length=50)
    cartridge_lot: str = Field(max_length=64)
    zones: list[ZoneIn] = Field(max_length=20)
    endpoint: str = Field(max_length=32)
    anesthetic: str = Field(default="", max_length=200)
    topicals: list[TopicalIn] = Field(default_factory=list, max_length=20)
    immediate_reactions: str = Field(default="", max_length=5000)
    aftercare_given: bool = False
    notes: str = Field(default="", max_length=5000)
    late_reason: str = Field(
        default="",
        max_length=2000,
        description="Required when the chart is written after the session's day (a late entry).",
    )


class AmendmentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=2000)
    changes: dict[str, Any]


class AdverseEventIn(Schema):
    model_config = ConfigDict(extra="forbid")

    chart: int
    kind: str = Field(max_length=48)
    severity: str = Field(max_length=16)
    onset: date
    outcome: str = Field(max_length=32)
    description: str = Field(default="", max_length=5000)
    actions: str = Field(default="", max_length=5000)


class ReceiveIn(Schema):
    model_config = ConfigDict(extra="forbid")

    product: str = Field(max_length=120)
    ref: str = Field(max_length=64)
    lot: str = Field(max_length=64)
    expiry: date
    quantity: int = Field(ge=1, le=100_000)
    location: str = Field(
        default="",
        max_length=100,
        description="Where the stock is received (a location slug); may be left out only by "
        "someone who works at one location",
    )


class RecallQuery(Schema):
    lot: str = Field(default="", max_length=64)
    device: str = Field(default="", max_length=50)
    format: Literal["json", "csv"] = "json"
    limit: int = Field(default=500, ge=1, le=5000)
    offset: int = Field(default=0, ge=0, le=1_000_000_000)
