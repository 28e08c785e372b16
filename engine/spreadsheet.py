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


def csv_columns(table: Any) -> Any:
    """A pyarrow table whose text columns are neutralised as `csv_text` does, over whole columns."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for index, field in enumerate(table.schema):
        if not (pa.types.is_string(field.type) or pa.types.is_large_string(field.type)):
            continue
        column = table.column(index)
        risky = pc.match_substring_regex(column, r"^[=+\-@\t\r]")
        quoted = pc.binary_join_element_wise(pa.scalar(_QUOTE, field.type), column, pa.scalar("", field.type))
        table = table.set_column(index, field, pc.if_else(risky, quoted, column))
    return table
