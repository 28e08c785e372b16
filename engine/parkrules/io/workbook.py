"""Park data in Excel (openpyxl): the data-entry workbook written from the vocabulary, and read back.

The workbook has a read-me sheet, the data sheet (the columns of `parktable`) and a units sheet
that feeds the unit drop-downs. Validation is Excel's own (drop-downs, numbers, lower bounds),
so an assessor sees a mistake as they type; the engine checks everything again on import.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from parkrules.base.errors import Location, ParkrulesError
from parkrules.io import infile, units
from parkrules.io.parktable import COLUMNS, KEYS, Row, column_map, header
from parkrules.io.spreadsheet import as_text
from parkrules.io.vocabulary import Fact, Vocabulary

DATA_SHEET, README_SHEET, UNITS_SHEET = "数据 Data", "说明 Read me", "单位 Units"
WIDTHS = {"year": 8, "fact": 34, "name_zh": 28, "name_en": 36, "value": 16, "unit": 10, "source": 30}
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_INLINE_LIST_LIMIT = 255  # Excel refuses a literal drop-down list longer than this


MAX_UNPACKED_BYTES = 50_000_000  # what the parts of a workbook may unpack to: ten times the file size limit


def read_rows(path: Path) -> Iterator[Row]:
    """The data rows of a filled workbook, each knowing its sheet, row and columns.

    The workbook is read twice, as Excel saved the values and with its formulas: a formula cell
    with no saved value (a file written by a program, never opened in Excel) would read as a
    blank, which an inventory line then counts as zero; it is an error at its cell instead.
    """
    file = infile.shown(path)
    infile.check_regular(path)
    _check_unpacked_size(path)
    books = [_open(path, file, data_only) for data_only in (True, False)]
    try:
        values, formulas = (book[DATA_SHEET] if DATA_SHEET in book.sheetnames else book.worksheets[0] for book in books)
        lines = zip(values.iter_rows(), formulas.iter_rows(), strict=True)
        columns = column_map(tuple(cell.value for cell in next(lines, ((), ()))[0]), file, values.title, 1)
        for number, (cells, written) in enumerate(lines, start=2):
            found: dict[str, Any] = {}
            for key, col in columns.items():
                if col - 1 >= len(cells):
                    found[key] = None
                    continue
                found[key] = cells[col - 1].value
                if found[key] is None and col - 1 < len(written) and written[col - 1].data_type == "f":
                    raise ParkrulesError(
                        "a formula with no saved value: open the workbook in Excel and save it, or type the value",
                        Location(file, number, key, column=col, sheet=values.title),
                    )
            yield Row(found, number, values.title, columns)
    finally:
        for book in books:
            book.close()


def _open(path: Path, file: str, data_only: bool):
    try:
        return load_workbook(path, read_only=True, data_only=data_only)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ParkrulesError("not an Excel workbook (.xlsx) parkrules can read", Location(file)) from exc


def _check_unpacked_size(path: Path) -> None:
    """Refuse a zip bomb before opening it, from the sizes its archive declares (zipfile reads no more than those)."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (OSError, zipfile.BadZipFile) as exc:
        raise ParkrulesError("not an Excel workbook (.xlsx): not a zip archive", Location(infile.shown(path))) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise ParkrulesError(
            f"the workbook unpacks to {unpacked:,} bytes, more than {MAX_UNPACKED_BYTES:,}: refused unopened",
            Location(infile.shown(path)),
        )


def write(path: Path, rows: list[dict[str, Any]], vocabulary: Vocabulary, readme: list[str]) -> None:
    """A workbook with the rows on the data sheet, drop-downs and number checks on the input cells."""
    book = Workbook()
    notes = cast(Worksheet, book.active)  # a new workbook's one sheet
    notes.title = README_SHEET
    for line in readme:
        notes.append([line])
        as_text(notes[notes.max_row])
    notes.column_dimensions["A"].width = 120
    notes["A1"].font = Font(bold=True, size=14)
    data = book.create_sheet(DATA_SHEET)
    data.append([header(key) for key in KEYS])
    for row in rows:
        data.append([row.get(key) for key in KEYS])
        as_text(data[data.max_row])  # a source or name starting with = is text, never a formula
    _style(data)
    unit_lists = book.create_sheet(UNITS_SHEET)
    _validate(data, unit_lists, rows, vocabulary)
    book.active = 1
    book.save(path)


def _style(sheet: Worksheet) -> None:
    sheet.freeze_panes = "C2"
    for number, (key, _) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(1, number)
        cell.font, cell.fill = Font(bold=True), _HEADER_FILL
        letter = get_column_letter(number)
        sheet.column_dimensions[letter].width = WIDTHS.get(key, 48)
    for row in sheet.iter_rows(min_row=2):
        for number, cell in enumerate(row, start=1):
            cell.alignment = Alignment(vertical="top", wrap_text=number > KEYS.index("source") + 1)
        row[KEYS.index("value")].fill = _INPUT_FILL
        row[KEYS.index("unit")].fill = _INPUT_FILL
        row[KEYS.index("source")].fill = _INPUT_FILL


class _Validations:
    """One DataValidation per distinct rule, each covering many cells (Excel's size limit is per rule)."""

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.rules: dict[tuple, DataValidation] = {}

    def add(self, cell: str, key: tuple, **rule: Any) -> None:
        if key not in self.rules:
            validation = DataValidation(allow_blank=True, showErrorMessage=True, **rule)
            self.sheet.add_data_validation(validation)
            self.rules[key] = validation
        self.rules[key].add(cell)


def _validate(data: Worksheet, unit_lists: Worksheet, rows: list[dict[str, Any]], vocabulary: Vocabulary) -> None:
    checks = _Validations(data)
    value_col = get_column_letter(KEYS.index("value") + 1)
    unit_col = get_column_letter(KEYS.index("unit") + 1)
    year_col = get_column_letter(KEYS.index("year") + 1)
    menus: dict[str, str] = {}  # canonical unit → range on the units sheet
    for number, row in enumerate(rows, start=2):
        checks.add(f"{year_col}{number}", ("year",), type="whole", operator="between", formula1="1900", formula2="2100")
        fact = vocabulary.facts.get(row.get("fact") or "")
        if fact is None:
            continue
        _value_rule(checks, f"{value_col}{number}", fact)
        if fact.kind in ("quantity", "ratio", "count"):
            if fact.unit not in menus:
                menus[fact.unit] = _unit_menu(unit_lists, fact.unit)
            checks.add(f"{unit_col}{number}", ("unit", fact.unit), type="list", formula1=menus[fact.unit])
    unit_lists.sheet_state = "hidden"


def _value_rule(checks: _Validations, cell: str, fact: Fact) -> None:
    if fact.kind == "boolean":
        checks.add(cell, ("boolean",), type="list", formula1='"true,false"')
    elif fact.kind == "category":
        listed = ",".join(str(c) for c in fact.categories)
        if len(listed) < _INLINE_LIST_LIMIT:
            checks.add(cell, ("category", listed), type="list", formula1=f'"{listed}"')
    else:
        # Only the lower bound: it holds in every unit, while an upper bound (100 %) depends on the unit chosen.
        low = fact.minimum if fact.minimum is not None else -1e15
        whole = "whole" if fact.kind == "count" else "decimal"
        checks.add(cell, (whole, low), type=whole, operator="greaterThanOrEqual", formula1=f"{low:g}")


def _unit_menu(sheet: Worksheet, canonical: str) -> str:
    row = sheet.max_row + 1 if sheet.max_row > 1 or sheet["A1"].value else 1
    choices = units.choices(canonical)
    for column, unit in enumerate(choices, start=1):
        sheet.cell(row, column, unit)
    last = get_column_letter(len(choices))
    return f"{quote_sheetname(sheet.title)}!$A${row}:${last}${row}"
