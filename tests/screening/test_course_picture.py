"""The course picture's numbers and words come from the protocol table (decision 0512)."""

from __future__ import annotations

from dataclasses import replace

from needlepoint.data.protocol_table import load_protocols
from needlepoint.domain.protocols import course_outline
from needlepoint.screening.course_picture import course_steps


def test_the_outline_is_read_from_the_shipped_table() -> None:
    outline = course_outline(load_protocols())
    assert outline.sessions == (2, 6)
    assert outline.interval_weeks == (4, 6)
    assert (outline.typical_sessions, outline.typical_interval_weeks) == (3, 4)
    assert outline.change_shows_days == (28, 42)
    assert outline.outcome_months == (1, 3, 6)
    assert outline.maintenance_months == (12, 12)


def test_a_clinic_that_edits_its_table_sees_the_picture_change() -> None:
    table = load_protocols()
    longer = {
        key: replace(course, sessions=8, interval_weeks=6, maintenance_months=6)
        for key, course in table.courses.items()
    }
    outline = course_outline(replace(table, courses=longer))
    assert (outline.sessions, outline.typical_sessions) == ((8, 8), 8)
    steps = {s.kind: s.text for s in course_steps(outline, "Meet us.")}
    assert steps["course"].startswith("Usually 8 sessions, 6 weeks apart")
    assert steps["maintenance"] == "One session every 6 months keeps the results."


def test_the_steps_say_the_course_in_words() -> None:
    steps = course_steps(course_outline(load_protocols()), "Meet an aesthetician.")
    assert [s.title for s in steps] == [
        "Consultation",
        "A course of sessions",
        "Results build over months",
        "Maintenance",
    ]
    words = {s.kind: s.text for s in steps}
    assert words["consultation"] == "Meet an aesthetician."
    assert words["course"].startswith("Usually 2 to 6 sessions, 4 to 6 weeks apart")
    assert words["results"] == (
        "Change begins to show 4 to 6 weeks after a session and keeps building as new "
        "collagen forms. We compare photos 1, 3 and 6 months after your last session."
    )
    assert words["maintenance"] == "One session once a year keeps the results."
