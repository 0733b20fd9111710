"""The session chart's checks, amendments and the role scope setting."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from needlepoint.domain.charting.rules import (
    AMENDABLE_FIELDS,
    AMENDMENT_FIELD_UNKNOWN,
    ANESTHETIC_CONTRAINDICATED,
    DEPTH_INVALID,
    ENDPOINT_UNKNOWN,
    ENDPOINTS,
    MAX_PASSES,
    NO_TOPICAL_ANESTHETIC,
    PASSES_INVALID,
    REASON_REQUIRED,
    TOPICAL_LOT_REQUIRED,
    TOPICAL_NOT_APPROVED,
    ZONE_REPEATED,
    ZONE_UNKNOWN,
    ZONES_REQUIRED,
)
from needlepoint.domain.errors import DomainError
from needlepoint.domain.protocols import (
    DepthRange,
    DepthStatus,
    ProtocolTable,
    ScopeCeilings,
    depth_check,
)

# --- The session chart -----------------------------------------------------------------


@dataclass(frozen=True)
class ZoneEntry:
    zone: str
    depth_mm: float
    passes: int
    reason: str = ""


@dataclass(frozen=True)
class TopicalEntry:
    product: str
    lot: str
    override_reason: str = ""


@dataclass(frozen=True)
class ChartDraft:
    zones: tuple[ZoneEntry, ...]
    anesthetic: str
    topicals: tuple[TopicalEntry, ...]
    endpoint: str


class ProblemKind(StrEnum):
    REFUSED = "refused"  # 422: a value that can never be charted
    NEEDS_REASON = "needs_reason"  # 422 until a reason is given


@dataclass(frozen=True)
class ChartProblem:
    field: str
    rule: str
    message: str
    kind: ProblemKind = ProblemKind.REFUSED


@dataclass(frozen=True)
class ChartContext:
    """Everything the chart is judged against, gathered by the caller."""

    operator_role: str
    plan_zones: Mapping[str, DepthRange]
    precautions: frozenset[str]
    approved_products: frozenset[str]
    table: ProtocolTable
    scope_ceilings: ScopeCeilings


@dataclass(frozen=True)
class ZoneJudgement:
    zone: str
    depth_mm: float
    rule: str
    message: str
    plan_range: DepthRange | None


@dataclass(frozen=True)
class ChartVerdict:
    problems: tuple[ChartProblem, ...]
    zones: tuple[ZoneJudgement, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def rule(self) -> str:
        """The first refusing rule: what the API names as the reason."""
        return self.problems[0].rule if self.problems else "CHART_OK"


def check_chart(draft: ChartDraft, ctx: ChartContext) -> ChartVerdict:
    """Every problem with a chart, refusals and missing reasons alike."""
    problems: list[ChartProblem] = []
    judged: list[ZoneJudgement] = []
    if not draft.zones:
        problems.append(ChartProblem("zones", ZONES_REQUIRED, "chart at least one zone"))
    seen: set[str] = set()
    for i, entry in enumerate(draft.zones):
        at = f"zones[{i}]"
        if entry.zone not in ctx.table.zones:
            problems.append(
                ChartProblem(
                    f"{at}.zone",
                    ZONE_UNKNOWN,
                    f"unknown zone {entry.zone!r}; one of {', '.join(ctx.table.zones)}",
                )
            )
            continue
        if entry.zone in seen:
            problems.append(
                ChartProblem(f"{at}.zone", ZONE_REPEATED, f"{entry.zone} is charted twice")
            )
        seen.add(entry.zone)
        if not 1 <= entry.passes <= MAX_PASSES:
            problems.append(
                ChartProblem(f"{at}.passes", PASSES_INVALID, f"must be between 1 and {MAX_PASSES}")
            )
        if not entry.depth_mm > 0:
            problems.append(ChartProblem(f"{at}.depth_mm", DEPTH_INVALID, "must be above 0 mm"))
            continue
        plan_range = ctx.plan_zones.get(entry.zone)
        # A zone the plan does not list has no plan range: charting it needs a reason.
        verdict = depth_check(
            entry.zone,
            entry.depth_mm,
            ctx.operator_role,
            plan_range or (0.0, -1.0),
            ctx.table,
            ctx.scope_ceilings,
        )
        message = verdict.message
        if plan_range is None and verdict.status is DepthStatus.OUTSIDE_PLAN_RANGE:
            message = f"{entry.zone} is not in the plan; record the reason."
        judged.append(ZoneJudgement(entry.zone, entry.depth_mm, verdict.rule, message, plan_range))
        if verdict.refused:
            problems.append(ChartProblem(f"{at}.depth_mm", verdict.rule, message))
        elif verdict.needs_reason and not entry.reason.strip():
            problems.append(
                ChartProblem(f"{at}.reason", verdict.rule, message, ProblemKind.NEEDS_REASON)
            )
    if draft.endpoint not in ENDPOINTS:
        problems.append(
            ChartProblem("endpoint", ENDPOINT_UNKNOWN, f"must be one of {', '.join(ENDPOINTS)}")
        )
    if draft.anesthetic.strip() and NO_TOPICAL_ANESTHETIC in ctx.precautions:
        problems.append(
            ChartProblem(
                "anesthetic",
                ANESTHETIC_CONTRAINDICATED,
                "the patient has precaution NO_TOPICAL_ANESTHETIC (numbing-cream allergy); "
                "no topical anaesthetic may be charted",
            )
        )
    for i, topical in enumerate(draft.topicals):
        at = f"topicals[{i}]"
        if not topical.lot.strip():
            problems.append(
                ChartProblem(f"{at}.lot", TOPICAL_LOT_REQUIRED, "record the product's lot")
            )
        if topical.product in ctx.approved_products:
            continue
        overridden = ctx.operator_role == "physician" and topical.override_reason.strip()
        if not overridden:
            problems.append(
                ChartProblem(
                    f"{at}.product",
                    TOPICAL_NOT_APPROVED,
                    f"{topical.product!r} is not on the clinic's list of sterile products "
                    "approved for needled skin (non-sterile serums have caused granulomas); "
                    "only a physician may override it, with a reason",
                )
            )
    return ChartVerdict(tuple(problems), tuple(judged))


# --- Amendments ------------------------------------------------------------------------


def check_amendment(changes: Mapping[str, object], reason: str) -> list[ChartProblem]:
    problems: list[ChartProblem] = []
    if not reason.strip():
        problems.append(ChartProblem("reason", REASON_REQUIRED, "an amendment needs a reason"))
    if not changes:
        problems.append(
            ChartProblem("changes", AMENDMENT_FIELD_UNKNOWN, "name at least one field to change")
        )
    for name, value in changes.items():
        if name not in AMENDABLE_FIELDS:
            problems.append(
                ChartProblem(
                    f"changes.{name}",
                    AMENDMENT_FIELD_UNKNOWN,
                    f"may not be amended; amendable: {', '.join(AMENDABLE_FIELDS)}",
                )
            )
        elif name == "endpoint" and value not in ENDPOINTS:
            problems.append(
                ChartProblem(
                    "changes.endpoint", ENDPOINT_UNKNOWN, f"must be one of {', '.join(ENDPOINTS)}"
                )
            )
        elif name == "aftercare_given" and not isinstance(value, bool):
            problems.append(
                ChartProblem("changes.aftercare_given", "VALUE_INVALID", "must be true or false")
            )
        elif name in ("immediate_reactions", "notes") and not isinstance(value, str):
            problems.append(ChartProblem(f"changes.{name}", "VALUE_INVALID", "must be a text"))
    return problems


def parse_scope_setting(text: str) -> dict[str, tuple[float, float]]:
    """``"aesthetician=1.0/2.0,physician=2.5/2.5"`` -> {role: (face_mm, other_mm)}.

    The empty text means: use the protocol file's defaults.
    """
    result: dict[str, tuple[float, float]] = {}
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        role, sep, limits = item.partition("=")
        face, slash, other = limits.partition("/")
        try:
            values = (float(face), float(other if slash else face))
        except ValueError:
            raise DomainError(
                f"{item!r}: write role=FACE_MM/OTHER_MM, e.g. aesthetician=1.0/2.0",
                code="SCOPE_SETTING_INVALID",
            ) from None
        if not sep or not role.strip() or not all(0 < v <= 3.0 for v in values):
            raise DomainError(
                f"{item!r}: write role=FACE_MM/OTHER_MM with depths above 0 and at most 3 mm",
                code="SCOPE_SETTING_INVALID",
            )
        result[role.strip()] = values
    return result
