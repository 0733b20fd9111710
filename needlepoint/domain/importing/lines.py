"""Each record of an export read into a person (and maybe an appointment), or refused with
reasons; repeats of one person inside the file found."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from .columns import FIELDS
from .dates import DateOrder, DateRefused, file_date_order, read_date, read_date_time
from .reading import Source, SourceRecord

APPOINTMENT_FIELDS = ("appointment_start", "appointment_date", "appointment_time", "service")


@dataclass(frozen=True)
class Person:
    given_name: str
    family_name: str
    date_of_birth: date
    email: str
    phone: str

    @property
    def key(self) -> tuple[str, str, date]:
        return person_key(self.given_name, self.family_name, self.date_of_birth)


@dataclass(frozen=True)
class WantedAppointment:
    """An appointment as the file asks for it: a local wall-clock start, names as written."""

    start: datetime | None
    service: str
    staff: str
    room: str
    problem: str = ""  # why it cannot be read (the person may still be imported)


@dataclass(frozen=True)
class ImportLine:
    where: str
    number: int
    name: str  # as the file writes it, for the report
    person: Person | None
    problems: tuple[str, ...]
    appointment: WantedAppointment | None


def tidy(text: str) -> str:
    """Spaces collapsed: "Mary  Ann " is "Mary Ann", as the duplicate rule compares it."""
    return " ".join(text.split())


def person_key(given_name: str, family_name: str, born: date) -> tuple[str, str, date]:
    """Name (any case, spacing, Unicode form) and date of birth: "the same person"."""

    def norm(text: str) -> str:
        return unicodedata.normalize("NFC", tidy(text)).casefold()

    return norm(given_name), norm(family_name), born


def effective_order(source: Source, order: DateOrder | None) -> DateOrder | None:
    """The order asked for, else the one the file's own dates prove (or None)."""
    if order is not None:
        return order
    texts = [
        r.values.get(name, "")
        for r in source.records
        for name in ("date_of_birth", "appointment_start", "appointment_date")
    ]
    return file_date_order(texts)


def import_lines(source: Source, order: DateOrder | None) -> tuple[ImportLine, ...]:
    """Each record read; repeats of one person are found by the caller, which knows which
    earlier lines will really be created (``Person.key``)."""
    return tuple(_line(record, order) for record in source.records)


def _line(record: SourceRecord, order: DateOrder | None) -> ImportLine:
    values = record.values
    given, family = tidy(values.get("given_name", "")), tidy(values.get("family_name", ""))
    problems = [
        f"the {FIELDS[f]} is missing"
        for f, v in (("given_name", given), ("family_name", family))
        if not v
    ]
    born: date | None = None
    try:
        born = read_date(values.get("date_of_birth", ""), order)
    except DateRefused as refused:
        problems.append(f"the date of birth {refused.message}")
    person = None
    if not problems and born is not None:
        person = Person(
            given_name=given,
            family_name=family,
            date_of_birth=born,
            email=values.get("email", "").strip(),
            phone=tidy(values.get("phone", "")),
        )
    return ImportLine(
        where=record.where,
        number=record.number,
        name=tidy(f"{given} {family}") or "(no name)",
        person=person,
        problems=tuple(problems),
        appointment=_appointment(values, order),
    )


def _appointment(values: dict[str, str], order: DateOrder | None) -> WantedAppointment | None:
    if not any(values.get(name, "").strip() for name in APPOINTMENT_FIELDS):
        return None
    service, staff, room = (tidy(values.get(n, "")) for n in ("service", "staff", "room"))
    text = values.get("appointment_start", "")
    if not text.strip() and values.get("appointment_date", "").strip():
        text = f"{values['appointment_date'].strip()} {values.get('appointment_time', '').strip()}"
    problem = ""
    start = None
    if not service:
        problem = "it names no service"
    try:
        start = read_date_time(text, order)
    except DateRefused as refused:
        problem = problem or f"its start {refused.message}"
    return WantedAppointment(start=start, service=service, staff=staff, room=room, problem=problem)
