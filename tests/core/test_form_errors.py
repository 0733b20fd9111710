"""The one way pages turn a service's refusal into form errors."""

from __future__ import annotations

from django import forms

from needlepoint.core.errors import Conflict, FieldProblem, InvalidInput, NotFound
from needlepoint.core.form_errors import add_to_form, form_errors


class _Form(forms.Form):
    start = forms.CharField(required=False)
    notes = forms.CharField(required=False)


def test_each_problem_goes_beside_its_field() -> None:
    exc = InvalidInput(
        [FieldProblem("start", "choose a free time"), FieldProblem("notes", "too long")]
    )
    shown = form_errors(exc, fields=["start", "notes"])
    assert shown.fields == {"start": "choose a free time", "notes": "too long"}
    assert shown.summary == ""


def test_a_problem_the_page_has_no_field_for_joins_the_summary() -> None:
    exc = InvalidInput([FieldProblem("start", "choose a free time"), FieldProblem("plan", "ended")])
    shown = form_errors(exc, fields=["start"])
    assert shown.fields == {"start": "choose a free time"}
    assert shown.summary == "ended"


def test_rename_maps_service_fields_to_page_fields() -> None:
    exc = InvalidInput.one("overrides.depth_mm", "too deep for the forehead")
    shown = form_errors(exc, rename=lambda name: name.removeprefix("overrides."))
    assert shown.fields == {"depth_mm": "too deep for the forehead"}
    assert form_errors(exc, rename={"overrides.depth_mm": "depth"}).fields == {
        "depth": "too deep for the forehead"
    }


def test_conflicts_and_not_found_are_a_summary() -> None:
    assert form_errors(Conflict("book a new appointment instead")).summary == (
        "book a new appointment instead"
    )
    shown = form_errors(NotFound("no such patient"))
    assert (shown.summary, shown.fields) == ("no such patient", {})
    assert not form_errors(InvalidInput([]))


def test_add_to_form_keeps_what_was_typed() -> None:
    form = _Form(data={"start": "09:15", "notes": "left cheek"})
    form.is_valid()
    add_to_form(form, InvalidInput([FieldProblem("start", "taken"), FieldProblem("x", "odd")]))
    assert form.errors["start"] == ["taken"]
    assert form.non_field_errors() == ["odd"]
    assert form.data["notes"] == "left cheek"
