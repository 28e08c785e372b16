"""Text bound for a spreadsheet stays text: CSV quoting round-trips, workbook cells are typed as text."""

from __future__ import annotations

import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from parkrules.io.spreadsheet import FORMULA_START, as_text, csv_array, csv_columns, csv_text, from_csv_text


@given(st.text())
def test_csv_text_never_starts_a_formula_and_reads_back(text):
    written = csv_text(text)
    assert not written.startswith(FORMULA_START)
    assert from_csv_text(written) == text


def test_workbook_cells_that_look_like_formulas_are_text():
    sheet = Workbook().active
    sheet.append(["= yes", '=HYPERLINK("http://x")', "+0.2 (+5%)", "@SUM(A1)", 5, "plain"])
    as_text(sheet[1])
    assert [cell.data_type for cell in sheet[1]] == ["s", "s", "s", "s", "n", "s"]


@given(st.lists(st.one_of(st.none(), st.text(max_size=8)), max_size=20))
def test_csv_columns_quote_as_csv_text_does(cells):
    table = pa.table({"text": pa.array(cells, pa.string()), "number": pa.array(range(len(cells)), pa.int64())})
    quoted = csv_columns(table)
    assert quoted.column("text").to_pylist() == [None if c is None else csv_text(c) for c in cells]
    assert quoted.column("number").to_pylist() == list(range(len(cells)))


@given(st.lists(st.one_of(st.none(), st.text(max_size=8)), max_size=20))
def test_csv_array_quotes_as_csv_text_does(cells):
    quoted = csv_array(pa.array(cells, pa.string()))
    assert quoted.to_pylist() == [None if c is None else csv_text(c) for c in cells]
