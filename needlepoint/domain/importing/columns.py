"""Which column of an old system's export holds which field.

Headers are compared without case, spaces or punctuation ("E-mail", "e mail" and "EMAIL"
are one name). Common names are known; ``--map "Forename=given_name,..."`` names others
(or says ``ignore``). Columns that name no field are reported and left out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from needlepoint.domain.errors import DomainError

# The fields an import fills, and how a clinic admin calls them.
FIELDS: dict[str, str] = {
    "given_name": "first name",
    "family_name": "last name",
    "date_of_birth": "date of birth",
    "email": "e-mail",
    "phone": "phone",
    "appointment_start": "appointment start",
    "appointment_date": "appointment date",
    "appointment_time": "appointment time",
    "service": "service",
    "staff": "aesthetician",
    "room": "room",
}
REQUIRED = ("given_name", "family_name", "date_of_birth")
IGNORE = "ignore"

_KNOWN_NAMES: dict[str, tuple[str, ...]] = {
    "given_name": ("first name", "given name", "forename", "first", "firstname", "given"),
    "family_name": ("last name", "family name", "surname", "last", "lastname", "family"),
    "date_of_birth": ("date of birth", "dob", "birth date", "birthdate", "born", "birthday"),
    "email": ("email", "e-mail", "email address", "e-mail address", "mail"),
    "phone": (
        "phone",
        "mobile",
        "telephone",
        "tel",
        "phone number",
        "mobile phone",
        "mobile number",
        "cell",
        "cell phone",
    ),
    "appointment_start": (
        "appointment start",
        "appointment",
        "next appointment",
        "appointment date and time",
        "start",
        "starts",
    ),
    "appointment_date": ("appointment date", "date of appointment"),
    "appointment_time": ("appointment time", "time of appointment"),
    "service": ("service", "treatment", "appointment type", "appointment service"),
    "staff": ("aesthetician", "staff", "practitioner", "provider", "therapist", "with"),
    "room": ("room", "appointment room"),
}


class ImportFileRefused(DomainError):
    """The file as a whole cannot be imported; the message says why and what to do."""

    code = "import_file_refused"


def header_key(text: str) -> str:
    """A header as compared: lower case, letters and digits only."""
    return re.sub(r"[^0-9a-z]", "", text.casefold())


KNOWN: dict[str, str] = {
    header_key(name): field for field, names in _KNOWN_NAMES.items() for name in names
}


def parse_map(text: str) -> dict[str, str]:
    """``Forename=first name, Mobile no=phone, Notes=ignore`` as {header key: field}. A field
    is named by its code (given_name) or any name the header rule knows (first name)."""
    mapping: dict[str, str] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        header, sep, target = part.partition("=")
        target = target.strip()
        if not sep or not header.strip() or not target:
            raise ImportFileRefused(f"“{part}” in the column map is not COLUMN=FIELD")
        field = target if target in FIELDS or target == IGNORE else KNOWN.get(header_key(target))
        if field is None:
            names = ", ".join([*FIELDS.values(), IGNORE])
            raise ImportFileRefused(f"“{target}” in the column map is no field; use one of {names}")
        mapping[header_key(header)] = field
    return mapping


@dataclass(frozen=True)
class Columns:
    """Column index → field; the headers read as each field; the headers left out."""

    fields: dict[int, str]
    used: dict[str, str]  # field -> header as written
    unknown: tuple[str, ...]


def assign_columns(headers: Sequence[str], mapping: Mapping[str, str]) -> Columns:
    fields: dict[int, str] = {}
    used: dict[str, str] = {}
    unknown: list[str] = []
    for index, header in enumerate(headers):
        key = header_key(header)
        field = mapping.get(key) or KNOWN.get(key)
        if not key and not field:
            continue  # a trailing empty column (a spreadsheet's last separator)
        if field == IGNORE or field is None:
            unknown.append(header.strip())
            continue
        if field in used:
            raise ImportFileRefused(
                f"the columns “{used[field]}” and “{header.strip()}” both hold the "
                f"{FIELDS[field]}; name one of them with the column map (or map it to ignore)"
            )
        fields[index], used[field] = field, header.strip()
    missing = [FIELDS[f] for f in REQUIRED if f not in used]
    if missing:
        raise ImportFileRefused(
            f"no column holds the {' or the '.join(missing)}; the file's columns are "
            + ", ".join(f"“{h.strip()}”" for h in headers)
            + ". Name them with the column map, for example Forename=first name"
        )
    if "appointment_time" in used and "appointment_date" not in used:
        raise ImportFileRefused("an appointment time column needs an appointment date column")
    return Columns(fields=fields, used=used, unknown=tuple(unknown))
