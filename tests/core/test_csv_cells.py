"""A CSV cell that a spreadsheet would run as a formula is written as text."""

from __future__ import annotations

import csv
import io

import pytest

from needlepoint.core.csv_cells import csv_cell, csv_row, write_csv


@pytest.mark.parametrize(
    "value",
    ['=HYPERLINK("http://x")', "+1 555 0100", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"],
)
def test_a_cell_that_would_run_as_a_formula_is_neutralised(value):
    assert csv_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Pat", "L25C031", "", "a=b", " =1"])
def test_an_ordinary_text_cell_is_unchanged(value):
    assert csv_cell(value) == value


@pytest.mark.parametrize("value", [12, -3, 1.5, None, True])
def test_a_non_text_cell_is_unchanged(value):
    assert csv_cell(value) is value


def test_a_whole_export_reads_back_with_each_formula_neutralised():
    out = io.StringIO()
    write_csv(out, ("name", "n"), [{"name": "=cmd|' /C calc'!A0", "n": 1}, {"name": "Ann", "n": 2}])
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows == [{"name": "'=cmd|' /C calc'!A0", "n": "1"}, {"name": "Ann", "n": "2"}]
    assert csv_row({"a": "@x", "b": 3}) == {"a": "'@x", "b": 3}
