"""An import's report in words a clinic admin reads: the command prints them, the page
shows them in a table."""

from __future__ import annotations

from needlepoint.core.labels import count_words, moment_words
from needlepoint.domain.importing import FIELDS

from .importing import (
    CREATE,
    EXISTING,
    REFUSED,
    REPEAT,
    AppointmentOutcome,
    ImportReport,
    LineOutcome,
)

ORDER_WORDS = {"dmy": "day first (31/12/1980)", "mdy": "month first (12/31/1980)"}


def status_words(outcome: LineOutcome, committed: bool) -> str:
    if outcome.status == CREATE:
        return "Created" if committed else "Would be created"
    if outcome.status == EXISTING:
        return "Already registered: not imported"
    if outcome.status == REPEAT:
        first = outcome.first_line.line.where if outcome.first_line else "an earlier line"
        return f"Same person as {first}: not created again"
    return "Refused"


def detail_words(outcome: LineOutcome) -> list[str]:
    """Why, and which records it matches (by name and date of birth)."""
    words = list(outcome.reasons)
    for patient in outcome.existing:
        words.append(
            f"matches the record of {patient.full_name}, born "
            f"{patient.date_of_birth.day} {patient.date_of_birth:%B %Y}"
        )
    return words


def appointment_words(outcome: AppointmentOutcome, committed: bool, zone: object) -> str:
    wanted = outcome.wanted
    when = moment_words(outcome.start, zone) if outcome.start else "an unreadable time"  # type: ignore[arg-type]
    what = f"{outcome.service_name or wanted.service or 'an appointment'}, {when}"
    if wanted.staff:
        what += f", with {wanted.staff}"
    if wanted.room:
        what += f", in {wanted.room}"
    if outcome.booked:
        return f"{what}: {'booked' if committed else 'would be booked'}"
    return f"{what}: not booked, because {outcome.reason}"


def file_words(report: ImportReport) -> list[str]:
    """What the file is and how it was read."""
    source = report.source
    words = [note[0].upper() + note[1:] for note in source.notes]
    order = ORDER_WORDS.get(report.date_order or "", "")
    if source.kind == "fhir":
        words.append("Dates read as FHIR writes them (1980-12-31).")
    elif order:
        words.append(f"Dates read {order}.")
    else:
        words.append("Dates: only those that can be read one way (1980-04-03, 13/04/1980).")
    if source.kind == "csv":
        words.append(
            "Columns read: "
            + ", ".join(f"“{header}” as the {FIELDS[f]}" for f, header in source.used.items())
            + "."
        )
    if source.unknown:
        words.append("Columns not imported: " + ", ".join(f"“{h}”" for h in source.unknown) + ".")
    words.append(f"Appointments are booked at {report.location.name}.")
    return words


def summary_words(report: ImportReport) -> str:
    created = report.count(CREATE)
    verb = "created" if report.committed else "would be created"
    parts = [f"{count_words(created, 'patient')} {verb}"]
    if existing := report.count(EXISTING):
        parts.append(f"{count_words(existing, 'line')} already registered")
    if repeat := report.count(REPEAT):
        parts.append(f"{count_words(repeat, 'line')} repeating an earlier line")
    if refused := report.count(REFUSED):
        parts.append(f"{count_words(refused, 'line')} refused")
    appointments = report.appointments
    if appointments:
        booked = sum(1 for a in appointments if a.booked)
        booked_verb = "booked" if report.committed else "would be booked"
        parts.append(f"{count_words(booked, 'appointment')} {booked_verb}")
        if missed := len(appointments) - booked:
            parts.append(f"{count_words(missed, 'appointment')} not booked (listed)")
    return "; ".join(parts) + "."
