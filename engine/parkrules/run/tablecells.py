"""The cells of a park-year table's fact column: converted to the fact's canonical unit, checked against its bounds
and categories, each bad cell reported with file, row, column, park and year (`RowContext`) and its row dropped."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import SupportsIndex

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from parkrules.base.errors import quoted
from parkrules.io import units
from parkrules.io.frame import empty_values, numeric_categories
from parkrules.io.vocabulary import Fact

_TRUE, _FALSE = ("true", "yes", "是", "1"), ("false", "no", "否", "0")

ErrorSink = Callable[[dict], None]


def error_record(message: str, file: str, line: int | None = None, column: int | None = None, **more) -> dict:
    return {"file": file, "line": line, "column": column, "field": more.pop("field", None), "message": message, **more}


@dataclass
class Column:
    """A fact column of a table: the fact, the unit its cells are in, its 1-based position."""

    fact: Fact
    header: str
    unit: str | None
    position: int


class RowContext:
    """Reports a bad cell with its file, row, column, park and year."""

    def __init__(self, file: str, on_error: ErrorSink, lines: np.ndarray, parks: np.ndarray, years: np.ndarray):
        self.file, self.on_error = file, on_error
        self.lines, self.parks, self.years = lines, parks, years

    def report(self, row: SupportsIndex, message: str, position: int | None, field: str) -> None:
        park = self.parks[row]
        year = int(self.years[row]) if self.years[row] > 0 else None
        error = error_record(message, self.file, int(self.lines[row]), position, field=field, park=park, year=year)
        self.on_error(error)


def fact_cells(raw: pa.Array, column: Column, context: RowContext) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Values in the fact's canonical unit, which cells hold one, and which cells are bad."""
    fact = column.fact
    count = len(raw)
    present = ~np.asarray(raw.is_null().to_numpy(zero_copy_only=False), bool)
    if fact.kind == "boolean" or (fact.kind == "category" and not numeric_categories(fact)):
        return _symbolic_cells(raw, column, context, present)
    numbers = None
    if pa.types.is_floating(raw.type) or pa.types.is_integer(raw.type):
        numbers = raw.cast(pa.float64()).to_numpy(zero_copy_only=False)
    else:
        with contextlib.suppress(pa.ArrowInvalid, pa.ArrowNotImplementedError):  # the common case: plain numbers
            numbers = pc.cast(raw, pa.float64()).to_numpy(zero_copy_only=False)
    bad = np.zeros(count, bool)
    if numbers is not None:
        values = _converted(numbers, column, context, present, bad)
    else:
        values = _cell_by_cell(raw.cast(pa.string()).to_pylist(), column, context, present, bad)
    with np.errstate(invalid="ignore", over="ignore"):
        _bound(~np.isfinite(values), "is not a finite number", values, column, context, present, bad)
    values = np.where(present & ~bad, values, 0.0)
    if fact.minimum is not None:
        _bound(values < fact.minimum, f"is below the minimum {fact.minimum:g}", values, column, context, present, bad)
    if fact.maximum is not None:
        _bound(values > fact.maximum, f"is above the maximum {fact.maximum:g}", values, column, context, present, bad)
    if fact.kind == "category":
        allowed = np.isin(values, np.array(fact.categories, dtype=np.float64))
        for row in np.nonzero(present & ~bad & ~allowed)[0]:
            message = f"expected one of {list(fact.categories)}, got {values[row]:g}"
            context.report(row, message, column.position, fact.id)
            bad[row] = True
    return values, present & ~bad, bad


def _converted(numbers: np.ndarray, column: Column, context: RowContext, present, bad) -> np.ndarray:
    fact = column.fact
    unit = column.unit
    if unit is None:
        if fact.kind == "count" or fact.unit == "1":
            return numbers
        for row in np.nonzero(present)[0]:
            message = f"a unit is required (canonical unit: {fact.unit}): in the header, the units row or the cell"
            context.report(row, message, column.position, fact.id)
            bad[row] = True
        return numbers
    scale = units.convert(1.0, unit, fact.unit)
    offset = units.convert(0.0, unit, fact.unit)
    return numbers * (scale - offset) + offset


def _cell_by_cell(texts: list, column: Column, context: RowContext, present, bad) -> np.ndarray:
    """Cells with their own unit or with text in them: read one by one, only for this column of this batch."""
    fact = column.fact
    values = np.zeros(len(texts))
    for row, text in enumerate(texts):
        if text is None:
            continue
        match = units.NUMBER_WITH_UNIT.match(str(text))
        if match is None:
            context.report(row, f"expected a number, got {quoted(text)}", column.position, fact.id)
            bad[row] = True
            continue
        try:
            number = units.finite_number(match.group(1))
        except ValueError as exc:
            context.report(row, str(exc), column.position, fact.id)
            bad[row] = True
            continue
        unit = match.group(2) or column.unit
        if unit is None and fact.kind != "count" and fact.unit != "1":
            message = f'a unit is required (canonical unit: {fact.unit}); write e.g. "{number:g} {fact.unit}"'
            context.report(row, message, column.position, fact.id)
            bad[row] = True
            continue
        try:
            values[row] = number if unit is None else units.convert(number, unit, fact.unit)
        except units.UnitError as exc:
            context.report(row, f"{exc} (this fact is in {fact.unit})", column.position, f"{fact.id}.unit")
            bad[row] = True
    return values


def _bound(outside: np.ndarray, what: str, values, column: Column, context: RowContext, present, bad) -> None:
    for row in np.nonzero(outside & present & ~bad)[0]:
        message = f"value {values[row]:g} {column.fact.unit} {what}"
        context.report(row, message, column.position, column.fact.id)
        bad[row] = True


def _symbolic_cells(raw: pa.Array, column: Column, context: RowContext, present) -> tuple:
    fact = column.fact
    texts = raw.cast(pa.string()).to_pylist()
    values = empty_values(fact, len(texts))
    bad = np.zeros(len(texts), bool)
    for row, text in enumerate(texts):
        if text is None:
            continue
        cell = str(text).strip()
        if fact.kind == "boolean":
            if cell.lower() in _TRUE or cell.lower() in _FALSE:
                values[row] = cell.lower() in _TRUE
                continue
            message = f"expected true or false, got {quoted(cell)}"
        else:
            if cell in fact.categories:
                values[row] = cell
                continue
            message = f"expected one of {list(fact.categories)}, got {quoted(cell)}"
        context.report(row, message, column.position, fact.id)
        bad[row] = True
    return values, present & ~bad, bad
