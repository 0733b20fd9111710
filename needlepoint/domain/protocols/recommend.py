"""The recommendation request, its validation and the recommended plan."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from needlepoint.domain.errors import DomainError
from needlepoint.domain.protocols.parsing import _quoted
from needlepoint.domain.protocols.table import (
    PHOTOTYPES,
    DepthRange,
    Precaution,
    ProtocolTable,
    Zone,
)

# --- The request and the recommendation -----------------------------------------------


@dataclass(frozen=True)
class GradedConcern:
    concern: str
    grade: str | None = None


@dataclass(frozen=True)
class ZoneDepth:
    zone: str
    depth_mm: DepthRange


@dataclass(frozen=True)
class Recommendation:
    protocol_version: str
    sessions: int
    sessions_range: tuple[int, int]
    interval_weeks: int
    interval_weeks_range: tuple[int, int]
    maintenance_months: int
    zones: tuple[ZoneDepth, ...]
    precautions: tuple[Precaution, ...]
    notes: tuple[str, ...]


FieldProblem = tuple[str, str]


class InvalidRequest(DomainError):
    """The request names what the table does not know; ``problems`` lists every one."""

    code = "invalid_request"

    def __init__(self, problems: Sequence[FieldProblem]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in problems))
        self.problems = list(problems)


def validate_request(
    concerns: Sequence[GradedConcern],
    fitzpatrick: int,
    zones: Sequence[str],
    table: ProtocolTable,
) -> list[FieldProblem]:
    """Every problem with a recommendation request, as (field path, message)."""
    problems: list[FieldProblem] = []
    if not concerns:
        problems.append(("concerns", "choose at least one concern"))
    for i, item in enumerate(concerns):
        field = f"concerns[{i}]"
        if item.concern not in table.concerns:
            known = _quoted(table.concerns)
            problems.append((f"{field}.concern", f"unknown concern; choose one of {known}"))
            continue
        if item.concern in (earlier.concern for earlier in concerns[:i]):
            problems.append((f"{field}.concern", "listed twice; give one grade per concern"))
        grades = table.grades(item.concern)
        if item.grade not in grades:
            use = "null: it is not graded" if grades == (None,) else f"one of {_quoted(grades)}"
            problems.append((f"{field}.grade", f"not a {item.concern} grade; use {use}"))
    if isinstance(fitzpatrick, bool) or fitzpatrick not in PHOTOTYPES:
        problems.append(("fitzpatrick", "must be a Fitzpatrick phototype from 1 to 6"))
    if not zones:
        problems.append(("zones", "choose at least one zone"))
    for i, zone in enumerate(zones):
        if zone not in table.zones:
            problems.append((f"zones[{i}]", f"unknown zone; choose one of {_quoted(table.zones)}"))
        elif zone in zones[:i]:
            problems.append((f"zones[{i}]", "listed twice"))
    return problems


def _zone_depth(
    zone: Zone, concerns: Sequence[str], darker: bool, table: ProtocolTable
) -> tuple[ZoneDepth, list[str]]:
    notes: list[str] = []
    treated_here = [c for c in concerns if zone.name in table.concerns[c].usual_zones]
    if not treated_here:
        # Unusual, not forbidden (e.g. acne scars on the back): use every concern's
        # band, which stays inside the zone's range, and ask the clinician to confirm.
        treated_here = list(concerns)
        labels = ", ".join(table.concerns[c].label.lower() for c in concerns)
        notes.append(
            f"{zone.label}: not a usual zone for {labels}; the depth follows the "
            "zone's range. Confirm at consultation."
        )
    bands = []
    for concern in treated_here:
        low, high = zone.band(concern)
        if darker and concern in table.darker_phototypes.depth_capped_at_middle_for:
            if high > zone.middle:
                notes.append(
                    f"{zone.label}: for {table.concerns[concern].label.lower()} "
                    f"stay at or below {zone.middle:g} mm, the middle of the zone's "
                    "range (phototype IV–VI)."
                )
            low, high = min(low, zone.middle), min(high, zone.middle)
        bands.append((low, high))
    # Every band touches the zone's middle, so their union is one interval.
    low, high = min(b[0] for b in bands), max(b[1] for b in bands)
    return ZoneDepth(zone.name, (low, high)), notes


def recommend(
    concerns: Sequence[GradedConcern],
    fitzpatrick: int,
    zones: Sequence[str],
    table: ProtocolTable,
) -> Recommendation:
    """The default plan for these concerns, phototype and zones (see protocols.md)."""
    problems = validate_request(concerns, fitzpatrick, zones, table)
    if problems:
        raise InvalidRequest(problems)
    courses = [table.course(c.concern, c.grade) for c in concerns]
    rule = table.darker_phototypes
    darker = fitzpatrick in rule.phototypes

    # Several concerns: the most demanding course sets the default and both ends of the
    # range, so the default always lies inside it.
    sessions = max(c.sessions for c in courses)
    sessions_range = (
        max(c.sessions_range[0] for c in courses),
        max(c.sessions_range[1] for c in courses),
    )
    interval = max(c.interval_weeks for c in courses)
    if darker:
        interval = max(interval, rule.min_interval_weeks)
    # The range keeps its minimum (an override with a reason may go shorter) but
    # stretches to hold a default the phototype rule raised past it.
    interval_range = (
        max(c.interval_weeks_range[0] for c in courses),
        max(max(c.interval_weeks_range[1] for c in courses), interval),
    )
    # The earliest recall serves the concern that needs maintenance soonest.
    maintenance = min(c.maintenance_months for c in courses)

    names = [c.concern for c in concerns]
    notes = [c.note for c in courses if c.note]
    zone_depths = []
    for name in zones:
        zone = table.zones[name]
        depth, zone_notes = _zone_depth(zone, names, darker, table)
        zone_depths.append(depth)
        notes += ([zone.note] if zone.note else []) + zone_notes
    return Recommendation(
        protocol_version=table.version,
        sessions=sessions,
        sessions_range=sessions_range,
        interval_weeks=interval,
        interval_weeks_range=interval_range,
        maintenance_months=maintenance,
        zones=tuple(zone_depths),
        precautions=(rule.precaution,) if darker else (),
        notes=tuple(dict.fromkeys(notes)),
    )
