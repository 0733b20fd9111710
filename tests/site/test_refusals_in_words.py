"""The portal and the public booking page say a refusal in words (core/form_errors.py): a
problem's internal field name never reaches the page, and nothing a service said is dropped."""

from __future__ import annotations

from needlepoint.booking.views import _errors
from needlepoint.core.errors import Conflict, FieldProblem, InvalidInput
from needlepoint.portal.views import _problems


def test_the_portal_says_the_messages_without_field_names() -> None:
    exc = InvalidInput(
        [
            FieldProblem("start", "That time is no longer free."),
            FieldProblem("plan_session_id", "This session is already booked."),
        ]
    )
    (said,) = _problems(exc)
    assert "That time is no longer free." in said
    assert "This session is already booked." in said
    assert "start:" not in said and "plan_session_id" not in said


def test_the_portal_says_a_conflict_as_its_message() -> None:
    assert _problems(Conflict("Book inside the plan's spacing.", code="SPACING")) == [
        "Book inside the plan's spacing."
    ]


def test_booking_puts_each_problem_by_its_field_and_the_rest_above_the_form() -> None:
    exc = InvalidInput(
        [
            FieldProblem("email", "Enter an email address."),
            FieldProblem("location", "Choose one of the clinic's places."),
        ]
    )
    fields, summary = _errors(exc)
    assert fields == {"email": ["Enter an email address."]}
    assert summary == "Choose one of the clinic's places."
