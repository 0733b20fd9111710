"""Dates of birth and phone numbers as people type them."""

from __future__ import annotations

from datetime import date

import pytest

from needlepoint.patients.validation import typed_date, typed_phone_digits

TODAY = date(2026, 12, 2)


@pytest.mark.parametrize(
    "text",
    [
        "3/14/1985",
        "03/14/1985",
        "1985-03-14",
        "14 March 1985",
        "14 mar 1985",
        "March 14, 1985",
        "Mar 14th 1985",
        "14.03.1985",
        "3/14/85",
    ],
)
def test_a_date_of_birth_typed_any_usual_way_is_understood(text):
    found = typed_date(text, today=TODAY)
    assert found is not None and found.dates == (date(1985, 3, 14),)


def test_a_numeric_date_that_could_be_either_order_means_both():
    found = typed_date("3/4/1985", today=TODAY)
    assert found is not None
    assert set(found.dates) == {date(1985, 3, 4), date(1985, 4, 3)}


def test_a_two_digit_year_is_never_in_the_future():
    found = typed_date("1/2/07", today=TODAY)
    assert found is not None and found.dates[0].year == 2007
    found = typed_date("1/2/30", today=TODAY)
    assert found is not None and found.dates[0].year == 1930


def test_the_words_around_a_date_are_kept_for_the_rest_of_the_search():
    found = typed_date("Jane 14 March 1985", today=TODAY)
    assert found is not None and found.rest == "Jane"


@pytest.mark.parametrize("text", ["Jane", "555-0111", "31/31/1985", "1985"])
def test_text_that_is_not_a_date_is_not_one(text):
    assert typed_date(text, today=TODAY) is None


def test_phone_digits_ignore_punctuation_and_names_are_not_phones():
    assert typed_phone_digits("(555) 010-1234") == "5550101234"
    assert typed_phone_digits("+1 555.010.1234") == "15550101234"
    assert typed_phone_digits("Jane") == ""
    assert typed_phone_digits("12") == ""
