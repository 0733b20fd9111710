"""An export file as records of fields: a CSV (any common spelling of it) or a FHIR R4
Bundle of Patient resources."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .columns import FIELDS, ImportFileRefused, assign_columns

DELIMITERS = {",": "commas", ";": "semicolons", "\t": "tabs"}


@dataclass(frozen=True)
class SourceRecord:
    """One person (and maybe one appointment) as the file has them, still as text."""

    where: str  # "line 4", "entry 3": how the report names it
    number: int
    values: dict[str, str]


@dataclass(frozen=True)
class Source:
    kind: str  # "csv" or "fhir"
    records: tuple[SourceRecord, ...]
    notes: tuple[str, ...] = field(default=())  # about the file as a whole, in words
    used: dict[str, str] = field(default_factory=dict)  # field -> header or FHIR element
    unknown: tuple[str, ...] = ()


def decode(data: bytes) -> tuple[str, str]:
    """The text of the file (a UTF-8 byte-order mark dropped) and how it was read. A file
    that is not UTF-8 is read as Windows-1252, what spreadsheet programs on Windows save."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # "Unicode text" from a spreadsheet
        return data.decode("utf-16"), "UTF-16"
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "Windows-1252 (not UTF-8)"


def read_source(data: bytes, mapping: Mapping[str, str]) -> Source:
    text, encoding = decode(data)
    if not text.strip():
        raise ImportFileRefused("the file is empty")
    if text.lstrip().startswith("{"):
        return read_fhir(text)
    source = read_csv(text, mapping)
    return Source(
        kind=source.kind,
        records=source.records,
        notes=(f"read as {encoding}", *source.notes),
        used=source.used,
        unknown=source.unknown,
    )


def _delimiter(header_line: str) -> str:
    """The separator the header line uses most, outside quotes."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(text: str, mapping: Mapping[str, str]) -> Source:
    # newline="" semantics: the csv module handles \r\n, \n and quoted line breaks itself.
    first_line = text.splitlines()[0] if text else ""
    delimiter = _delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = next(reader)
    except (StopIteration, csv.Error):
        raise ImportFileRefused("the file has no header line") from None
    columns = assign_columns(headers, mapping)
    records: list[SourceRecord] = []
    start = reader.line_num + 1
    try:
        for cells in reader:
            line = start
            start = reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue  # blank lines are not people
            values = {
                name: cells[index].strip()
                for index, name in columns.fields.items()
                if index < len(cells)
            }
            records.append(SourceRecord(where=f"line {line}", number=line, values=values))
    except csv.Error as exc:
        raise ImportFileRefused(f"line {reader.line_num} cannot be read as CSV: {exc}") from None
    notes = [f"columns separated by {DELIMITERS[delimiter]}"]
    return Source(
        kind="csv",
        records=tuple(records),
        notes=tuple(notes),
        used=columns.used,
        unknown=columns.unknown,
    )


# ---------------------------------------------------------------- FHIR R4


def read_fhir(text: str) -> Source:
    """Patient resources of a Bundle (or one Patient): name (the official one, else the
    first), birthDate, telecom email and phone. Other resources are counted and left out;
    gender is not kept by Needlepoint."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFileRefused(f"the file is not JSON (line {exc.lineno}: {exc.msg})") from None
    if not isinstance(document, dict):
        raise ImportFileRefused("the file is JSON but not a FHIR Bundle")
    if document.get("resourceType") == "Patient":
        resources: list[Any] = [document]
    elif document.get("resourceType") == "Bundle":
        entries = document.get("entry") or []
        if not isinstance(entries, list):
            raise ImportFileRefused("the Bundle's entry is not a list")
        resources = [e.get("resource") if isinstance(e, dict) else None for e in entries]
    else:
        raise ImportFileRefused("the file is JSON but not a FHIR Bundle of Patient resources")
    records: list[SourceRecord] = []
    skipped: dict[str, int] = {}
    genders = 0
    for number, resource in enumerate(resources, start=1):
        kind = resource.get("resourceType") if isinstance(resource, dict) else None
        if kind != "Patient" or not isinstance(resource, dict):
            skipped[str(kind or "unreadable")] = skipped.get(str(kind or "unreadable"), 0) + 1
            continue
        genders += bool(resource.get("gender"))
        ident = resource.get("id")
        where = f"entry {number}" + (f" (Patient {ident})" if isinstance(ident, str) else "")
        records.append(SourceRecord(where=where, number=number, values=_patient_values(resource)))
    notes = ["a FHIR R4 Bundle"]
    notes += [
        f"{n} {kind} resource(s) left out: only patients are imported"
        for kind, n in sorted(skipped.items())
    ]
    if genders:
        notes.append(f"gender given for {genders} patient(s): Needlepoint does not keep it")
    used = {name: name for name in ("given_name", "family_name", "date_of_birth", "email", "phone")}
    return Source(kind="fhir", records=tuple(records), notes=tuple(notes), used=used)


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _patient_values(resource: dict[str, Any]) -> dict[str, str]:
    names = [n for n in resource.get("name") or [] if isinstance(n, dict)]
    name = next((n for n in names if n.get("use") == "official"), names[0] if names else {})
    given = name.get("given") or []
    values = {
        "given_name": " ".join(_text(g) for g in given if _text(g))
        if isinstance(given, list)
        else "",
        "family_name": _text(name.get("family")),
        "date_of_birth": _text(resource.get("birthDate")),
    }
    for point in resource.get("telecom") or []:
        if not isinstance(point, dict):
            continue
        system, value = point.get("system"), _text(point.get("value"))
        target = "email" if system == "email" else "phone" if system in ("phone", "sms") else ""
        if target and value and not values.get(target):
            values[target] = value
    return {k: v for k, v in values.items() if k in FIELDS}
