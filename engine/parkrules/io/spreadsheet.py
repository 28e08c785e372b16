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


def _runs(text: str) -> bool:
    """Text a spreadsheet would run, or that reads back as such once a leading apostrophe is taken off: a formula
    character after any number of apostrophes (so a user's own `'=x` survives the round trip too)."""
    return text.lstrip(_QUOTE).startswith(FORMULA_START)


def csv_text(value: Any) -> Any:
    """A CSV cell's value: text a spreadsheet would run as a formula gets a leading apostrophe."""
    return _QUOTE + value if isinstance(value, str) and _runs(value) else value


def from_csv_text(text: str) -> str:
    """A CSV cell's text as `csv_text` was given it."""
    return text[1:] if text.startswith(_QUOTE) and _runs(text[1:]) else text


def as_text(cells: Iterable[Any]) -> None:
    """openpyxl cells just written: a text that openpyxl took for a formula is stored as text instead."""
    for cell in cells:
        if cell.data_type == "f":
            cell.data_type = "s"


def csv_array(array: Any) -> Any:
    """A pyarrow string array quoted as `csv_text` quotes each cell, over the whole array (batch CSV output)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    # the first character after any apostrophes against the six, rather than a regular expression: half the time
    first = pc.utf8_slice_codeunits(pc.utf8_ltrim(array, characters=_QUOTE), 0, 1)
    risky = pc.is_in(first, value_set=pa.array(FORMULA_START, array.type))
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
