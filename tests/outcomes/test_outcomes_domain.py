"""The outcomes domain: views, improvement, sessions between visits, the report."""

from __future__ import annotations

from datetime import date

import pytest

from needlepoint.domain.outcomes import (
    FACE_VIEWS,
    GAIS_LABELS,
    GradePoint,
    PatientCourse,
    UnknownValue,
    baseline_and_latest,
    check_grade,
    grade_steps,
    improved,
    improvement_report,
    missing_views,
    required_views,
    sessions_between,
    visit_complete,
)


def test_a_face_visit_needs_the_five_standard_views():
    assert required_views() == ("front", "left_45", "right_45", "left_90", "right_90")


def test_stretch_marks_add_one_view_per_body_area_in_standard_order():
    assert required_views(face=False, body_areas=["thighs", "abdomen"]) == ("abdomen", "thighs")


def test_an_unknown_body_area_is_refused():
    with pytest.raises(UnknownValue) as caught:
        required_views(body_areas=["elbow"])
    assert caught.value.field == "body_areas"


def test_missing_views_are_listed_in_standard_order():
    assert missing_views(FACE_VIEWS, ["right_90", "front"]) == ("left_45", "right_45", "left_90")


def test_a_visit_with_every_view_is_complete_and_extra_views_do_not_matter():
    assert visit_complete(FACE_VIEWS, [*FACE_VIEWS, "back"])
    assert not visit_complete(FACE_VIEWS, ["front"])


def test_one_grade_better_on_goodman_baron_is_improved():
    assert improved("acne_scars", "3", "2") is True
    assert grade_steps("acne_scars", "4", "2") == 2


def test_the_same_or_a_worse_grade_is_not_improved():
    assert improved("fine_lines_wrinkles", "II", "II") is False
    assert improved("sun_damage", "II", "III") is False
    assert grade_steps("sun_damage", "II", "III") == -1


def test_tone_is_ordered_mild_moderate_severe():
    assert improved("uneven_skin_tone", "severe", "moderate") is True


def test_stretch_marks_turning_alba_is_not_improvement_the_gais_decides():
    assert improved("stretch_marks", "rubra", "alba") is None
    assert improved("stretch_marks", "rubra", "alba", gais=2) is True
    assert improved("stretch_marks", "alba", "alba", gais=4) is False


def test_a_grade_off_the_concerns_scale_is_refused_naming_the_field():
    with pytest.raises(UnknownValue) as caught:
        check_grade("acne_scars", "III")
    assert caught.value.field == "grade"
    with pytest.raises(UnknownValue) as caught:
        check_grade("wrinkly", "I")
    assert caught.value.field == "concern"


def test_gais_has_five_labels_from_very_much_improved_to_worse():
    assert GAIS_LABELS[1] == "very much improved" and GAIS_LABELS[5] == "worse"


def test_sessions_between_count_the_first_day_but_not_the_last():
    sessions = [date(2026, 1, 5), date(2026, 2, 2), date(2026, 3, 2), date(2026, 6, 1)]
    assert sessions_between(sessions, date(2026, 1, 5), date(2026, 6, 1)) == 3
    assert sessions_between(sessions, date(2026, 6, 1), date(2026, 1, 5)) == 3
    assert sessions_between(sessions, date(2026, 1, 6), date(2026, 1, 7)) == 0


def test_baseline_is_the_baseline_kind_and_latest_prefers_outcome_visits():
    points = [
        GradePoint(date(2026, 2, 1), "3", "before_session"),
        GradePoint(date(2026, 1, 1), "3", "baseline"),
        GradePoint(date(2026, 6, 1), "2", "outcome_3m"),
        GradePoint(date(2026, 7, 1), "2", "before_session"),
    ]
    base, latest = baseline_and_latest(points)
    assert base is not None and base.on == date(2026, 1, 1)
    assert latest is not None and latest.kind == "outcome_3m"


def test_no_points_give_no_baseline():
    assert baseline_and_latest([]) == (None, None)


def test_the_report_groups_patients_by_sessions_and_counts_the_improved():
    courses = [
        PatientCourse(1, "acne_scars", "3", "2", sessions=3),
        PatientCourse(2, "acne_scars", "3", "3", sessions=3),
        PatientCourse(3, "acne_scars", "4", "2", sessions=6),
        PatientCourse(4, "acne_scars", "4", None, sessions=1),  # no later grade: left out
        PatientCourse(5, "fine_lines_wrinkles", "II", "I", sessions=4),
        PatientCourse(6, "stretch_marks", "rubra", "alba", sessions=5, gais=3),
    ]
    report = {r.concern: r for r in improvement_report(courses)}
    assert list(report) == ["acne_scars", "fine_lines_wrinkles", "stretch_marks"]
    acne = report["acne_scars"]
    assert [(r.sessions, r.patients, r.improved) for r in acne.rows] == [(3, 2, 1), (6, 1, 1)]
    assert acne.patients == 3 and acne.improved == 2
    assert acne.rows[0].share == 0.5
    assert report["stretch_marks"].improved == 1
