"""Text bound for a spreadsheet is written as text, never as a formula.

A park name, a fact's source or an error message may start with `=`, `+`, `-`, `@`, a tab or a
carriage return; Excel and LibreOffice run such a cell as a formula (CSV injection). So does one
of our own texts, such as the threshold `= yes`. In a workbook the cell is typed as text; in a
CSV file the text gets a leading apostrophe, which spreadsheets show as text, and which our own
CSV reader takes off again so a converted park file reads back unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_QUOTE = "'"


def csv_text(value: Any) -> Any:
    """A CSV cell's value: text a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return _QUOTE + value
    return value


def from_csv_text(text: str) -> str:
    """A CSV cell's text as `csv_text` was given it."""
    if text.startswith(_QUOTE) and text[1:2] and text[1:].startswith(FORMULA_START):
        return text[1:]
    return text


def as_text(cells: Iterable[Any]) -> None:
    """openpyxl cells just written: a text that openpyxl took for a formula is stored as text instead."""
    for cell in cells:
        if cell.data_type == "f":
            cell.data_type = "s"


def csv_array(array: Any) -> Any:
    """A pyarrow string array quoted as `csv_text` quotes each cell, over the whole array (batch CSV output)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    # the first character against the six, rather than a regular expression: half the time over millions of cells
    risky = pc.is_in(pc.utf8_slice_codeunits(array, 0, 1), value_set=pa.array(FORMULA_START, array.type))
    if not pc.any(risky).as_py():
        return array
    quoted = pc.binary_join_element_wise(pa.scalar(_QUOTE, array.type), array, pa.scalar("", array.type))
    return pc.if_else(risky, quoted, array)


def csv_columns(table: Any) -> Any:
    """A pyarrow table with every text column quoted as `csv_array` does."""
    import pyarrow as pa

    for index, field in enumerate(table.schema):
        if pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
            table = table.set_column(index, field, csv_array(table.column(index)))
    return table
