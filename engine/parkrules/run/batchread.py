"""Reading park-years for a batch run, streamed as frames so memory stays flat however many parks there are.

Inputs: park files (YAML, JSON, Excel, the one-fact-per-row CSV) and folders of them, and
park-year tables — CSV or Parquet with one row per park-year, a `park.id` and a `year` column
and one column per fact, the unit in the header (`elec_grid_received [万kWh]`) or in a units
row (the row whose `park.id` cell is `unit`). A cell may carry its own unit (`1.2 亿kWh`).

A bad cell (text in a number column, a negative energy, an unknown unit, a category not in the
list) drops its row, and is reported with file, row, column, park and year; every other row
is read. A park's rows must be together in a table (it is read in chunks and the years of a
park are assessed together); rows of a park found again later are reported, not mixed in.
"""

from __future__ import annotations

import contextlib
import csv
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from parkrules.base.errors import ParkrulesError, quoted
from parkrules.io import infile, units
from parkrules.io.frame import FactColumn, Frame, empty_values, from_parks, numeric_categories
from parkrules.io.park import Park, load_park
from parkrules.io.parkio import PARK_ID, PARK_SUFFIXES, is_park_table
from parkrules.io.vocabulary import Fact, Vocabulary, counted_twice, suggest
from parkrules.model.parkcheck import KnownIds

YEAR, EXCLUSION = "year", "exclusion."
UNIT_ROW = ("unit", "单位", "units")
TABLE_SUFFIXES = (".csv", ".parquet")
_HEADER_UNIT = re.compile(r"^\s*(.+?)\s*[\[(（]\s*(.+?)\s*[\])）]\s*$")
_TRUE, _FALSE = ("true", "yes", "是", "1"), ("false", "no", "否", "0")

ErrorSink = Callable[[dict], None]


def batch_inputs(paths: Iterable[Path]) -> list[Path]:
    """Files as given; folders become their park files and park-year tables, in name order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix in (*PARK_SUFFIXES, ".parquet")))
        else:
            files.append(path)
    return files


def read_frames(
    paths: list[Path],
    vocabulary: Vocabulary,
    known: KnownIds,
    chunk_rows: int,
    on_error: ErrorSink,
    on_warning: ErrorSink | None = None,
) -> Iterator[Frame]:
    """Frames of about `chunk_rows` park-years from every input; bad rows and files go to `on_error`, and so does
    what a park names that the run does not know (`known`): a park file's park is then left out, a table's
    column skipped, as in one-park runs and as for unknown fact columns."""
    parks: list[Park] = []
    held = 0
    for path in paths:
        if not path.is_file():
            on_error(_error(f"{path} does not exist", str(path)))
            continue
        if is_park_table(path):
            if parks:
                yield from_parks(parks, vocabulary.facts)
                parks, held = [], 0
            yield from _Table(path, vocabulary, known, chunk_rows, on_error).frames()
            continue
        park, errors = load_park(path, vocabulary, known.catalog.factor_table)
        if park is not None:
            errors = known.park_errors(park)
        for error in errors:
            on_error({**error.to_dict(), "park": park.id if park else None})
        if park is None or errors:
            continue
        for warning in known.park_warnings(park) if on_warning else ():
            on_warning({**warning.to_dict(), "park": park.id})
        parks.append(park)
        held += len(park.years)
        if held >= chunk_rows:
            yield from_parks(parks, vocabulary.facts)
            parks, held = [], 0
    if parks:
        yield from_parks(parks, vocabulary.facts)


def _error(message: str, file: str, line: int | None = None, column: int | None = None, **more) -> dict:
    return {"file": file, "line": line, "column": column, "field": more.pop("field", None), "message": message, **more}


@dataclass
class _Column:
    """A fact column of a table: the fact, the unit its cells are in, its 1-based position."""

    fact: Fact
    header: str
    unit: str | None
    position: int


class _Table:
    """One park-year table, read batch by batch."""

    def __init__(self, path: Path, vocabulary: Vocabulary, known: KnownIds, chunk_rows: int, on_error: ErrorSink):
        self.path = path
        self.file = str(path)
        self.vocabulary = vocabulary
        self.known = known
        self.chunk_rows = chunk_rows
        self.on_error = on_error
        self.columns: dict[str, _Column] = {}
        self.exclusions: dict[str, str] = {}  # header → indicator id
        self.done: set[str] = set()  # parks already handed on
        self.first_line = 2  # the file line of the next data row (1 is the header)
        self.skipped: set[int] = set()  # lines of rows whose cell count is not the header's
        self.units_pending = True

    def frames(self) -> Iterator[Frame]:
        try:
            tail: Frame | None = None
            for batch in self._batches():
                frame = self._frame(batch)
                ready, tail = _split_last_park(frame if tail is None else Frame.concat([tail, frame]))
                if len(ready):
                    yield from self._hand_on(ready)
            if tail is not None and len(tail):
                yield from self._hand_on(tail)
        except (pa.ArrowInvalid, OSError, ValueError) as exc:
            self.on_error(_error(f"cannot read the table: {exc}", self.file))

    def _batches(self) -> Iterator[pa.RecordBatch]:
        if self.path.suffix.lower() == ".parquet":
            import pyarrow.parquet as pq

            # read as a buffered stream, not a whole row group's bytes at once: a third less memory
            parquet = pq.ParquetFile(self.path, buffer_size=1 << 20, pre_buffer=False)
            self._header(parquet.schema_arrow.names)
            yield from parquet.iter_batches(batch_size=self.chunk_rows)
            return
        import pyarrow.csv as pacsv

        try:
            encoding = infile.table_encoding(self.path)  # Chinese Excel saves GB18030 (GBK)
        except ParkrulesError as exc:
            self.on_error(exc.to_dict())
            return
        with self.path.open(encoding=encoding, newline="") as handle:
            names = next(csv.reader(handle), [])
        self._header(names)
        reader = pacsv.open_csv(
            self.path,
            # pyarrow reads UTF-8 (a byte-order mark skipped) itself, and transcodes any other encoding through Python;
            # one thread, so that a row of the wrong length is known by its line number
            read_options=pacsv.ReadOptions(
                block_size=1 << 24, encoding="utf8" if encoding == "utf-8-sig" else encoding, use_threads=False
            ),
            parse_options=pacsv.ParseOptions(invalid_row_handler=self._bad_row),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in names}, strings_can_be_null=True
            ),
        )
        yield from reader

    def _bad_row(self, row) -> str:  # noqa: ANN001 - pyarrow.csv.InvalidRow
        """A row with more or fewer cells than the header: that row's error; the others are read on."""
        self.skipped.add(row.number)
        message = f"the row has {row.actual_columns} cells, the header {row.expected_columns}; the row is skipped"
        self.on_error(_error(message, self.file, row.number))
        return "skip"

    def _lines(self, count: int) -> np.ndarray:
        """The file lines of the next `count` rows read, past the rows skipped for their length."""
        lines = []
        line = self.first_line
        while len(lines) < count:
            if line not in self.skipped:
                lines.append(line)
            line += 1
        self.first_line = line
        return np.array(lines, dtype=np.int64)

    def _header(self, names: list[str]) -> None:
        """Fact columns, exclusions and header units; unknown columns are reported once and skipped."""
        facts = self.vocabulary.facts
        if PARK_ID not in names or YEAR not in names:
            raise ValueError(f"a park-year table needs `{PARK_ID}` and `{YEAR}` columns (found: {', '.join(names)})")
        for position, header in enumerate(names, start=1):
            name, unit = header.strip(), None
            match = _HEADER_UNIT.match(name)
            if match:
                name, unit = match.group(1), match.group(2)
            if name in (PARK_ID, YEAR) or name.startswith("park."):
                continue
            if name.startswith(EXCLUSION):
                indicator_id = name[len(EXCLUSION) :]
                if not self.known.indicator(indicator_id):
                    message = f"{self.known.unknown_exclusion(indicator_id)}; the column is skipped"
                    self.on_error(_error(message, self.file, 1, position, field=name))
                    continue
                self.exclusions[header] = indicator_id
                continue
            if name not in facts:
                message = f"unknown fact {quoted(name)}{suggest(name, facts)}; the column is skipped"
                self.on_error(_error(message, self.file, 1, position, field=name))
                continue
            if unit is not None and not self._unit_ok(facts[name], unit, 1, position):
                continue
            self.columns[header] = _Column(facts[name], header, unit, position)

    def _unit_ok(self, fact: Fact, unit: str, line: int, position: int) -> bool:
        try:
            units.convert(1.0, unit, fact.unit)
            return True
        except units.UnitError as exc:
            message = f"{exc} (this fact is in {fact.unit}); the column is skipped"
            self.on_error(_error(message, self.file, line, position, field=f"{fact.id}.unit"))
            return False

    def _frame(self, batch: pa.RecordBatch) -> Frame:
        """A batch as a frame of its good rows; every bad cell is reported."""
        count = batch.num_rows
        lines = np.arange(self.first_line, self.first_line + count) if not self.skipped else self._lines(count)
        self.first_line = int(lines[-1]) + 1 if count else self.first_line
        parks = np.array(batch.column(PARK_ID).cast(pa.string()).to_pylist(), dtype=object)
        good = np.ones(count, bool)
        if self.units_pending and count:
            self.units_pending = False
            if str(parks[0]).strip().lower() in UNIT_ROW:
                self._units_row(batch, int(lines[0]))
                good[0] = False
        years, bad_year = _years(batch.column(YEAR))
        context = _RowContext(self, lines, parks, years)
        for row in np.nonzero(good & (parks == None))[0]:  # noqa: E711 - elementwise
            context.report(row, "park.id is empty", _position(batch, PARK_ID), PARK_ID)
            good[row] = False
        for row in np.nonzero(good & bad_year)[0]:
            context.report(row, "year must be a whole number from 1900 to 2100", _position(batch, YEAR), YEAR)
            good[row] = False
        facts: dict[str, FactColumn] = {}
        for header, column in self.columns.items():
            values, present, bad = _fact_cells(batch.column(header), column, context)
            good &= ~bad
            if present.any():
                facts[column.fact.id] = FactColumn(values, present)
        good &= ~self._counted_twice(facts, context)
        exclusions = {}
        for header, indicator_id in self.exclusions.items():
            text = np.array(batch.column(header).cast(pa.string()).to_pylist(), dtype=object)
            if any(t is not None for t in text):
                exclusions[indicator_id] = text
        frame = Frame(park=parks.astype(str).astype(object), year=years, facts=facts, exclusions=exclusions)
        frame.lines = lines
        keep = np.nonzero(good)[0]
        return frame.take(keep) if len(keep) < count else frame

    def _counted_twice(self, facts: dict[str, FactColumn], context: _RowContext) -> np.ndarray:
        """Rows that give a fact both in total and split into its parts (raw coal and its kinds): it would count twice,
        so the row is reported and left out, as park.load_park refuses such a park file."""
        twice = np.zeros(len(context.lines), bool)
        positions = {column.fact.id: column.position for column in self.columns.values()}
        for fact_id, column in facts.items():
            parts = [part for part in self.vocabulary.facts[fact_id].parts if part in facts]
            if not parts:
                continue
            rows = column.present & np.logical_or.reduce([facts[part].present for part in parts])
            message = counted_twice(fact_id, parts)
            for row in np.nonzero(rows)[0]:
                context.report(row, message, positions[fact_id], fact_id)
            twice |= rows
        return twice

    def _units_row(self, batch: pa.RecordBatch, line: int) -> None:
        for header, column in list(self.columns.items()):
            cell = batch.column(header)[0].as_py()
            if cell is None or not str(cell).strip():
                continue
            if column.unit is not None:
                message = "the unit is given in the header and in the units row; give it once"
                self.on_error(_error(message, self.file, line, column.position, field=f"{column.fact.id}.unit"))
                del self.columns[header]
            elif self._unit_ok(column.fact, str(cell).strip(), line, column.position):
                column.unit = str(cell).strip()
            else:
                del self.columns[header]

    def _hand_on(self, frame: Frame) -> Iterator[Frame]:
        """The frame, less rows of parks already handed on (out of place) or repeated park-years."""
        keep = np.ones(len(frame), bool)
        seen: set[tuple[str, int]] = set()
        for row, (park, year) in enumerate(zip(frame.park, frame.year, strict=True)):
            line = int(frame.lines[row])
            if park in self.done:
                message = f"rows of park {park} are not together with its earlier rows: sort the table by park"
                self.on_error(_error(message, self.file, line, None, park=park, year=int(year)))
                keep[row] = False
            elif (park, int(year)) in seen:
                message = f"park {park} has a second row for {year}"
                self.on_error(_error(message, self.file, line, None, park=park, year=int(year)))
                keep[row] = False
            else:
                seen.add((park, int(year)))
        self.done.update(frame.park[keep])
        frame = frame.take(np.nonzero(keep)[0])
        frame.files = dict.fromkeys(set(frame.park), self.file)
        if len(frame):
            yield frame


class _RowContext:
    """Reports a bad cell with its file, row, column, park and year."""

    def __init__(self, table: _Table, lines: np.ndarray, parks: np.ndarray, years: np.ndarray):
        self.table, self.lines, self.parks, self.years = table, lines, parks, years

    def report(self, row: int, message: str, position: int | None, field: str) -> None:
        park = self.parks[row]
        year = int(self.years[row]) if self.years[row] > 0 else None
        error = _error(message, self.table.file, int(self.lines[row]), position, field=field, park=park, year=year)
        self.table.on_error(error)


def _position(batch: pa.RecordBatch, name: str) -> int:
    return batch.schema.get_field_index(name) + 1


def _years(column: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Whole-number years 1900–2100, and which cells are not one (a cast of the column, not a loop over rows)."""
    numbers = pc.cast(column, pa.float64(), safe=False) if not pa.types.is_string(column.type) else None
    if numbers is None:
        trimmed = pc.utf8_trim_whitespace(column)
        valid = pc.match_substring_regex(trimmed, r"^[0-9]+(\.0*)?$")
        numbers = pc.cast(pc.if_else(valid, trimmed, None), pa.float64())
    years = np.nan_to_num(numbers.to_numpy(zero_copy_only=False), nan=0.0)
    bad = (years != np.floor(years)) | (years < 1900) | (years > 2100)
    return np.where(bad, 0, years).astype(np.int64), bad


def _fact_cells(raw: pa.Array, column: _Column, context: _RowContext) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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


def _converted(numbers: np.ndarray, column: _Column, context: _RowContext, present, bad) -> np.ndarray:
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


def _cell_by_cell(texts: list, column: _Column, context: _RowContext, present, bad) -> np.ndarray:
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


def _bound(outside: np.ndarray, what: str, values, column: _Column, context: _RowContext, present, bad) -> None:
    for row in np.nonzero(outside & present & ~bad)[0]:
        message = f"value {values[row]:g} {column.fact.unit} {what}"
        context.report(row, message, column.position, column.fact.id)
        bad[row] = True


def _symbolic_cells(raw: pa.Array, column: _Column, context: _RowContext, present) -> tuple:
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


def _split_last_park(frame: Frame) -> tuple[Frame, Frame | None]:
    """The frame less its last park's rows (they may go on in the next batch), and those rows."""
    if not len(frame):
        return frame, None
    last = frame.park[-1]
    start = len(frame)
    while start > 0 and frame.park[start - 1] == last:
        start -= 1
    return frame.take(np.arange(0, start)), frame.take(np.arange(start, len(frame)))
