"""`needlepoint import patients FILE`: the report in words, and the import with --commit."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command

from needlepoint.patients.models import Patient

from .conftest import FIXTURES, NOW

MESSY = str(FIXTURES / "messy.csv")


def command(*args: str) -> str:
    out = StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("import", *args, stdout=out)
    return out.getvalue()


def test_the_dry_run_speaks_words(clinic: Any) -> None:
    before = Patient.objects.count()
    out = command("patients", MESSY)
    print(out)

    assert "Checked messy.csv (nothing saved)" in out
    assert "Columns separated by semicolons" in out
    assert "Dates read day first" in out
    assert "Columns not imported: “Insurance no”." in out
    assert "line 2: Jane Doe, born 14 March 1985: Would be created" in out
    assert "line 3: John Smith: Refused" in out
    assert "the date of birth “31/02/1980” is not a date in the calendar" in out
    assert "line 5: Jane DOE, born 14 March 1985: Same person as line 2" in out
    assert "line 7: Pat Persona, born 1 May 1990: Already registered" in out
    assert "matches the record of Pat Persona, born 1 May 1990" in out
    assert "Micro-needling consultation, Wednesday 3 March 2027, 10:00 am, with Aria" in out
    assert "not booked, because it is in the past" in out
    assert "7 patients would be created" in out
    assert "To import, run again with --commit." in out
    assert "Micro-needling consultation, Thursday 4 March 2027, 11:00 am: would be booked" in out
    assert "not booked, because that time can't be booked" in out
    assert "not booked, because no consultation has been recorded yet" in out
    for code in ("given_name", "date_of_birth", "import_check", "None", "T10:00", "#"):
        assert code not in out
    assert Patient.objects.count() == before


def test_commit_refuses_while_lines_are_refused(clinic: Any) -> None:
    before = Patient.objects.count()
    with pytest.raises(CommandError) as refused:
        command("patients", MESSY, "--commit")
    assert "Nothing was imported: 3 lines are refused" in str(refused.value)
    assert refused.value.returncode == 3
    assert Patient.objects.count() == before


def test_commit_with_skip_refused_imports(clinic: Any) -> None:
    out = command("patients", MESSY, "--commit", "--skip-refused")
    assert "Imported messy.csv" in out
    assert "7 patients created" in out
    assert "2 appointments booked" in out
    assert Patient.objects.filter(family_name="Ünal").exists()


def test_a_file_that_cannot_be_read(clinic: Any, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("name\nAl\n")
    with pytest.raises(CommandError, match="no column holds the first name"):
        command("patients", str(path))
    with pytest.raises(CommandError, match="cannot read"):
        command("patients", str(tmp_path / "missing.csv"))
    with pytest.raises(CommandError, match="no location"):
        command("patients", MESSY, "--location", "nowhere")
