"""Reading an old system's export: dates, headers, separators, FHIR (pure, no database)."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from needlepoint.domain.importing import (
    DateRefused,
    ImportFileRefused,
    import_lines,
    parse_map,
    read_date,
    read_date_time,
    read_source,
    read_time,
)
from needlepoint.domain.importing.dates import file_date_order


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("1980-04-03", None, date(1980, 4, 3)),
        ("1980/4/3", "mdy", date(1980, 4, 3)),
        ("13/04/1980", None, date(1980, 4, 13)),
        ("04/13/1980", None, date(1980, 4, 13)),
        ("05.05.1980", None, date(1980, 5, 5)),
        ("03/04/1980", "dmy", date(1980, 4, 3)),
        ("03/04/1980", "mdy", date(1980, 3, 4)),
        ("3 April 1980", None, date(1980, 4, 3)),
        ("Apr 3, 1980", None, date(1980, 4, 3)),
        ("3-Apr-1980", None, date(1980, 4, 3)),
    ],
)
def test_dates_read(text: str, order: str | None, expected: date) -> None:
    assert read_date(text, order) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "order", "why"),
    [
        ("31/02/1980", "dmy", "not a date in the calendar"),
        ("1980-02-30", None, "not a date in the calendar"),
        ("03/04/1980", None, "could be 3 April 1980 or 4 March 1980"),
        ("13/04/1980", "mdy", "13 is not a month"),
        ("03/04/80", "dmy", "two-digit year"),
        ("yesterday", None, "not a date we can read"),
        ("1979", None, "not a whole date"),
        ("1979-04", None, "not a whole date"),
        ("  ", None, "is missing"),
    ],
)
def test_dates_refused(text: str, order: str | None, why: str) -> None:
    with pytest.raises(DateRefused, match=why):
        read_date(text, order)  # type: ignore[arg-type]


def test_a_file_proves_its_date_order_or_does_not() -> None:
    assert file_date_order(["01/02/1980", "25/12/1990 10:00"]) == "dmy"
    assert file_date_order(["12/25/1990"]) == "mdy"
    assert file_date_order(["01/02/1980", "1980-01-30"]) is None
    assert file_date_order(["25/12/1990", "12/25/1990"]) is None  # both: nothing proved


def test_times_and_starts() -> None:
    assert read_time("2:15 pm") == time(14, 15)
    assert read_time("09.30") == time(9, 30)
    assert read_date_time("15.03.2027 10:00", "dmy") == datetime(2027, 3, 15, 10, 0)
    assert read_date_time("2027-03-15T14:30:00", None) == datetime(2027, 3, 15, 14, 30)
    with pytest.raises(DateRefused, match="no time of day"):
        read_date_time("2027-03-15", None)
    with pytest.raises(DateRefused, match="not a time"):
        read_time("25:00")


def test_headers_separators_and_line_numbers() -> None:
    data = (
        '\ufeffFIRST NAME;Family-Name;D.O.B.;e mail;Notes\r\n"Al";"Bo; Jr";1980-04-03;'
        '"a@b.c";"two\r\nlines"\r\n\r\nCy;Di;1981-01-02;c@d.e;\r\n'
    ).encode()
    source = read_source(data, {})
    assert source.unknown == ("Notes",)
    assert [r.where for r in source.records] == ["line 2", "line 5"]
    assert source.records[0].values["family_name"] == "Bo; Jr"
    assert "columns separated by semicolons" in source.notes


def test_the_column_map() -> None:
    assert parse_map("Forename=given_name, Fam Name=Surname,x=ignore,Cell=Mobile phone") == {
        "forename": "given_name",
        "famname": "family_name",
        "x": "ignore",
        "cell": "phone",
    }
    with pytest.raises(ImportFileRefused, match="is no field"):
        parse_map("Forename=nickname")
    with pytest.raises(ImportFileRefused, match="not COLUMN=FIELD"):
        parse_map("Forename")


def test_two_columns_for_one_field_are_refused() -> None:
    with pytest.raises(ImportFileRefused, match="both hold the e-mail"):
        read_source(b"first name,last name,dob,email,e-mail\n", {})


def test_appointment_from_date_and_time_columns() -> None:
    data = b"first,last,dob,appointment date,appointment time,service\nA,B,1980-01-01,2027-03-03,2:00 pm,Peel\n"
    (line,) = import_lines(read_source(data, {}), None)
    assert line.appointment is not None
    assert line.appointment.start == datetime(2027, 3, 3, 14, 0)
    assert line.appointment.service == "Peel"


def test_an_appointment_without_a_service_is_unreadable_but_the_person_is_not() -> None:
    data = b"first,last,dob,appointment\nA,B,1980-01-01,2027-03-03 10:00\n"
    (line,) = import_lines(read_source(data, {}), None)
    assert line.person is not None
    assert line.appointment is not None and line.appointment.problem == "it names no service"


def test_utf16_and_tabs() -> None:
    data = "first name\tlast name\tdob\nRené\tMüller\t1980-04-03\n".encode("utf-16")
    source = read_source(data, {})
    assert source.records[0].values["given_name"] == "René"
    assert source.notes[:2] == ("read as UTF-16", "columns separated by tabs")
