"""Parsing and validating the protocol table and the per-role scope ceilings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from needlepoint.domain.errors import DataError
from needlepoint.domain.protocols.table import (
    CONCERNS,
    GRADES,
    PHOTOTYPES,
    ZONES,
    Ceilings,
    Concern,
    Course,
    CourseFollowUp,
    DarkerPhototypeRule,
    DepthBand,
    DepthRange,
    FollowUpRules,
    Grade,
    KeyPath,
    Precaution,
    ProtocolTable,
    RoleCeiling,
    ScopeCeilings,
    SessionStep,
    Zone,
)

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
