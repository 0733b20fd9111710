"""Checks on patient demographics shared by the API and the pages."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from needlepoint.core.errors import Problems

PHONE = re.compile(r"^\+?[0-9 ()./-]{7,20}$")


def check_patient_fields(
    *, given_name: str, family_name: str, date_of_birth: date, email: str, phone: str, today: date
) -> None:
    problems = Problems()
    if not given_name.strip():
        problems.add("given_name", "is required")
    if not family_name.strip():
        problems.add("family_name", "is required")
    if date_of_birth > today:
        problems.add("date_of_birth", "cannot be in the future")
    elif date_of_birth.year < 1900:
        problems.add("date_of_birth", "must be after 1900")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.add("email", "is not a valid email address")
    if phone and not PHONE.match(phone):
        problems.add("phone", "must be a phone number: digits, spaces, + ( ) - . / (7 to 20)")
    if not email and not phone:
        problems.add("email", "give an email or a phone number so the clinic can reach the patient")
    problems.raise_if_any()
