"""Checks on a person read from another system's export, before ``patient_import`` creates
the record: the registration rules in words a clinic admin reads, and the records that may
already be this person (docs/decisions/0610-import-from-another-system.md)."""

from __future__ import annotations

from datetime import date

from needlepoint.core.errors import InvalidInput
from needlepoint.domain.importing import Person

from .models import Patient
from .selectors import same_person_candidates
from .validation import check_patient_fields

FIELD_WORDS = {
    "given_name": "the first name",
    "family_name": "the last name",
    "date_of_birth": "the date of birth",
    "email": "the e-mail",
    "phone": "the phone number",
}


def import_problems(person: Person, *, today: date) -> list[str]:
    """Why the registration rules refuse this person (empty: they do not)."""
    try:
        check_patient_fields(
            given_name=person.given_name,
            family_name=person.family_name,
            date_of_birth=person.date_of_birth,
            email=person.email.lower(),
            phone=person.phone,
            today=today,
        )
    except InvalidInput as refused:
        return [_in_words(p.field, p.message) for p in refused.problems]
    return []


def _in_words(field: str, message: str) -> str:
    if field == "email" and message.startswith("give an email"):
        return "there is no e-mail or phone number, so the clinic could not reach the patient"
    return f"{FIELD_WORDS.get(field, field)} {message}"


def already_registered(person: Person) -> list[Patient]:
    """The records with this name and date of birth (the rule registration refuses by).
    The caller audits the reads of those it reports."""
    return same_person_candidates(
        given_name=person.given_name,
        family_name=person.family_name,
        date_of_birth=person.date_of_birth,
    )
