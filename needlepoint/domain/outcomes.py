"""Outcomes over months: standard photo views, grades over time, improvement, the report.

Pure Python (no Django): the rules a clinician could argue about live here, written down in
``docs/decisions/0140``–``0149``. Grades are the protocol table's strings
(``needlepoint.domain.protocols.GRADES``, mildest first).

Decisions a newcomer might question:

* **Improvement** is "better by at least one grade" on the concern's ordered severity scale
  (Goodman & Baron 1–4, Fitzpatrick wrinkle class I–III, Glogau I–IV, tone
  mild/moderate/severe). ``stretch_marks`` (rubra/alba) is a *type*, not a severity: a
  rubra mark that turns alba has matured, not improved; ``enlarged_pores`` has no grade. For
  those two, improvement is judged on the clinician's GAIS at the outcome visit (1–3 =
  improved). The same GAIS rule is *not* used for graded concerns: there the grade decides.
* **Sessions between two visits** count sessions on days ``start <= day < end``: baseline
  photos are taken before the first session of the day, outcome photos before any session
  of that day, so a session on the later date has not yet shown in its photos.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from types import MappingProxyType

from needlepoint.domain.errors import DomainError
from needlepoint.domain.protocols import CONCERNS, GRADES

# --- Standard views --------------------------------------------------------------------

# Face: frontal, both obliques and both laterals (reference §8 "standard frontal, oblique and
# lateral views"); 45° and 90° are the photographer's head turns, named from the patient's
# side.
FACE_VIEWS: tuple[str, ...] = ("front", "left_45", "right_45", "left_90", "right_90")
# Body areas for stretch marks (and the body zone): one photo per area treated.
BODY_VIEWS: tuple[str, ...] = (
    "abdomen",
    "thighs",
    "hips",
    "buttocks",
    "upper_arms",
    "breasts",
    "back",
)
VIEWS: tuple[str, ...] = FACE_VIEWS + BODY_VIEWS
VIEW_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "front": "Front",
        "left_45": "Left oblique (45°)",
        "right_45": "Right oblique (45°)",
        "left_90": "Left profile (90°)",
        "right_90": "Right profile (90°)",
        "abdomen": "Abdomen",
        "thighs": "Thighs",
        "hips": "Hips",
        "buttocks": "Buttocks",
        "upper_arms": "Upper arms",
        "breasts": "Breasts",
        "back": "Back",
    }
)
# Concerns whose grade is not a severity scale: improvement comes from the GAIS.
UNGRADED_FOR_IMPROVEMENT: frozenset[str] = frozenset({"stretch_marks", "enlarged_pores"})


class UnknownValue(DomainError):
    code = "unknown_value"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def check_view(view: str) -> str:
    if view not in VIEWS:
        raise UnknownValue("view", f"must be one of {', '.join(VIEWS)}")
    return view


def required_views(*, face: bool = True, body_areas: Iterable[str] = ()) -> tuple[str, ...]:
    """The views a complete visit needs: the five face views when the face is treated, plus
    one photo per body area treated (stretch marks)."""
    wanted = set(body_areas)
    unknown = sorted(wanted - set(BODY_VIEWS))
    if unknown:
        raise UnknownValue("body_areas", f"unknown body area(s): {', '.join(unknown)}")
    return tuple(v for v in VIEWS if (face and v in FACE_VIEWS) or v in wanted)


def missing_views(required: Iterable[str], taken: Iterable[str]) -> tuple[str, ...]:
    """The required views not yet taken, in the standard order."""
    have = set(taken)
    need = set(required)
    return tuple(v for v in VIEWS if v in need and v not in have)


def visit_complete(required: Iterable[str], taken: Iterable[str]) -> bool:
    return not missing_views(required, taken)


# --- Scales ----------------------------------------------------------------------------


class Gais(IntEnum):
    """Global Aesthetic Improvement Scale (reference §5): lower is better."""

    VERY_MUCH_IMPROVED = 1
    MUCH_IMPROVED = 2
    IMPROVED = 3
    NO_CHANGE = 4
    WORSE = 5


GAIS_LABELS: Mapping[int, str] = MappingProxyType(
    {
        1: "very much improved",
        2: "much improved",
        3: "improved",
        4: "no change",
        5: "worse",
    }
)
# The patient's own rating uses the same 1–5 wording; satisfaction is 1 (very dissatisfied)
# to 5 (very satisfied).
SATISFACTION_LABELS: Mapping[int, str] = MappingProxyType(
    {
        1: "very dissatisfied",
        2: "dissatisfied",
        3: "neither",
        4: "satisfied",
        5: "very satisfied",
    }
)
MMASI_RANGE: tuple[float, float] = (0.0, 24.0)

ASSESSMENT_KINDS: tuple[str, ...] = (
    "baseline",
    "before_session",
    "outcome_1m",
    "outcome_3m",
    "outcome_6m",
)
OUTCOME_KINDS: frozenset[str] = frozenset({"outcome_1m", "outcome_3m", "outcome_6m"})


def gais_is_improved(gais: int) -> bool:
    return gais in (1, 2, 3)


def check_grade(concern: str, grade: str | None) -> str | None:
    """The grade if it is on the concern's scale; else an ``UnknownValue`` naming the field."""
    if concern not in CONCERNS:
        raise UnknownValue("concern", f"must be one of {', '.join(CONCERNS)}")
    scale = GRADES[concern]
    if grade not in scale:
        if scale == (None,):
            raise UnknownValue("grade", f"{concern} has no grade; leave it empty")
        shown = ", ".join(f'"{g}"' for g in scale if g is not None)
        raise UnknownValue("grade", f"for {concern} must be one of {shown}")
    return grade


def grade_steps(concern: str, before: str | None, after: str | None) -> int:
    """How many grades better ``after`` is than ``before`` (negative: worse)."""
    check_grade(concern, before)
    check_grade(concern, after)
    scale = GRADES[concern]
    return scale.index(before) - scale.index(after)


def improved(
    concern: str, before: str | None, after: str | None, *, gais: int | None = None
) -> bool | None:
    """Improved by at least one grade; for concerns without a severity scale, the GAIS
    (1–3) decides, and without a GAIS the answer is unknown (None)."""
    if concern in UNGRADED_FOR_IMPROVEMENT:
        check_grade(concern, before)
        check_grade(concern, after)
        return None if gais is None else gais_is_improved(gais)
    return grade_steps(concern, before, after) >= 1


# --- Grades over time -------------------------------------------------------------------


@dataclass(frozen=True)
class GradePoint:
    on: date
    grade: str | None
    kind: str
    gais: int | None = None


def baseline_and_latest(
    points: Sequence[GradePoint],
) -> tuple[GradePoint | None, GradePoint | None]:
    """The baseline (the earliest ``baseline``, else the earliest point at all) and the latest
    point after it (an outcome visit preferred over a before-session grade)."""
    if not points:
        return None, None
    ordered = sorted(points, key=lambda p: p.on)
    baselines = [p for p in ordered if p.kind == "baseline"]
    base = baselines[0] if baselines else ordered[0]
    later = [p for p in ordered if p.on > base.on]
    outcomes = [p for p in later if p.kind in OUTCOME_KINDS]
    chosen = outcomes or later
    return base, (chosen[-1] if chosen else None)


def sessions_between(session_days: Iterable[date], start: date, end: date) -> int:
    """Sessions on days ``start <= day < end`` (either order of the two dates)."""
    low, high = (start, end) if start <= end else (end, start)
    return sum(1 for day in session_days if low <= day < high)


# --- The clinic report ------------------------------------------------------------------


@dataclass(frozen=True)
class PatientCourse:
    """One patient's concern: the baseline grade, the latest grade, the sessions between."""

    patient_id: int
    concern: str
    baseline: str | None
    latest: str | None
    sessions: int
    gais: int | None = None


@dataclass(frozen=True)
class ReportRow:
    sessions: int
    patients: int
    improved: int
    unknown: int = 0

    @property
    def share(self) -> float:
        known = self.patients - self.unknown
        return self.improved / known if known else 0.0


@dataclass(frozen=True)
class ConcernReport:
    concern: str
    rows: tuple[ReportRow, ...]

    @property
    def patients(self) -> int:
        return sum(r.patients for r in self.rows)

    @property
    def improved(self) -> int:
        return sum(r.improved for r in self.rows)


def improvement_report(courses: Iterable[PatientCourse]) -> tuple[ConcernReport, ...]:
    """Per concern (protocol order), patients improved by at least one grade, grouped by the
    number of sessions between baseline and latest grade. A patient appears once per concern
    (the caller passes one course each); courses without a later grade are left out."""
    groups: dict[str, dict[int, list[bool | None]]] = {}
    for course in courses:
        graded = course.concern not in UNGRADED_FOR_IMPROVEMENT
        if (graded and course.latest is None) or (not graded and course.gais is None):
            continue
        result = improved(course.concern, course.baseline, course.latest, gais=course.gais)
        groups.setdefault(course.concern, {}).setdefault(course.sessions, []).append(result)
    reports = []
    for concern in CONCERNS:
        by_sessions = groups.get(concern)
        if not by_sessions:
            continue
        rows = tuple(
            ReportRow(
                sessions=n,
                patients=len(results),
                improved=sum(1 for r in results if r is True),
                unknown=sum(1 for r in results if r is None),
            )
            for n, results in sorted(by_sessions.items())
        )
        reports.append(ConcernReport(concern=concern, rows=rows))
    return tuple(reports)
