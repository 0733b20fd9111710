"""Depth checks for the session chart."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from needlepoint.domain.errors import DomainError
from needlepoint.domain.protocols.table import DepthRange, ProtocolTable, ScopeCeilings

# --- Depth checks for the session chart -----------------------------------------------


class DepthStatus(StrEnum):
    OK = "ok"
    OUTSIDE_PLAN_RANGE = "outside_plan_range"  # allowed with a reason, which is audited
    ABOVE_OPERATOR_CEILING = "above_operator_ceiling"  # refused
    ABOVE_FACE_CEILING = "above_face_ceiling"  # refused unless the role is exempt


@dataclass(frozen=True)
class DepthVerdict:
    status: DepthStatus
    rule: str
    message: str

    @property
    def refused(self) -> bool:
        return self.status in (
            DepthStatus.ABOVE_FACE_CEILING,
            DepthStatus.ABOVE_OPERATOR_CEILING,
        )

    @property
    def needs_reason(self) -> bool:
        return self.status is DepthStatus.OUTSIDE_PLAN_RANGE


def depth_check(
    zone: str,
    depth_mm: float,
    operator_role: str,
    plan_range: DepthRange,
    table: ProtocolTable,
    scope_ceilings: ScopeCeilings,
) -> DepthVerdict:
    """May this operator chart ``depth_mm`` on ``zone``? Refusals first, then plan."""
    if zone not in table.zones:
        raise DomainError(f"unknown zone {zone!r}", code="unknown_zone")
    if not depth_mm > 0:
        raise DomainError(f"a depth must be above 0 mm, not {depth_mm:g}", code="invalid_depth")
    ceilings = table.ceilings
    on_face = zone in ceilings.face_zones
    if on_face and depth_mm > ceilings.face_mm and operator_role not in ceilings.face_exempt_roles:
        return DepthVerdict(
            DepthStatus.ABOVE_FACE_CEILING,
            "DEPTH_ABOVE_FACE_CEILING",
            f"{depth_mm:g} mm on {zone} is above the {ceilings.face_mm:g} mm face "
            f"ceiling; only {', '.join(sorted(ceilings.face_exempt_roles))} may go "
            "deeper.",
        )
    scope = scope_ceilings.get(operator_role)
    if scope is None:
        return DepthVerdict(
            DepthStatus.ABOVE_OPERATOR_CEILING,
            "DEPTH_ABOVE_OPERATOR_CEILING",
            f"the {operator_role} role has no depth ceiling, so it may not chart a "
            "depth; the clinic sets role ceilings in its settings.",
        )
    ceiling = scope.face_mm if on_face else scope.other_mm
    if depth_mm > ceiling:
        return DepthVerdict(
            DepthStatus.ABOVE_OPERATOR_CEILING,
            "DEPTH_ABOVE_OPERATOR_CEILING",
            f"{depth_mm:g} mm on {zone} is above the {ceiling:g} mm ceiling of the "
            f"{operator_role} role.",
        )
    low, high = plan_range
    if not low <= depth_mm <= high:
        return DepthVerdict(
            DepthStatus.OUTSIDE_PLAN_RANGE,
            "DEPTH_OUTSIDE_PLAN_RANGE",
            f"{depth_mm:g} mm on {zone} is outside the plan's {low:g}–{high:g} mm; "
            "record the reason.",
        )
    return DepthVerdict(
        DepthStatus.OK, "DEPTH_OK", f"{depth_mm:g} mm on {zone} is within the plan."
    )
