"""Reading a park-year table (CSV or Parquet, one row per park-year) for a batch run, in chunks.

A table has a `park.id` and a `year` column and one column per fact, the unit in the header
(`elec_grid_received [万kWh]`) or in a units row (the row whose `park.id` cell is `unit`). A cell
may carry its own unit (`1.2 亿kWh`). A bad cell (text in a number column, a negative energy, an
unknown unit, a category not in the list) drops its row, and is reported with file, row, column,
park and year; every other row is read. A park's rows must be together (the table is read in
chunks and the years of a park are assessed together); rows of a park found again later are
reported, not mixed in.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from parkrules.base.errors import ParkrulesError, quoted
from parkrules.io import infile, units
from parkrules.io.frame import FactColumn, Frame
from parkrules.io.parkio import PARK_ID, PARK_SUFFIXES
from parkrules.io.vocabulary import Fact, Vocabulary, counted_twice, suggest
from parkrules.model.parkcheck import KnownIds
from parkrules.run.tablecells import Column, ErrorSink, RowContext, error_record, fact_cells

YEAR, EXCLUSION = "year", "exclusion."
UNIT_ROW = ("unit", "单位", "units")
_HEADER_UNIT = re.compile(r"^\s*(.+?)\s*[\[(（]\s*(.+?)\s*[\])）]\s*$")


class ParkTable:
    """One park-year table, read batch by batch."""

    def __init__(self, path: Path, vocabulary: Vocabulary, known: KnownIds, chunk_rows: int, on_error: ErrorSink):
        self.path = path
        self.file = str(path)
        self.vocabulary = vocabulary
        self.known = known
        self.chunk_rows = chunk_rows
        self.on_error = on_error
        self.columns: dict[str, Column] = {}
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
            self.on_error(error_record(f"cannot read the table: {exc}", self.file))

    def _batches(self) -> Iterator[pa.RecordBatch]:
        if self.path.is_dir():
            yield from self._dataset_batches()
            return
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

    def _dataset_batches(self) -> Iterator[pa.RecordBatch]:
        """A dataset's files in path order, a row group at a time, with every file's columns (a fact only some
        files have is missing in the others, never dropped) and the folder names `key=value` as columns (Hive
        style). A file whose footer cannot be read is reported and left out; the others are read."""
        import pyarrow.dataset as ds
        import pyarrow.parquet as pq

        files, schemas = [], []
        for file in dataset_files(self.path):
            try:
                schemas.append(pq.read_schema(file))
                files.append(str(file))
            except (pa.ArrowInvalid, OSError) as exc:
                self.on_error(error_record(f"cannot read this file of the dataset: {exc}", str(file)))
        if not files:
            return
        options = {"format": "parquet", "partitioning": "hive", "partition_base_dir": str(self.path)}
        found = ds.dataset(files, **options)
        dataset = ds.dataset(files, schema=pa.unify_schemas([found.schema, *schemas]), **options)
        self._header(dataset.schema.names)
        yield from dataset.to_batches(batch_size=self.chunk_rows, use_threads=False)

    def _bad_row(self, row) -> str:  # noqa: ANN001 - pyarrow.csv.InvalidRow
        """A row with more or fewer cells than the header: that row's error; the others are read on."""
        self.skipped.add(row.number)
        message = f"the row has {row.actual_columns} cells, the header {row.expected_columns}; the row is skipped"
        self.on_error(error_record(message, self.file, row.number))
        return "skip"

    def _lines(self, count: int) -> np.ndarray:
        """The file lines of the next `count` rows read, past the rows skipped for their length."""
        lines: list[int] = []
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
                    self.on_error(error_record(message, self.file, 1, position, field=name))
                    continue
                self.exclusions[header] = indicator_id
                continue
            if name not in facts:
                message = f"unknown fact {quoted(name)}{suggest(name, facts)}; the column is skipped"
                self.on_error(error_record(message, self.file, 1, position, field=name))
                continue
            if unit is not None and not self._unit_ok(facts[name], unit, 1, position):
                continue
            self.columns[header] = Column(facts[name], header, unit, position)

    def _unit_ok(self, fact: Fact, unit: str, line: int, position: int) -> bool:
        try:
            units.convert(1.0, unit, fact.unit)
            return True
        except units.UnitError as exc:
            message = f"{exc} (this fact is in {fact.unit}); the column is skipped"
            self.on_error(error_record(message, self.file, line, position, field=f"{fact.id}.unit"))
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
        context = RowContext(self.file, self.on_error, lines, parks, years)
        for row in np.nonzero(good & (parks == None))[0]:  # noqa: E711 - elementwise
            context.report(row, "park.id is empty", _position(batch, PARK_ID), PARK_ID)
            good[row] = False
        for row in np.nonzero(good & bad_year)[0]:
            context.report(row, "year must be a whole number from 1900 to 2100", _position(batch, YEAR), YEAR)
            good[row] = False
        facts: dict[str, FactColumn] = {}
        for header, column in self.columns.items():
            values, present, bad = fact_cells(batch.column(header), column, context)
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

    def _counted_twice(self, facts: dict[str, FactColumn], context: RowContext) -> np.ndarray:
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
                self.on_error(error_record(message, self.file, line, column.position, field=f"{column.fact.id}.unit"))
                del self.columns[header]
            elif self._unit_ok(column.fact, str(cell).strip(), line, column.position):
                column.unit = str(cell).strip()
            else:
                del self.columns[header]

    def _hand_on(self, frame: Frame) -> Iterator[Frame]:
        """The frame, less rows of parks already handed on (out of place) or repeated park-years."""
        parks = set(frame.park.tolist())
        keys, _ = frame._row_keys()
        if self.done.isdisjoint(parks) and len(np.unique(keys)) == len(keys):  # the common case, checked in C
            self.done.update(parks)
            frame.files = dict.fromkeys(parks, self.file)
            if len(frame):
                yield frame
            return
        keep = np.ones(len(frame), bool)
        seen: set[tuple[str, int]] = set()
        assert frame.lines is not None  # a table's frames know their lines
        for row, (park, year) in enumerate(zip(frame.park, frame.year, strict=True)):
            line = int(frame.lines[row])
            if park in self.done:
                message = f"rows of park {park} are not together with its earlier rows: sort the table by park"
                self.on_error(error_record(message, self.file, line, None, park=park, year=int(year)))
                keep[row] = False
            elif (park, int(year)) in seen:
                message = f"park {park} has a second row for {year}"
                self.on_error(error_record(message, self.file, line, None, park=park, year=int(year)))
                keep[row] = False
            else:
                seen.add((park, int(year)))
        self.done.update(frame.park[keep])
        frame = frame.take(np.nonzero(keep)[0])
        frame.files = dict.fromkeys(set(frame.park), self.file)
        if len(frame):
            yield frame


def dataset_files(folder: Path) -> list[Path]:
    """The Parquet files of a partitioned dataset (in folders below `folder`), in path order; none when `folder`
    holds no such folder, or holds park files or tables of its own (a parks folder, whatever its subfolders hold).
    Names starting with `.` or `_` (unfinished or marker files) are not read."""
    children = list(folder.iterdir())
    if not any(child.is_dir() for child in children) or any(
        child.is_file() and child.suffix.lower() in (*PARK_SUFFIXES, ".parquet") for child in children
    ):
        return []
    return sorted(
        file
        for file in folder.rglob("*.parquet")
        if not any(part.startswith((".", "_")) for part in file.relative_to(folder).parts)
    )


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


def _split_last_park(frame: Frame) -> tuple[Frame, Frame | None]:
    """The frame less its last park's rows (they may go on in the next batch), and those rows."""
    if not len(frame):
        return frame, None
    last = frame.park[-1]
    start = len(frame)
    while start > 0 and frame.park[start - 1] == last:
        start -= 1
    return frame.take(np.arange(0, start)), frame.take(np.arange(start, len(frame)))
