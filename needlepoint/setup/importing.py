"""Importing patients, and their upcoming appointments, from the clinic's old system.

One run reads the file (``domain.importing``), checks every line against the registration
rules and the records already kept, and then writes in ONE transaction: the patients through
``patients.services.patient_import``, the appointments through
``scheduling.services.appointment_book``. A dry run (the default) does the same writes and
rolls them back, so what it reports is what an import would do, appointment clashes between
lines of the file included. Refused lines block the import unless ``skip_refused``; records
with the same name and date of birth are reported, never merged; an appointment that does
not fit the clinic's resources is listed with the reason and the patient is still imported
(docs/decisions/0610-import-from-another-system.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from needlepoint.accounts.models import User
from needlepoint.accounts.roles import STAFF_ROLES
from needlepoint.audit.services import Target, location_chain, record, record_many
from needlepoint.clinic.clock import clinic_today
from needlepoint.clinic.models import Location, Room, Service
from needlepoint.clinic.selectors import location_in_field
from needlepoint.core.errors import Conflict, Forbidden, InvalidInput
from needlepoint.core.labels import count_words
from needlepoint.domain.availability import AvailabilityRules
from needlepoint.domain.importing import (
    DateOrder,
    ImportFileRefused,
    ImportLine,
    Source,
    WantedAppointment,
    effective_order,
    import_lines,
    in_words,
    parse_map,
    read_source,
)
from needlepoint.patients.importing import already_registered, import_problems
from needlepoint.patients.models import Patient
from needlepoint.patients.services import patient_import
from needlepoint.scheduling.rules import booking_rules
from needlepoint.scheduling.services.appointments import appointment_book

CREATE, EXISTING, REPEAT, REFUSED = "create", "existing", "repeat", "refused"


@dataclass
class AppointmentOutcome:
    wanted: WantedAppointment
    start: datetime | None  # aware, at the location
    booked: bool = False
    reason: str = ""
    service_name: str = ""  # the clinic's name for the service, once found
    appointment_id: int | None = None


@dataclass
class LineOutcome:
    line: ImportLine
    status: str
    reasons: list[str] = field(default_factory=list)
    existing: list[Patient] = field(default_factory=list)
    first_line: LineOutcome | None = None  # for a repeat: the line that creates the person
    patient_id: int | None = None
    appointment: AppointmentOutcome | None = None

    @property
    def born(self) -> str:
        person = self.line.person
        return in_words(person.date_of_birth) if person else ""


@dataclass
class ImportReport:
    source: Source
    date_order: DateOrder | None
    location: Location
    committed: bool
    lines: list[LineOutcome]
    blocked: str = ""  # why an import asked for was not done (refused lines)

    def count(self, status: str) -> int:
        return sum(1 for o in self.lines if o.status == status)

    @property
    def appointments(self) -> list[AppointmentOutcome]:
        return [o.appointment for o in self.lines if o.appointment is not None]


class _DryRun(Exception):
    """Raised inside the import's transaction to roll a dry run back."""


def patients_import(
    *,
    actor: User | None,
    data: bytes,
    column_map: str = "",
    date_order: DateOrder | None = None,
    location_slug: str | None = None,
    commit: bool = False,
    skip_refused: bool = False,
    now: datetime | None = None,
) -> ImportReport:
    """Check (``commit`` False) or import the file. ``actor`` None is the operator at the
    command line; a page passes the signed-in clinic admin."""
    if actor is not None and not actor.may("patient.import"):
        raise Forbidden("your role may not import patients")
    try:
        source = read_source(data, parse_map(column_map))
    except ImportFileRefused as unreadable:
        raise InvalidInput.one("file", unreadable.message) from None
    location = location_in_field(location_slug)
    order = effective_order(source, date_order)
    outcomes = _checked(import_lines(source, order), today=clinic_today(location))
    report = ImportReport(source, order, location, committed=commit, lines=outcomes)
    refused = report.count(REFUSED)
    if commit and refused and not skip_refused:
        report.committed = False
        report.blocked = (
            f"Nothing was imported: {count_words(refused, 'line')} "
            f"{'is' if refused == 1 else 'are'} refused. Correct the file, or import the "
            "other lines and leave the refused ones out."
        )
    else:
        try:
            with transaction.atomic():
                _write(actor, report, now=now or timezone.now())
                if not commit:
                    raise _DryRun
        except _DryRun:
            for outcome in outcomes:  # nothing was kept: no record numbers to show
                outcome.patient_id = None
                if outcome.appointment is not None:
                    outcome.appointment.appointment_id = None
    _audit_reads(actor, outcomes)
    return report


def _checked(lines: tuple[ImportLine, ...], *, today: date) -> list[LineOutcome]:
    """Each line's fate, before anything is written."""
    outcomes: list[LineOutcome] = []
    creating: dict[tuple[str, str, date], LineOutcome] = {}
    for line in lines:
        person = line.person
        if person is None:
            outcomes.append(LineOutcome(line, REFUSED, list(line.problems)))
            continue
        problems = import_problems(person, today=today)
        existing = already_registered(person)
        if problems:
            outcome = LineOutcome(line, REFUSED, problems)
        elif existing:
            outcome = LineOutcome(line, EXISTING, existing=existing)
        elif (first := creating.get(person.key)) is not None:
            outcome = LineOutcome(line, REPEAT, first_line=first)
            first_person = first.line.person
            if first_person and (first_person.email, first_person.phone) != (
                person.email,
                person.phone,
            ):
                outcome.reasons.append(
                    f"its contact details differ from {first.line.where}'s, which are kept"
                )
        else:
            outcome = creating[person.key] = LineOutcome(line, CREATE)
        outcomes.append(outcome)
    return outcomes


def _write(actor: User | None, report: ImportReport, *, now: datetime) -> None:
    for outcome in report.lines:
        if outcome.status == CREATE and outcome.line.person is not None:
            outcome.patient_id = patient_import(
                actor=actor,
                person=outcome.line.person,
                where=outcome.line.where,
                source=report.source.kind,
            ).pk
    rules = _staff_rules()
    for outcome in report.lines:
        wanted = outcome.line.appointment
        if wanted is not None:
            outcome.appointment = _book(actor, outcome, wanted, report, rules=rules, now=now)


def _staff_rules() -> AvailabilityRules:
    """An import books as staff do: no notice period (tomorrow's 9 am comes along)."""
    rules = booking_rules()
    return AvailabilityRules(
        grid_minutes=rules.grid_minutes, min_notice=timedelta(0), horizon=rules.horizon
    )


def _book(
    actor: User | None,
    outcome: LineOutcome,
    wanted: WantedAppointment,
    report: ImportReport,
    *,
    rules: AvailabilityRules,
    now: datetime,
) -> AppointmentOutcome:
    location = report.location
    start = wanted.start.replace(tzinfo=location.zone) if wanted.start else None
    result = AppointmentOutcome(wanted=wanted, start=start)
    patient_id = outcome.patient_id
    if outcome.status == REPEAT and outcome.first_line is not None:
        patient_id = outcome.first_line.patient_id
    result.reason = _not_bookable(outcome, wanted, start, now)
    if result.reason or start is None or patient_id is None:
        return result
    try:
        service = _service_named(wanted.service)
        result.service_name = service.name
        staff = _staff_named(wanted.staff) if wanted.staff else None
        room = _room_named(wanted.room, location) if wanted.room else None
        with transaction.atomic():  # a refused booking rolls back to here, not the import
            appointment = appointment_book(
                actor=actor,
                patient=Patient.objects.get(pk=patient_id),
                service=service,
                start=start,
                location=location,
                staff_username=staff.username if staff else None,
                room_slug=room.slug if room else None,
                notes=f"Imported from the clinic's previous system ({outcome.line.where}).",
                now=now,
                rules=rules,
            )
            record(
                actor=actor,
                action="appointment.imported",
                object_type="appointment",
                object_id=appointment.pk,
                patient_id=patient_id,
                detail={"source": report.source.kind, "where": outcome.line.where},
                chain=location_chain(location.pk),
            )
    except InvalidInput as refused:
        result.reason = _clause("; ".join(p.message for p in refused.problems) or refused.message)
        return result
    except Conflict as refused:
        result.reason = _clause(refused.message)
        return result
    result.booked, result.appointment_id = True, appointment.pk
    return result


def _clause(message: str) -> str:
    """A service's sentence as the end of "not booked, because …"."""
    text = message.strip().rstrip(".")
    if text[:1].isupper() and not text[1:2].isupper():
        text = text[0].lower() + text[1:]
    return text


def _not_bookable(
    outcome: LineOutcome, wanted: WantedAppointment, start: datetime | None, now: datetime
) -> str:
    if outcome.status == REFUSED:
        return "the patient is not imported (see why above)"
    if outcome.status == EXISTING:
        return (
            "the patient already has a record here; book it on that record once you have "
            "checked it is the same person"
        )
    if wanted.problem:
        return wanted.problem
    if start is not None and start < now:
        return "it is in the past; past visits are not imported"
    return ""


def _service_named(name: str) -> Service:
    found = Service.objects.filter(Q(slug__iexact=name) | Q(name__iexact=name), active=True)
    service = found.first()
    if service is None:
        raise InvalidInput.one("service", f"the clinic offers no service called “{name}”")
    return service


def _staff_named(name: str) -> User:
    words = name.split()
    by_name = Q(first_name__iexact=name) | Q(username__iexact=name)
    if len(words) >= 2:
        by_name |= Q(first_name__iexact=" ".join(words[:-1]), last_name__iexact=words[-1])
    found = list(User.objects.filter(by_name, is_active=True, role__in=STAFF_ROLES)[:2])
    if len(found) != 1:
        what = "no member of staff" if not found else "more than one member of staff"
        raise InvalidInput.one("staff", f"{what} is called “{name}”")
    return found[0]


def _room_named(name: str, location: Location) -> Room:
    room = Room.objects.filter(Q(slug__iexact=name) | Q(name__iexact=name), location=location)
    found = room.first()
    if found is None:
        raise InvalidInput.one("room", f"{location.name} has no room called “{name}”")
    return found


def _audit_reads(actor: User | None, outcomes: list[LineOutcome]) -> None:
    """The records the report names as already registered are reads of patient data."""
    seen = {p.pk: p for o in outcomes for p in o.existing}
    if seen:
        record_many(
            actor=actor,
            action="patient.read",
            targets=[Target("patient", str(pk), str(pk)) for pk in sorted(seen)],
            detail={"via": "import_check"},
        )
