"""The protocol engine against the contract in protocols.md; needs no database."""

from __future__ import annotations

import ast
import copy
import dataclasses
import json
import sys
from datetime import date
from itertools import combinations, product
from pathlib import Path
from typing import Any

import pytest
import yaml

from needlepoint.data.loading import DataFileError
from needlepoint.data.protocol_table import PROTOCOL_FILE, load_protocols
from needlepoint.domain import protocols
from needlepoint.domain.errors import DataError
from needlepoint.domain.protocols import (
    CONCERNS,
    GRADES,
    PHOTOTYPES,
    ZONES,
    DepthStatus,
    GradedConcern,
    InvalidRequest,
    ProtocolTable,
    follow_up_schedule,
    parse_protocols,
    parse_scope_ceilings,
    recommend,
    session_timeline,
    validate_request,
)

TABLE = load_protocols()
SCOPE = TABLE.ceilings.default_scope


RAW: dict[str, Any] = yaml.safe_load(PROTOCOL_FILE.read_text(encoding="utf-8"))


def raw_table() -> dict[str, Any]:
    """A fresh copy of the shipped table as plain data, to edit in a test."""
    return copy.deepcopy(RAW)


def plan(
    *concerns: tuple[str, str | None],
    fitzpatrick: int = 2,
    zones: tuple[str, ...] = ("forehead",),
    table: ProtocolTable = TABLE,
) -> protocols.Recommendation:
    return recommend([GradedConcern(c, g) for c, g in concerns], fitzpatrick, zones, table)


def depths(recommendation: protocols.Recommendation) -> dict[str, tuple[float, float]]:
    return {z.zone: z.depth_mm for z in recommendation.zones}


# --- The shipped table ----------------------------------------------------------------


def test_the_shipped_table_loads_with_a_version_and_a_course_for_every_grade() -> None:
    assert TABLE.version == "2026.11-default"
    assert list(TABLE.concerns) == list(CONCERNS)
    assert list(TABLE.zones) == list(ZONES)
    for concern in CONCERNS:
        assert TABLE.grades(concern) == GRADES[concern]
        for grade in GRADES[concern]:
            assert TABLE.course(concern, grade)


def test_grades_are_the_strings_of_the_contract() -> None:
    assert GRADES == {
        "acne_scars": ("1", "2", "3", "4"),
        "fine_lines_wrinkles": ("I", "II", "III"),
        "sun_damage": ("I", "II", "III", "IV"),
        "uneven_skin_tone": ("mild", "moderate", "severe"),
        "stretch_marks": ("rubra", "alba"),
        "enlarged_pores": (None,),
    }


def test_the_engine_uses_only_the_standard_library_and_never_reads_the_clock() -> None:
    # The engine is a package: check every module in it, not only __init__.py.
    sources = [
        path.read_text(encoding="utf-8")
        for path in sorted(Path(protocols.__file__).parent.glob("*.py"))
    ]
    imported = set()
    for source in sources:
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
    outside = {
        m
        for m in imported
        if m.split(".")[0] not in sys.stdlib_module_names
        and not m.startswith("needlepoint.domain.protocols.")
    }
    assert outside <= {"needlepoint.domain.errors"}
    assert len(sources) > 1
    assert all("today(" not in source and "now(" not in source for source in sources)


# --- The worked example ---------------------------------------------------------------


def test_the_worked_example_gives_exactly_the_contract_json() -> None:
    recommendation = plan(("acne_scars", "3"), fitzpatrick=4, zones=("cheeks", "forehead"))
    as_json = json.loads(json.dumps(dataclasses.asdict(recommendation)))
    assert as_json == {
        "protocol_version": "2026.11-default",
        "sessions": 4,
        "sessions_range": [4, 6],
        "interval_weeks": 6,
        "interval_weeks_range": [4, 6],
        "maintenance_months": 12,
        "zones": [
            {"zone": "cheeks", "depth_mm": [1.0, 1.5]},
            {"zone": "forehead", "depth_mm": [0.25, 0.5]},
        ],
        "precautions": [
            {"code": "PIH_RISK", "message": TABLE.darker_phototypes.precaution.message}
        ],
        "notes": [],
    }
    assert "test spot" in as_json["precautions"][0]["message"]


# --- Each row of the course table (protocols.md), phototype I–III ---------------------

COURSE_ROWS = [
    # concern, grade, sessions, sessions range, interval, interval range, maintenance
    ("acne_scars", "1", 3, (2, 4), 4, (4, 6), 12),
    ("acne_scars", "2", 3, (3, 4), 4, (4, 6), 12),
    ("acne_scars", "3", 4, (4, 6), 4, (4, 6), 12),
    ("acne_scars", "4", 6, (6, 8), 6, (4, 6), 12),
    ("fine_lines_wrinkles", "I", 3, (3, 4), 4, (4, 6), 12),
    ("fine_lines_wrinkles", "II", 4, (4, 6), 4, (4, 6), 12),
    ("fine_lines_wrinkles", "III", 6, (6, 8), 4, (4, 6), 12),
    ("sun_damage", "I", 2, (1, 3), 4, (4, 6), 12),
    ("sun_damage", "II", 3, (3, 4), 4, (4, 6), 12),
    ("sun_damage", "III", 4, (4, 6), 4, (4, 6), 12),
    ("sun_damage", "IV", 6, (4, 6), 4, (4, 6), 12),
    ("uneven_skin_tone", "mild", 3, (3, 4), 4, (2, 6), 12),
    ("uneven_skin_tone", "moderate", 4, (4, 6), 4, (2, 6), 12),
    ("uneven_skin_tone", "severe", 6, (6, 8), 4, (2, 6), 12),
    ("stretch_marks", "rubra", 3, (3, 4), 4, (4, 6), 12),
    ("stretch_marks", "alba", 5, (4, 6), 4, (4, 6), 12),
    ("enlarged_pores", None, 3, (3, 4), 4, (4, 6), 12),
]


@pytest.mark.parametrize(
    (
        "concern",
        "grade",
        "sessions",
        "sessions_range",
        "interval",
        "interval_range",
        "maintenance",
    ),
    COURSE_ROWS,
)
def test_each_concern_and_grade_recommends_its_row_of_the_course_table(
    concern: str,
    grade: str | None,
    sessions: int,
    sessions_range: tuple[int, int],
    interval: int,
    interval_range: tuple[int, int],
    maintenance: int,
) -> None:
    recommendation = plan((concern, grade), fitzpatrick=2)
    assert recommendation.sessions == sessions
    assert recommendation.sessions_range == sessions_range
    assert recommendation.interval_weeks == interval
    assert recommendation.interval_weeks_range == interval_range
    assert recommendation.maintenance_months == maintenance
    assert recommendation.precautions == ()


def test_stretch_marks_maintenance_may_range_from_6_to_12_months() -> None:
    assert TABLE.course("stretch_marks", "alba").maintenance_months_range == (6, 12)
    assert TABLE.course("acne_scars", "1").maintenance_months_range == (12, 12)


# --- Several concerns -----------------------------------------------------------------


def test_several_concerns_take_the_largest_defaults_and_the_most_demanding_range() -> None:
    recommendation = plan(("acne_scars", "1"), ("fine_lines_wrinkles", "III"))
    assert recommendation.sessions == 6
    assert recommendation.sessions_range == (6, 8)
    assert recommendation.interval_weeks == 4


def test_several_concerns_take_the_largest_interval_default() -> None:
    recommendation = plan(("acne_scars", "4"), ("uneven_skin_tone", "mild"))
    assert recommendation.interval_weeks == 6
    # Acne scars want at least 4 weeks, so tone's shorter 2 weeks is no longer in range.
    assert recommendation.interval_weeks_range == (4, 6)


def test_several_concerns_recall_for_maintenance_at_the_earliest_default() -> None:
    raw = raw_table()
    raw["courses"]["stretch_marks"][1]["maintenance_months"] = 6
    table = parse_protocols(raw)
    recommendation = plan(("stretch_marks", "alba"), ("acne_scars", "2"), table=table)
    assert recommendation.maintenance_months == 6


# --- Fitzpatrick IV–VI ----------------------------------------------------------------


@pytest.mark.parametrize("fitzpatrick", [4, 5, 6])
def test_phototypes_iv_to_vi_get_at_least_6_weeks_and_the_pih_precaution(
    fitzpatrick: int,
) -> None:
    recommendation = plan(("uneven_skin_tone", "moderate"), fitzpatrick=fitzpatrick)
    assert recommendation.interval_weeks == 6
    assert recommendation.interval_weeks_range == (2, 6)
    assert [p.code for p in recommendation.precautions] == ["PIH_RISK"]


@pytest.mark.parametrize("fitzpatrick", [1, 2, 3])
def test_phototypes_i_to_iii_keep_the_table_interval_and_no_precaution(
    fitzpatrick: int,
) -> None:
    recommendation = plan(("uneven_skin_tone", "moderate"), fitzpatrick=fitzpatrick)
    assert recommendation.interval_weeks == 4
    assert recommendation.precautions == ()


def test_a_range_below_the_phototype_minimum_stretches_to_hold_the_default() -> None:
    raw = raw_table()
    raw["courses"]["sun_damage"][0]["interval_weeks_range"] = [3, 5]
    recommendation = plan(("sun_damage", "I"), fitzpatrick=5, table=parse_protocols(raw))
    assert recommendation.interval_weeks == 6
    assert recommendation.interval_weeks_range == (3, 6)


# --- Depth bands ----------------------------------------------------------------------


def test_acne_scars_use_the_upper_half_of_the_cheeks() -> None:
    assert depths(plan(("acne_scars", "3"), zones=("cheeks",))) == {"cheeks": (1.0, 1.5)}


def test_uneven_skin_tone_uses_the_lower_half_of_the_cheeks() -> None:
    assert depths(plan(("uneven_skin_tone", "mild"), zones=("cheeks",))) == {"cheeks": (0.5, 1.0)}


def test_other_concerns_use_the_whole_zone_range() -> None:
    recommendation = plan(("fine_lines_wrinkles", "II"), zones=("cheeks", "neck", "body"))
    assert depths(recommendation)["cheeks"] == (0.5, 1.5)
    assert depths(recommendation)["neck"] == (0.5, 1.0)


def test_bands_apply_only_where_the_zone_lists_them() -> None:
    # The worked example: acne scars on the forehead get the forehead's whole range.
    assert depths(plan(("acne_scars", "3"), zones=("forehead",))) == {"forehead": (0.25, 0.5)}


def test_tone_on_phototype_iv_to_vi_stays_at_or_below_the_middle_of_each_zone() -> None:
    recommendation = plan(
        ("uneven_skin_tone", "severe"),
        fitzpatrick=4,
        zones=("forehead", "periorbital", "cheeks"),
    )
    assert depths(recommendation) == {
        "forehead": (0.25, 0.375),
        "periorbital": (0.25, 0.275),
        "cheeks": (0.5, 1.0),
    }
    assert any(
        "Forehead: for uneven skin tone stay at or below 0.375 mm" in n
        for n in recommendation.notes
    )


def test_uneven_skin_tone_on_phototype_i_to_iii_is_not_capped() -> None:
    assert depths(plan(("uneven_skin_tone", "mild"), fitzpatrick=3)) == {"forehead": (0.25, 0.5)}


def test_several_concerns_on_one_zone_get_the_union_of_their_bands() -> None:
    recommendation = plan(("acne_scars", "2"), ("uneven_skin_tone", "mild"), zones=("cheeks",))
    assert depths(recommendation) == {"cheeks": (0.5, 1.5)}


def test_the_tone_cap_limits_only_the_tone_passes_of_a_shared_zone() -> None:
    recommendation = plan(
        ("acne_scars", "2"),
        ("uneven_skin_tone", "mild"),
        fitzpatrick=5,
        zones=("cheeks", "forehead"),
    )
    assert depths(recommendation) == {"cheeks": (0.5, 1.5), "forehead": (0.25, 0.5)}


def test_zones_come_back_in_request_order() -> None:
    zones = ("neck", "cheeks", "periorbital", "forehead")
    assert [z.zone for z in plan(("sun_damage", "II"), zones=zones).zones] == list(zones)


# --- Notes ----------------------------------------------------------------------------


def test_periorbital_and_neck_carry_their_safety_notes() -> None:
    notes = plan(("fine_lines_wrinkles", "I"), zones=("periorbital", "neck")).notes
    assert any("never on the eyelids or inside the orbital rim" in n for n in notes)
    assert any("stay at the low end unless a physician treats" in n for n in notes)


def test_sun_damage_iv_advises_a_surgical_consultation() -> None:
    assert any("surgical consultation" in n for n in plan(("sun_damage", "IV")).notes)
    assert not any("surgical consultation" in n for n in plan(("sun_damage", "III")).notes)


def test_enlarged_pores_note_limited_evidence() -> None:
    assert any("limited" in n for n in plan(("enlarged_pores", None), zones=("nose",)).notes)


def test_a_concern_outside_its_usual_zones_keeps_a_depth_and_asks_to_confirm() -> None:
    recommendation = plan(("acne_scars", "4"), zones=("body",))
    assert depths(recommendation) == {"body": (1.5, 2.0)}
    confirm = "Body: not a usual zone for acne scars; the depth follows the zone's range."
    assert recommendation.notes == (f"{confirm} Confirm at consultation.",)


def test_a_zone_takes_only_the_concerns_usually_treated_there() -> None:
    recommendation = plan(("acne_scars", "3"), ("stretch_marks", "alba"), zones=("cheeks", "body"))
    assert depths(recommendation) == {"cheeks": (1.0, 1.5), "body": (1.5, 2.0)}
    assert recommendation.notes == ()


def test_a_plain_plan_has_no_notes() -> None:
    assert plan(("fine_lines_wrinkles", "II"), zones=("cheeks",)).notes == ()


# --- Request validation ---------------------------------------------------------------


def test_validation_lists_every_problem_with_its_field() -> None:
    concerns = [
        GradedConcern("wrinkles", "I"),
        GradedConcern("acne_scars", "5"),
        GradedConcern("acne_scars", "2"),
        GradedConcern("enlarged_pores", "1"),
    ]
    problems = validate_request(concerns, 7, ["cheeks", "scalp", "cheeks"], TABLE)
    assert [field for field, _ in problems] == [
        "concerns[0].concern",
        "concerns[1].grade",
        "concerns[2].concern",
        "concerns[3].grade",
        "fitzpatrick",
        "zones[1]",
        "zones[2]",
    ]
    messages = dict(problems)
    assert "'1', '2', '3', '4'" in messages["concerns[1].grade"]
    assert "listed twice" in messages["concerns[2].concern"]
    assert "null" in messages["concerns[3].grade"]
    assert "1 to 6" in messages["fitzpatrick"]


def test_validation_requires_at_least_one_concern_and_one_zone() -> None:
    assert validate_request([], 3, [], TABLE) == [
        ("concerns", "choose at least one concern"),
        ("zones", "choose at least one zone"),
    ]


@pytest.mark.parametrize("fitzpatrick", [0, 7, -1, True])
def test_a_phototype_outside_1_to_6_is_refused(fitzpatrick: int) -> None:
    problems = validate_request([GradedConcern("acne_scars", "1")], fitzpatrick, ["nose"], TABLE)
    assert [field for field, _ in problems] == ["fitzpatrick"]


def test_recommend_refuses_an_invalid_request_with_every_problem() -> None:
    with pytest.raises(InvalidRequest) as refused:
        plan(("acne_scars", None), fitzpatrick=9, zones=("elbow",))
    assert [field for field, _ in refused.value.problems] == [
        "concerns[0].grade",
        "fitzpatrick",
        "zones[0]",
    ]


# --- Parsing the table ----------------------------------------------------------------

DELETE = object()
# (what changes, its new value or DELETE, the key path the error must name, the problem)
BAD_TABLES = {
    "a default outside its range": (
        ("courses", "acne_scars", 3, "interval_weeks"),
        7,
        None,
        "outside interval_weeks_range",
    ),
    "a range upside down": (
        ("courses", "sun_damage", 0, "sessions_range"),
        [3, 1],
        None,
        "above maximum",
    ),
    "a depth that is not positive": (
        ("zones", "nose", "depth_mm"),
        [0, 0.5],
        ("zones", "nose", "depth_mm", 0),
        "above 0",
    ),
    "depths upside down": (
        ("zones", "body", "depth_mm"),
        [2.0, 1.5],
        None,
        "above maximum",
    ),
    "an unknown concern": (("courses", "wrinkles"), [], None, "unknown concern"),
    "a grade missing from the scale": (
        ("courses", "acne_scars", 0, "grade"),
        "5",
        None,
        "not on the acne_scars scale",
    ),
    "an unquoted grade": (("courses", "acne_scars", 0, "grade"), 1, None, "quotes"),
    "a grade without a course": (
        ("courses", "fine_lines_wrinkles", 2),
        DELETE,
        ("courses", "fine_lines_wrinkles"),
        "no course for grade 'III'",
    ),
    "a scale missing a grade": (
        ("concerns", "sun_damage", "grades", 3),
        DELETE,
        ("concerns", "sun_damage", "grades"),
        "'I', 'II', 'III', 'IV'",
    ),
    "a misspelt key": (("courses", "acne_scars", 0, "sesions"), 3, None, "unknown key"),
    "a missing zone": (
        ("zones", "decollete"),
        DELETE,
        ("zones",),
        "missing zone 'decollete'",
    ),
    "a face zone above the face ceiling": (
        ("zones", "cheeks", "depth_mm"),
        [0.5, 2.0],
        None,
        "face ceiling",
    ),
    "an unknown band": (
        ("zones", "cheeks", "concern_bands", "acne_scars"),
        "top",
        None,
        "upper_half",
    ),
    "an unknown usual zone": (
        ("concerns", "stretch_marks", "usual_zones"),
        ["belly"],
        ("concerns", "stretch_marks", "usual_zones", 0),
        "unknown zone",
    ),
    "a phototype outside 1–6": (
        ("darker_phototypes", "phototypes"),
        [4, 7],
        ("darker_phototypes", "phototypes", 1),
        "1 to 6",
    ),
    "no version": (("version",), DELETE, (), "missing 'version'"),
    "a negative scope ceiling": (
        ("ceilings", "default_scope_mm", "aesthetician", "face"),
        -1,
        None,
        "above 0",
    ),
    "follow-up months out of order": (
        ("follow_up", "after_course", 2, "months"),
        2,
        None,
        "after the previous",
    ),
}


@pytest.mark.parametrize(
    ("change", "value", "path", "problem"), BAD_TABLES.values(), ids=BAD_TABLES.keys()
)
def test_parse_protocols_rejects_bad_data_with_the_key_path(
    change: tuple[str | int, ...],
    value: Any,
    path: tuple[str | int, ...] | None,
    problem: str,
) -> None:
    raw = raw_table()
    parent: Any = raw
    for key in change[:-1]:
        parent = parent[key]
    if value is DELETE:
        del parent[change[-1]]
    else:
        parent[change[-1]] = value
    with pytest.raises(DataError) as rejected:
        parse_protocols(raw)
    assert rejected.value.path == (change if path is None else path)
    assert problem in rejected.value.message


def test_a_bad_value_in_a_copy_of_the_file_names_the_file_and_its_line(
    tmp_path: Path,
) -> None:
    text = PROTOCOL_FILE.read_text(encoding="utf-8")
    row = '{grade: "4", sessions: 6, sessions_range: [6, 8], interval_weeks: 6, '
    bad = text.replace(row + "interval_weeks_range: [4, 6]", row + "interval_weeks_range: [4, 5]")
    assert bad != text
    file = tmp_path / "protocols.yaml"
    file.write_text(bad, encoding="utf-8")
    expected_line = next(i for i, line in enumerate(bad.splitlines(), 1) if row in line)
    with pytest.raises(DataFileError) as rejected:
        load_protocols(file)
    assert rejected.value.line == expected_line
    assert str(rejected.value).startswith(f"{file}, line {expected_line}: ")
    assert "interval_weeks_range [4, 5]" in rejected.value.problem


def test_a_file_that_is_not_yaml_names_the_file_and_its_line(tmp_path: Path) -> None:
    file = tmp_path / "protocols.yaml"
    file.write_text('version: "x"\nconcerns: [acne_scars\nzones: {}\n', encoding="utf-8")
    with pytest.raises(DataFileError) as rejected:
        load_protocols(file)
    assert rejected.value.file == str(file)
    assert rejected.value.line == 3


# --- Depth checks for the session chart -----------------------------------------------


def check(
    zone: str,
    depth: float,
    role: str,
    plan_range: tuple[float, float] = (1.0, 1.5),
    scope: protocols.ScopeCeilings = SCOPE,
) -> protocols.DepthVerdict:
    return protocols.depth_check(zone, depth, role, plan_range, TABLE, scope)


def test_a_depth_inside_the_plan_is_ok() -> None:
    verdict = check("cheeks", 1.25, "aesthetician")
    assert (verdict.status, verdict.rule, verdict.refused, verdict.needs_reason) == (
        DepthStatus.OK,
        "DEPTH_OK",
        False,
        False,
    )


def test_a_depth_outside_the_plan_range_needs_a_reason() -> None:
    verdict = check("cheeks", 0.75, "aesthetician")
    assert verdict.status is DepthStatus.OUTSIDE_PLAN_RANGE
    assert verdict.rule == "DEPTH_OUTSIDE_PLAN_RANGE"
    assert verdict.needs_reason and not verdict.refused


def test_an_aesthetician_is_refused_above_the_face_ceiling() -> None:
    verdict = check("cheeks", 1.75, "aesthetician", plan_range=(1.0, 2.0))
    assert verdict.status is DepthStatus.ABOVE_FACE_CEILING
    assert verdict.rule == "DEPTH_ABOVE_FACE_CEILING"
    assert verdict.refused
    assert "1.5 mm" in verdict.message


def test_the_face_ceiling_also_covers_the_neck_and_decollete() -> None:
    assert check("neck", 1.6, "aesthetician").status is DepthStatus.ABOVE_FACE_CEILING
    assert check("decollete", 1.6, "aesthetician").status is DepthStatus.ABOVE_FACE_CEILING


def test_a_physician_may_go_past_the_face_ceiling_with_a_reason() -> None:
    verdict = check("cheeks", 1.75, "physician")
    assert verdict.status is DepthStatus.OUTSIDE_PLAN_RANGE


def test_a_physician_is_still_held_to_the_physician_scope_ceiling() -> None:
    assert check("cheeks", 2.75, "physician").status is DepthStatus.ABOVE_OPERATOR_CEILING


def test_the_body_is_not_under_the_face_ceiling_but_under_the_role_ceiling() -> None:
    assert check("body", 2.0, "aesthetician", plan_range=(1.5, 2.0)).status is DepthStatus.OK
    verdict = check("body", 2.25, "aesthetician", plan_range=(1.5, 2.5))
    assert verdict.status is DepthStatus.ABOVE_OPERATOR_CEILING
    assert verdict.rule == "DEPTH_ABOVE_OPERATOR_CEILING"


def test_a_clinic_setting_can_lower_an_aesthetician_ceiling_to_its_state_rule() -> None:
    arizona = parse_scope_ceilings({"aesthetician": {"face": 0.5, "other": 0.5}})
    verdict = check("forehead", 0.75, "aesthetician", plan_range=(0.25, 0.75), scope=arizona)
    assert verdict.status is DepthStatus.ABOVE_OPERATOR_CEILING
    assert "0.5 mm" in verdict.message


def test_a_role_without_a_ceiling_may_not_chart_a_depth() -> None:
    verdict = check("forehead", 0.25, "front_desk", plan_range=(0.25, 0.5))
    assert verdict.status is DepthStatus.ABOVE_OPERATOR_CEILING


def test_a_scope_setting_with_a_bad_value_names_its_path() -> None:
    with pytest.raises(DataError) as rejected:
        parse_scope_ceilings({"aesthetician": {"face": 1.5}})
    assert rejected.value.path == ("aesthetician",)


# --- Follow-up and timeline -----------------------------------------------------------


def test_outcome_visits_fall_1_3_and_6_calendar_months_after_the_last_session() -> None:
    schedule = follow_up_schedule(date(2026, 1, 31), TABLE, maintenance_months=12)
    assert [(f.due_date, f.kind) for f in schedule] == [
        (date(2026, 2, 28), "outcome_visit"),
        (date(2026, 4, 30), "outcome_visit"),
        (date(2026, 7, 31), "outcome_visit"),
        (date(2027, 1, 31), "maintenance_recall"),
    ]


def test_a_maintenance_recall_due_with_an_outcome_visit_comes_after_it() -> None:
    schedule = follow_up_schedule(date(2026, 3, 15), TABLE, maintenance_months=6)
    assert [(f.due_date, f.kind) for f in schedule][-2:] == [
        (date(2026, 9, 15), "outcome_visit"),
        (date(2026, 9, 15), "maintenance_recall"),
    ]


def test_the_timeline_after_a_session_gives_dates_for_each_step() -> None:
    timeline = session_timeline(date(2026, 3, 10), TABLE)
    assert [(s.kind, s.starts_on, s.ends_on) for s in timeline] == [
        ("redness", date(2026, 3, 10), date(2026, 3, 13)),
        ("check_in", date(2026, 3, 11), date(2026, 3, 12)),
        ("resume_skincare", date(2026, 3, 15), date(2026, 3, 17)),
        ("next_session", date(2026, 4, 7), date(2026, 4, 21)),
    ]
    assert "mild sunburn" in timeline[0].text


# --- Every combination stays inside the table -----------------------------------------


def test_every_combination_recommends_only_values_inside_the_table_ranges() -> None:
    zone_sets = [(z,) for z in ZONES] + [
        ("cheeks", "forehead"),
        ("periorbital", "nose", "perioral", "chin_jawline"),
        ("neck", "decollete", "body"),
        ZONES,
    ]
    checked = 0
    for size in (1, 2, 3):
        for names in combinations(CONCERNS, size):
            for grades in product(*(GRADES[name] for name in names)):
                concerns = [GradedConcern(n, g) for n, g in zip(names, grades, strict=True)]
                courses = [TABLE.course(n, g) for n, g in zip(names, grades, strict=True)]
                for fitzpatrick in PHOTOTYPES:
                    for zones in zone_sets:
                        _assert_inside_table(
                            recommend(concerns, fitzpatrick, zones, TABLE),
                            courses,
                            zones,
                        )
                        checked += 1
    assert checked > 20_000


def _assert_inside_table(
    recommendation: protocols.Recommendation,
    courses: list[protocols.Course],
    zones: tuple[str, ...],
) -> None:
    r = recommendation
    assert any(lo <= r.sessions <= hi for lo, hi in (c.sessions_range for c in courses))
    assert r.sessions_range[0] <= r.sessions <= r.sessions_range[1]
    assert any(lo <= r.interval_weeks <= hi for lo, hi in (c.interval_weeks_range for c in courses))
    assert r.interval_weeks_range[0] <= r.interval_weeks <= r.interval_weeks_range[1]
    assert any(
        lo <= r.maintenance_months <= hi for lo, hi in (c.maintenance_months_range for c in courses)
    )
    assert [z.zone for z in r.zones] == list(zones)
    for zone_depth in r.zones:
        zone_low, zone_high = TABLE.zones[zone_depth.zone].depth_mm
        low, high = zone_depth.depth_mm
        assert zone_low <= low <= high <= zone_high
