"""Finding a patient by name, phone or date of birth; merged records are never found."""

from __future__ import annotations

from datetime import date

import pytest

from needlepoint.patients.models import Patient
from needlepoint.patients.selectors import patient_search

pytestmark = pytest.mark.django_db


@pytest.fixture
def jane() -> Patient:
    return Patient.objects.create(
        pk=7777,
        given_name="Jane",
        family_name="Doe",
        date_of_birth=date(1985, 3, 14),
        phone="(555) 010-1234",
    )


@pytest.fixture
def john() -> Patient:
    return Patient.objects.create(
        given_name="John", family_name="Doe", date_of_birth=date(1990, 1, 2), phone="555 999 8888"
    )


def found(actor, q: str) -> list[str]:
    page = patient_search(actor=actor, q=q, record_numbers=False, today=date(2026, 12, 2))
    return [p.given_name for p in page.items]


@pytest.mark.parametrize(
    "q", ["3/14/1985", "1985-03-14", "14 March 1985", "March 14, 1985", "doe 14 march 1985"]
)
def test_a_date_of_birth_finds_the_patient(front_desk, jane, john, q):
    assert found(front_desk.user, q) == ["Jane"]


@pytest.mark.parametrize("q", ["5550101234", "555-010-1234", "(555) 010 1234", "010-1234"])
def test_phone_digits_find_the_patient_whatever_the_punctuation(front_desk, jane, john, q):
    assert found(front_desk.user, q) == ["Jane"]


def test_a_name_finds_everyone_of_that_name(front_desk, jane, john):
    assert found(front_desk.user, "doe") == ["Jane", "John"]
    assert found(front_desk.user, "Doe, Jane") == ["Jane"]


def test_the_staff_search_does_not_look_up_record_numbers(front_desk, jane, john):
    assert found(front_desk.user, str(jane.pk)) == []
    assert patient_search(actor=front_desk.user, q=str(jane.pk)).items == [jane]  # the API's


def test_a_record_merged_into_another_is_not_found(front_desk, jane, john):
    john.merged_into = jane
    john.save()
    assert found(front_desk.user, "doe") == ["Jane"]


def test_the_phone_digits_follow_the_phone(jane):
    jane.phone = "+1 (555) 222-3333"
    jane.save(update_fields=["phone"])
    jane.refresh_from_db()
    assert jane.phone_digits == "15552223333"
