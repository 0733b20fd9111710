"""`patients_import`: the messy CSV and the FHIR Bundle, dry run and import, on the rules of
docs/decisions/0610-import-from-another-system.md."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine

from needlepoint.audit.models import AuditEvent
from needlepoint.core.errors import Forbidden, InvalidInput
from needlepoint.patients.models import Patient
from needlepoint.scheduling.models import Appointment
from needlepoint.setup import importing
from needlepoint.setup.importing import patients_import

from .conftest import NOW


def run(data: bytes, **options: Any) -> importing.ImportReport:
    with time_machine.travel(NOW, tick=False):
        return patients_import(actor=None, data=data, **options)


def by_line(report: importing.ImportReport) -> dict[str, importing.LineOutcome]:
    return {o.line.where: o for o in report.lines}


def snapshot() -> tuple[int, int, int]:
    return Patient.objects.count(), Appointment.objects.count(), AuditEvent.objects.count()


def test_the_fixture_is_as_messy_as_it_says(messy: bytes) -> None:
    assert messy.startswith(b"\xef\xbb\xbf")  # a UTF-8 byte-order mark
    assert messy.count(b"\r\n") == messy.count(b"\n")  # Windows line ends only
    assert messy.split(b"\r\n")[0].count(b";") == 9  # semicolons


def test_the_dry_run_reports_every_line_and_changes_nothing(clinic: Any, messy: bytes) -> None:
    before = snapshot()
    report = run(messy)
    lines = by_line(report)

    assert not report.committed
    assert report.date_order == "dmy"  # 14/03/1985 proves the file writes the day first
    assert [o.status for o in report.lines] == [
        "create",  # line 2 Jane Doe
        "refused",  # line 3 31/02/1980
        "create",  # line 4 Mary Ann (spaces tidied)
        "repeat",  # line 5 Jane DOE again
        "refused",  # line 6 no first name
        "existing",  # line 7 Pat Persona is registered
        "create",  # line 8 Ann Clash
        "create",  # line 9 Lee Late
        "create",  # line 10 Sam Sunday
        "refused",  # line 11 no e-mail or phone
        "create",  # line 13 Tom Treat (line 12 is blank)
        "create",  # line 14 Ines Ünal, ISO date
    ]
    assert "“31/02/1980” is not a date in the calendar" in lines["line 3"].reasons[0]
    assert lines["line 6"].reasons == ["the first name is missing"]
    assert "no e-mail or phone" in lines["line 11"].reasons[0]
    assert lines["line 4"].line.name == "Mary Ann"
    assert lines["line 5"].first_line is lines["line 2"]
    assert "contact details differ from line 2" in lines["line 5"].reasons[0]
    assert [p.full_name for p in lines["line 7"].existing] == ["Pat Persona"]
    assert report.source.unknown == ("Insurance no",)
    # Nothing kept but one read event: the report names pat's record.
    patients, appointments, events = before
    assert snapshot()[:2] == (patients, appointments)
    new = AuditEvent.objects.order_by("pk")[events:]
    assert [(e.action, e.detail["via"]) for e in new] == [("patient.read", "import_check")]


def test_the_dry_run_lists_appointments_that_do_not_fit(clinic: Any, messy: bytes) -> None:
    report = run(messy)
    lines = by_line(report)

    booked = {where for where, o in lines.items() if o.appointment and o.appointment.booked}
    assert booked == {"line 2", "line 5"}  # line 5's goes to line 2's new record
    # Aria and the consultation room are line 2's at that time.
    assert "staff are booked at that time" in lines["line 8"].appointment.reason
    assert "past" in lines["line 9"].appointment.reason
    assert "outside the working hours" in lines["line 10"].appointment.reason  # a Sunday
    assert "no consultation has been recorded" in lines["line 13"].appointment.reason
    assert not any(o.patient_id for o in report.lines)  # rolled back: no numbers to show


def test_refused_lines_block_the_import_unless_skipped(clinic: Any, messy: bytes) -> None:
    before = snapshot()
    report = run(messy, commit=True)

    assert not report.committed
    assert "3 lines are refused" in report.blocked
    assert snapshot()[:2] == before[:2]


def test_the_import_creates_books_and_audits(clinic: Any, messy: bytes) -> None:
    patients, appointments, _ = snapshot()
    report = run(messy, commit=True, skip_refused=True)

    assert report.committed
    assert Patient.objects.count() == patients + 7
    mary = Patient.objects.get(family_name="Ann")
    assert (mary.given_name, mary.date_of_birth) == ("Mary", date(1990, 6, 5))
    jane = Patient.objects.get(family_name="Doe")
    assert jane.email == "jane@example.com"  # line 2's details, not line 5's
    assert Appointment.objects.filter(patient=jane).count() == 2
    assert Appointment.objects.count() == appointments + 2
    imported = AuditEvent.objects.filter(action="patient.imported")
    assert sorted(int(e.patient_id) for e in imported) == sorted(
        o.patient_id for o in report.lines if o.status == "create"
    )
    assert {e.detail["where"] for e in imported} >= {"line 2", "line 14"}
    assert AuditEvent.objects.filter(action="appointment.imported").count() == 2
    # Pat's record is untouched and not duplicated.
    assert Patient.objects.filter(given_name="Pat", family_name="Persona").count() == 1


def test_the_audit_chain_verifies_after_a_check_and_an_import(clinic: Any, messy: bytes) -> None:
    from needlepoint.audit.verify import verify_chains

    run(messy)
    run(messy, commit=True, skip_refused=True)
    report = verify_chains()
    assert not report.breaks and not report.unchecked
    assert report.events == AuditEvent.objects.count()


def test_the_import_is_all_or_nothing(
    clinic: Any, messy: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot()
    real = importing.patient_import
    calls = []

    def fails_on_the_third(**kwargs: Any) -> Patient:
        calls.append(kwargs["where"])
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(importing, "patient_import", fails_on_the_third)
    with pytest.raises(RuntimeError):
        run(messy, commit=True, skip_refused=True)
    assert snapshot() == before


def test_a_second_import_of_the_same_file_matches_every_person(clinic: Any, messy: bytes) -> None:
    run(messy, commit=True, skip_refused=True)
    again = run(messy)
    statuses = {o.status for o in again.lines}
    assert statuses == {"existing", "refused"}


def test_the_date_order_can_be_given(clinic: Any) -> None:
    data = b"first name,last name,dob,email\nAl,Bo,03/04/1980,al@example.com\n"
    refused = run(data)
    assert refused.lines[0].status == "refused"
    assert "could be 3 April 1980 or 4 March 1980" in refused.lines[0].reasons[0]
    day_first = run(data, date_order="dmy")
    assert day_first.lines[0].line.person.date_of_birth == date(1980, 4, 3)
    month_first = run(data, date_order="mdy")
    assert month_first.lines[0].line.person.date_of_birth == date(1980, 3, 4)


def test_the_column_map_names_other_headers(clinic: Any) -> None:
    data = b"Vorname,Nachname,Geburtstag,Notiz,Telefon\nAl,Bo,1980-04-03,vip,+1 555 0100\n"
    with pytest.raises(InvalidInput) as refused:
        run(data)
    assert "no column holds the first name or the last name" in refused.value.problems[0].message
    report = run(
        data,
        column_map="Vorname=given_name, nachname=last name,GEBURTSTAG=date of birth,"
        "Notiz=ignore,Telefon=phone",
    )
    assert report.lines[0].status == "create"
    assert report.source.unknown == ("Notiz",)


def test_the_fhir_bundle(clinic: Any, bundle: bytes) -> None:
    report = run(bundle, commit=True, skip_refused=True)
    lines = by_line(report)

    assert report.source.kind == "fhir"
    assert [o.status for o in report.lines] == ["create", "refused", "existing"]
    anna = Patient.objects.get(pk=lines["entry 2 (Patient p1)"].patient_id)
    assert (anna.given_name, anna.family_name) == ("Anna Maria", "Smith")  # the official name
    assert (anna.email, anna.phone) == ("anna.smith@example.com", "+1 555 0142")
    assert "“1979” is not a whole date" in lines["entry 3 (Patient p2)"].reasons[0]
    notes = " ".join(report.source.notes)
    assert "1 Appointment resource(s) left out" in notes
    assert "1 Organization resource(s) left out" in notes
    assert "does not keep it" in notes  # gender
    assert AuditEvent.objects.filter(action="patient.imported", patient_id=str(anna.pk)).exists()


def test_files_that_cannot_be_imported_say_why(clinic: Any) -> None:
    for data, words in [
        (b"", "empty"),
        (b'{"resourceType": "Observation"}', "not a FHIR Bundle"),
        (b"{not json", "not JSON"),
        (b"name,dob\nAl,1980-01-01\n", "no column holds"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            run(data)
        assert words in refused.value.problems[0].message


def test_only_the_clinic_admin_imports(clinic: Any, front_desk: Any, clinic_admin: Any) -> None:
    data = b"first name,last name,dob,email\nAl,Bo,1980-04-03,al@example.com\n"
    with time_machine.travel(NOW, tick=False):
        with pytest.raises(Forbidden):
            patients_import(actor=front_desk.user, data=data, commit=True)
        report = patients_import(actor=clinic_admin.user, data=data, commit=True)
    event = AuditEvent.objects.get(action="patient.imported")
    assert event.patient_id == str(report.lines[0].patient_id)
    assert event.actor_id == clinic_admin.user.pk


def test_windows_1252_and_unix_line_ends(clinic: Any) -> None:
    data = "first name,last name,dob,email\nRené,Müller,1980-04-03,rene@example.com\n"
    report = run(data.encode("cp1252"), commit=True)
    assert Patient.objects.get(pk=report.lines[0].patient_id).given_name == "René"
    assert "Windows-1252" in report.source.notes[0]
