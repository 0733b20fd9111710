"""The vocabulary (API contract) and the protocol table's dataclasses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

# --- The vocabulary (API contract) ----------------------------------------------------

CONCERNS: tuple[str, ...] = (
    "acne_scars",
    "fine_lines_wrinkles",
    "sun_damage",
    "uneven_skin_tone",
    "stretch_marks",
    "enlarged_pores",
)
# Mildest first. ``None`` is the only grade of a concern that is not graded.
GRADES: Mapping[str, tuple[str | None, ...]] = MappingProxyType(
    {
        "acne_scars": ("1", "2", "3", "4"),
        "fine_lines_wrinkles": ("I", "II", "III"),
        "sun_damage": ("I", "II", "III", "IV"),
        "uneven_skin_tone": ("mild", "moderate", "severe"),
        "stretch_marks": ("rubra", "alba"),
        "enlarged_pores": (None,),
    }
)
ZONES: tuple[str, ...] = (
    "forehead",
    "periorbital",
    "nose",
    "cheeks",
    "perioral",
    "chin_jawline",
    "neck",
    "decollete",
    "body",
)
# The Fitzpatrick scale itself (types I–VI), not a clinic default.
PHOTOTYPES: tuple[int, ...] = (1, 2, 3, 4, 5, 6)

KeyPath = tuple[str | int, ...]
DepthRange = tuple[float, float]


class DepthBand(StrEnum):
    """The part of a zone's depth range a concern uses."""

    UPPER_HALF = "upper_half"
    LOWER_HALF = "lower_half"
    WHOLE = "whole"


# --- The table ------------------------------------------------------------------------


@dataclass(frozen=True)
class Grade:
    grade: str | None
    label: str


@dataclass(frozen=True)
class Concern:
    name: str
    label: str
    scale: str
    grades: tuple[Grade, ...]
    usual_zones: frozenset[str]


@dataclass(frozen=True)
class Course:
    sessions: int
    sessions_range: tuple[int, int]
    interval_weeks: int
    interval_weeks_range: tuple[int, int]
    maintenance_months: int
    maintenance_months_range: tuple[int, int]
    note: str | None


@dataclass(frozen=True)
class Zone:
    name: str
    label: str
    depth_mm: DepthRange
    concern_bands: Mapping[str, DepthBand]  # a concern not listed uses the whole range
    note: str | None

    def band(self, concern: str) -> DepthRange:
        low, high = self.depth_mm
        band = self.concern_bands.get(concern, DepthBand.WHOLE)
        if band is DepthBand.UPPER_HALF:
            return _midpoint(low, high), high
        if band is DepthBand.LOWER_HALF:
            return low, _midpoint(low, high)
        return low, high

    @property
    def middle(self) -> float:
        return _midpoint(*self.depth_mm)


def _midpoint(low: float, high: float) -> float:
    # Decimal keeps the middle exact (0.25–0.3 mm -> 0.275, not 0.27500000000000002).
    return float((Decimal(str(low)) + Decimal(str(high))) / 2)


@dataclass(frozen=True)
class Precaution:
    code: str
    message: str


@dataclass(frozen=True)
class DarkerPhototypeRule:
    phototypes: frozenset[int]
    min_interval_weeks: int
    depth_capped_at_middle_for: frozenset[str]
    precaution: Precaution


@dataclass(frozen=True)
class RoleCeiling:
    face_mm: float
    other_mm: float


ScopeCeilings = Mapping[str, RoleCeiling]


@dataclass(frozen=True)
class Ceilings:
    face_mm: float
    face_zones: frozenset[str]
    face_exempt_roles: frozenset[str]
    default_scope: ScopeCeilings


@dataclass(frozen=True)
class SessionStep:
    kind: str
    first_day: int
    last_day: int
    text: str


@dataclass(frozen=True)
class CourseFollowUp:
    kind: str
    months: int
    text: str


@dataclass(frozen=True)
class FollowUpRules:
    after_session: tuple[SessionStep, ...]
    after_course: tuple[CourseFollowUp, ...]
    maintenance_recall_kind: str
    maintenance_recall_text: str


@dataclass(frozen=True)
class ProtocolTable:
    version: str
    concerns: Mapping[str, Concern]
    courses: Mapping[tuple[str, str | None], Course]
    zones: Mapping[str, Zone]
    darker_phototypes: DarkerPhototypeRule
    ceilings: Ceilings
    follow_up: FollowUpRules

    def grades(self, concern: str) -> tuple[str | None, ...]:
        return tuple(g.grade for g in self.concerns[concern].grades)

    def course(self, concern: str, grade: str | None) -> Course:
        return self.courses[(concern, grade)]
