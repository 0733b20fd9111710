"""Graded concerns + phototype + zones + the protocol table -> a recommended plan.

The contract is the shared domain brief ``protocols.md``; the data format and the
interpretations it needed are in ``docs/decisions/0102-protocol-table.md``. Every
clinical number comes from the table (``needlepoint/data/protocols.yaml``), none from
this module. Concern, grade and zone *names* are the API contract and live here, because
stored plans and API clients refer to them; the table must use exactly these.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from needlepoint.domain.errors import DataError, DomainError

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


# --- Parsing the table ----------------------------------------------------------------


@dataclass(frozen=True)
class _At:
    """A raw table value and its key path, so that each complaint can name the line."""

    value: Any
    path: KeyPath = ()

    def fail(self, problem: str) -> DataError:
        where = ""
        for part in self.path:
            where += f"[{part}]" if isinstance(part, int) else f".{part}" if where else part
        return DataError(self.path, f"{where or 'the file'}: {problem}")

    def __getitem__(self, key: str | int) -> _At:
        return _At(self.value[key], (*self.path, key))

    def get(self, key: str) -> _At | None:
        return self[key] if key in self.value else None

    def fields(self, required: Sequence[str], optional: Sequence[str] = ()) -> _At:
        # Unknown keys are refused so that a typo ("sesions") cannot pass unnoticed.
        if not isinstance(self.value, Mapping):
            raise self.fail("must be a mapping of keys to values")
        for key in self.value:
            if key not in required and key not in optional:
                raise self[key].fail(f"unknown key; expected {_quoted([*required, *optional])}")
        for key in required:
            if key not in self.value:
                raise self.fail(f"is missing {key!r}")
        return self

    def keys_among(self, known: Sequence[str], what: str, *, all_: bool = True) -> _At:
        if not isinstance(self.value, Mapping):
            raise self.fail("must be a mapping of keys to values")
        for key in self.value:
            if key not in known:
                raise self[key].fail(f"unknown {what}; expected {_quoted(known)}")
        missing = [key for key in known if key not in self.value]
        if all_ and missing:
            raise self.fail(f"is missing {what} {_quoted(missing)}")
        return self

    def items(self, *, non_empty: bool = True) -> list[_At]:
        if not isinstance(self.value, list):
            raise self.fail("must be a list")
        if non_empty and not self.value:
            raise self.fail("must not be empty")
        return [self[i] for i in range(len(self.value))]

    def text(self) -> str:
        if not isinstance(self.value, str) or not self.value.strip():
            raise self.fail("must be a non-empty text")
        return self.value.strip()

    def optional_text(self, key: str) -> str | None:
        found = self.get(key)
        return None if found is None else found.text()

    def count(self, *, minimum: int = 1) -> int:
        value = self.value
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.fail(f"must be a whole number of at least {minimum}, not {value!r}")
        return value

    def depth(self) -> float:
        value = self.value
        if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
            raise self.fail(f"must be a depth in mm above 0, not {value!r}")
        return float(value)

    def pair(self) -> tuple[_At, _At]:
        items = self.items()
        if len(items) != 2:
            raise self.fail("must be [minimum, maximum]")
        return items[0], items[1]

    def count_range(self, *, minimum: int = 1) -> tuple[int, int]:
        low, high = (v.count(minimum=minimum) for v in self.pair())
        if low > high:
            raise self.fail(f"minimum {low} is above maximum {high}")
        return low, high

    def depth_range(self) -> DepthRange:
        low, high = (v.depth() for v in self.pair())
        if low > high:
            raise self.fail(f"minimum {low:g} mm is above maximum {high:g} mm")
        return low, high

    def names(self, known: Sequence[str], what: str) -> frozenset[str]:
        for item in self.items():
            if item.value not in known:
                raise item.fail(f"unknown {what}; expected {_quoted(known)}")
        return frozenset(self.value)

    def grade(self, concern: str) -> str | None:
        if self.value is not None and not isinstance(self.value, str):
            raise self.fail(f'must be a string: write it in quotes, e.g. "{self.value}"')
        if self.value not in GRADES[concern]:
            raise self.fail(f"not on the {concern} scale ({_quoted(GRADES[concern])})")
        return self.value

    def ranged(self, key: str, *, range_required: bool = True) -> tuple[int, tuple[int, int]]:
        """A default (``key``) and its ``key_range``, the default inside the range."""
        default = self[key].count()
        range_at = self.get(f"{key}_range")
        if range_at is None and not range_required:
            return default, (default, default)
        low, high = self[f"{key}_range"].count_range()
        if not low <= default <= high:
            raise self[key].fail(f"default {default} is outside {key}_range [{low}, {high}]")
        return default, (low, high)


def _quoted(values: Iterable[object]) -> str:
    return ", ".join("null" if v is None else repr(v) for v in values)


def _concern(name: str, at: _At) -> Concern:
    at.fields(("label", "scale", "grades", "usual_zones"))
    grades = []
    for row in at["grades"].items():
        row.fields(("grade", "label"))
        grades.append(Grade(row["grade"].grade(name), row["label"].text()))
    if tuple(g.grade for g in grades) != GRADES[name]:
        raise at["grades"].fail(f"must be exactly {_quoted(GRADES[name])}, mildest first")
    return Concern(
        name,
        at["label"].text(),
        at["scale"].text(),
        tuple(grades),
        at["usual_zones"].names(ZONES, "zone"),
    )


_COURSE_KEYS = (
    "grade",
    "sessions",
    "sessions_range",
    "interval_weeks",
    "interval_weeks_range",
    "maintenance_months",
)


def _courses(concern: str, at: _At) -> dict[tuple[str, str | None], Course]:
    courses: dict[tuple[str, str | None], Course] = {}
    for row in at.items():
        row.fields(_COURSE_KEYS, ("maintenance_months_range", "note"))
        grade = row["grade"].grade(concern)
        if (concern, grade) in courses:
            raise row["grade"].fail(f"grade {grade!r} has a course already")
        courses[(concern, grade)] = Course(
            *row.ranged("sessions"),
            *row.ranged("interval_weeks"),
            *row.ranged("maintenance_months", range_required=False),
            note=row.optional_text("note"),
        )
    missing = [g for g in GRADES[concern] if (concern, g) not in courses]
    if missing:
        raise at.fail(f"has no course for grade {_quoted(missing)}")
    return courses


def _zone(name: str, at: _At) -> Zone:
    at.fields(("label", "depth_mm"), ("concern_bands", "note"))
    bands: dict[str, DepthBand] = {}
    bands_at = at.get("concern_bands")
    if bands_at is not None:
        for concern in bands_at.keys_among(CONCERNS, "concern", all_=False).value:
            if bands_at.value[concern] not in set(DepthBand):
                raise bands_at[concern].fail(f"must be one of {_quoted(list(DepthBand))}")
            bands[concern] = DepthBand(bands_at.value[concern])
    return Zone(
        name,
        at["label"].text(),
        at["depth_mm"].depth_range(),
        MappingProxyType(bands),
        at.optional_text("note"),
    )


def _darker_phototypes(at: _At) -> DarkerPhototypeRule:
    at.fields(("phototypes", "min_interval_weeks", "depth_capped_at_middle_for", "precaution"))
    for item in at["phototypes"].items():
        if isinstance(item.value, bool) or item.value not in PHOTOTYPES:
            raise item.fail("must be a Fitzpatrick phototype from 1 to 6")
    precaution = at["precaution"].fields(("code", "message"))
    return DarkerPhototypeRule(
        frozenset(at.value["phototypes"]),
        at["min_interval_weeks"].count(),
        at["depth_capped_at_middle_for"].names(CONCERNS, "concern"),
        Precaution(precaution["code"].text(), precaution["message"].text()),
    )


def parse_scope_ceilings(raw: object, path: KeyPath = ()) -> ScopeCeilings:
    """Per-role depth ceilings, ``{role: {face: mm, other: mm}}``: a clinic setting."""
    at = _At(raw, path)
    if not isinstance(raw, Mapping) or not raw:
        raise at.fail("must map each role to its {face: mm, other: mm} ceilings")
    ceilings = {}
    for role in raw:
        limits = at[role].fields(("face", "other"))
        ceilings[role] = RoleCeiling(limits["face"].depth(), limits["other"].depth())
    return MappingProxyType(ceilings)


def _ceilings(at: _At) -> Ceilings:
    at.fields(("face_mm", "face_zones", "face_exempt_roles", "default_scope_mm"))
    return Ceilings(
        at["face_mm"].depth(),
        at["face_zones"].names(ZONES, "zone"),
        frozenset(r.text() for r in at["face_exempt_roles"].items(non_empty=False)),
        parse_scope_ceilings(at.value["default_scope_mm"], (*at.path, "default_scope_mm")),
    )


def _follow_up(at: _At) -> FollowUpRules:
    at.fields(("after_session", "after_course", "maintenance_recall"))
    steps = []
    for step in at["after_session"].items():
        step.fields(("kind", "days", "text"))
        first, last = step["days"].count_range(minimum=0)
        steps.append(SessionStep(step["kind"].text(), first, last, step["text"].text()))
    visits: list[CourseFollowUp] = []
    for visit in at["after_course"].items():
        visit.fields(("kind", "months", "text"))
        months = visit["months"].count()
        if visits and months <= visits[-1].months:
            raise visit["months"].fail("must come after the previous visit's months")
        visits.append(CourseFollowUp(visit["kind"].text(), months, visit["text"].text()))
    recall = at["maintenance_recall"].fields(("kind", "text"))
    return FollowUpRules(tuple(steps), tuple(visits), recall["kind"].text(), recall["text"].text())


_TABLE_KEYS = (
    "version",
    "concerns",
    "courses",
    "zones",
    "darker_phototypes",
    "ceilings",
    "follow_up",
)


def parse_protocols(raw: Mapping[str, Any]) -> ProtocolTable:
    """Validate a protocol table read from a file; ``DataError`` names the key path."""
    at = _At(raw).fields(_TABLE_KEYS)
    concerns_at = at["concerns"].keys_among(CONCERNS, "concern")
    courses_at = at["courses"].keys_among(CONCERNS, "concern")
    zones_at = at["zones"].keys_among(ZONES, "zone")
    concerns = {name: _concern(name, concerns_at[name]) for name in CONCERNS}
    courses: dict[tuple[str, str | None], Course] = {}
    for name in CONCERNS:
        courses |= _courses(name, courses_at[name])
    zones = {name: _zone(name, zones_at[name]) for name in ZONES}
    ceilings = _ceilings(at["ceilings"])
    for name in sorted(ceilings.face_zones, key=ZONES.index):
        # A plan is recommended before anyone knows who will treat, so any operator
        # must be able to chart it: no face zone may recommend above the face ceiling.
        if zones[name].depth_mm[1] > ceilings.face_mm:
            raise zones_at[name]["depth_mm"].fail(
                f"maximum is above the {ceilings.face_mm:g} mm face ceiling"
            )
    return ProtocolTable(
        at["version"].text(),
        MappingProxyType(concerns),
        MappingProxyType(courses),
        MappingProxyType(zones),
        _darker_phototypes(at["darker_phototypes"]),
        ceilings,
        _follow_up(at["follow_up"]),
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


# --- Follow-up and patient education --------------------------------------------------


@dataclass(frozen=True)
class FollowUp:
    due_date: date
    kind: str
    months_after: int
    text: str


@dataclass(frozen=True)
class TimelineStep:
    kind: str
    first_day: int
    last_day: int
    starts_on: date
    ends_on: date
    text: str


def add_months(day: date, months: int) -> date:
    """Calendar months later; the 31st lands on the last day of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def follow_up_schedule(
    last_session_date: date,
    table: ProtocolTable,
    *,
    maintenance_months: int,
) -> list[FollowUp]:
    """Outcome visits after the last session of a course and the maintenance recall."""
    if maintenance_months < 1:
        raise DomainError("maintenance_months must be at least 1", code="invalid_months")
    rules = table.follow_up
    due = [
        FollowUp(add_months(last_session_date, v.months), v.kind, v.months, v.text)
        for v in rules.after_course
    ]
    due.append(
        FollowUp(
            add_months(last_session_date, maintenance_months),
            rules.maintenance_recall_kind,
            maintenance_months,
            rules.maintenance_recall_text,
        )
    )
    # sorted() is stable: an outcome visit stays before a recall due the same day.
    return sorted(due, key=lambda f: f.due_date)


def session_timeline(session_date: date, table: ProtocolTable) -> list[TimelineStep]:
    """What the patient can expect, and do, in the days and weeks after a session."""
    return [
        TimelineStep(
            s.kind,
            s.first_day,
            s.last_day,
            session_date + timedelta(days=s.first_day),
            session_date + timedelta(days=s.last_day),
            s.text,
        )
        for s in table.follow_up.after_session
    ]
