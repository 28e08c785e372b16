"""Streaming the results of a batch run: JSON Lines, CSV or Parquet, one frame at a time.

JSON Lines: one line per park-year with every pack's verdict and indicators, error lines
(`{"error": …}`) as they are found, and a last `{"summary": …}` line. CSV and Parquet: a long
table, one row per park-year × pack × indicator (`kind` indicator) and per park-year × pack
(`kind` verdict), and error rows (`kind` error) with file, row and column.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Protocol

import numpy as np
import pyarrow as pa

from parkrules.io.frame import Frame
from parkrules.io.spreadsheet import csv_array, csv_columns
from parkrules.rules.results_block import STATUSES, PackBlock

SCHEMA = pa.schema(
    [
        ("kind", pa.string()),
        ("park", pa.string()),
        ("year", pa.int32()),
        ("pack", pa.string()),
        ("indicator", pa.string()),
        ("status", pa.string()),
        ("value", pa.float64()),
        ("value_text", pa.string()),
        ("unit", pa.string()),
        ("operator", pa.string()),
        ("limit", pa.string()),
        ("tier", pa.string()),
        ("gap", pa.float64()),
        ("missing", pa.string()),
        ("message", pa.string()),
        ("score", pa.float64()),
        ("file", pa.string()),
        ("row", pa.int64()),
        ("column", pa.int32()),
    ]
)


def open_writer(output_format: str, path: Path | None) -> BatchWriter:
    if output_format == "jsonl":
        return JsonLinesWriter(path)
    return TableWriter(output_format, path)


class BatchWriter(Protocol):
    def frame(self, frame: Frame, blocks: list[PackBlock], wanted: np.ndarray) -> None: ...

    def error(self, error: dict) -> None: ...

    def close(self, summary: dict) -> None: ...


def _labels(block: PackBlock) -> list[list[str | None]]:
    """Per indicator, the label of each tier or class `choice` can point at."""
    labels: list[list[str | None]] = []
    for indicator in block.plan.indicators:
        if indicator.classes:
            labels.append([entry.id for entry in indicator.classes])
        else:
            labels.append([t.tier.en if t.tier else None for t in indicator.thresholds])
    return labels


def _limit(block: PackBlock, column: int, choice: int) -> tuple[str | None, object]:
    indicator = block.plan.indicators[column]
    if choice < 0 or indicator.classes:
        return None, None
    threshold = indicator.thresholds[choice]
    return threshold.operator, threshold.value


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class JsonLinesWriter(BatchWriter):
    def __init__(self, path: Path | None) -> None:
        self.handle: IO[str] = path.open("w", encoding="utf-8") if path else sys.stdout

    def _line(self, record: dict) -> None:
        self.handle.write(json.dumps(record, ensure_ascii=False, allow_nan=False) + "\n")

    def frame(self, frame: Frame, blocks: list[PackBlock], wanted: np.ndarray) -> None:
        labels = [_labels(block) for block in blocks]
        for row in np.flatnonzero(wanted).tolist():
            packs = {}
            for block, names in zip(blocks, labels, strict=True):
                packs[block.plan.pack.ref] = _pack_record(block, names, row)
            self._line({"park": str(frame.park[row]), "year": int(frame.year[row]), "packs": packs})

    def error(self, error: dict) -> None:
        self._line({"error": {k: v for k, v in error.items() if v is not None}})

    def close(self, summary: dict) -> None:
        self._line({"summary": summary})
        if self.handle is not sys.stdout:
            self.handle.close()
        else:
            self.handle.flush()


def _pack_record(block: PackBlock, names: list[list[str | None]], row: int) -> dict:
    indicators = {}
    for column, indicator in enumerate(block.plan.indicators):
        entry: dict = {"status": STATUSES[block.status[row, column]]}
        number = block.number[row, column]
        if not math.isnan(number):
            entry["value"] = float(number)
        elif block.other[row, column] is not None:
            entry["value"] = block.other[row, column]
        choice = int(block.choice[row, column])
        operator, limit = _limit(block, column, choice)
        if operator is not None:
            entry["threshold"] = {"operator": operator, "value": limit}
        if choice >= 0 and names[column][choice] is not None:
            entry["class" if indicator.classes else "tier"] = names[column][choice]
        gap = block.gap[row, column]
        if not math.isnan(gap):
            entry["gap"] = float(gap)
        if block.missing[row, column]:
            entry["missing"] = list(block.missing[row, column])
        if block.message[row, column]:
            entry["message"] = block.message[row, column]
        indicators[indicator.id] = entry
    assert block.verdict is not None and block.score is not None  # decided with the block
    record: dict = {"verdict": STATUSES[block.verdict[row]]}
    if not math.isnan(block.score[row]):
        record["score"] = float(block.score[row])
    record["indicators"] = indicators
    return record


class TableWriter(BatchWriter):
    """CSV or Parquet, written with pyarrow one frame at a time (a Parquet row group per frame)."""

    def __init__(self, output_format: str, path: Path | None) -> None:
        self.output_format = output_format
        self.path = path
        self.errors: list[dict] = []
        # CSV text a spreadsheet would run as a formula is quoted (applied to the few texts a column repeats, before
        # they are repeated); Parquet keeps every text as it is
        self.quote: Callable[[pa.Array], pa.Array] = csv_array if output_format == "csv" else _as_is
        if output_format == "parquet":
            import pyarrow.parquet as pq

            self.writer = pq.ParquetWriter(path, SCHEMA, compression="zstd")
        else:
            import pyarrow.csv as pacsv

            self.sink = pa.output_stream(path) if path else pa.PythonFile(sys.stdout.buffer, mode="w")
            self.writer = pacsv.CSVWriter(self.sink, SCHEMA)

    def frame(self, frame: Frame, blocks: list[PackBlock], wanted: np.ndarray) -> None:
        rows = np.nonzero(wanted)[0]
        if not len(rows):
            return
        # one pack's table at a time: the long table of a frame × every pack would be hundreds of MB
        for block in blocks:
            self.writer.write_table(_block_table(frame, block, rows, self.quote))
        for block in blocks:
            self.writer.write_table(_verdict_table(frame, block, rows, self.quote))
        self._flush_errors()

    def error(self, error: dict) -> None:
        self.errors.append(error)
        if len(self.errors) >= 10_000:
            self._flush_errors()

    def _flush_errors(self) -> None:
        if not self.errors:
            return
        columns: dict[str, list] = {name: [None] * len(self.errors) for name in SCHEMA.names}
        for index, error in enumerate(self.errors):
            columns["kind"][index] = "error"
            columns["park"][index] = error.get("park")
            columns["year"][index] = error.get("year")
            columns["message"][index] = (f"{error['field']}: " if error.get("field") else "") + error["message"]
            columns["file"][index] = error.get("file")
            columns["row"][index] = error.get("line")
            columns["column"][index] = error.get("column")
        table = pa.table(columns, schema=SCHEMA)
        self.writer.write_table(csv_columns(table) if self.output_format == "csv" else table)
        self.errors = []

    def close(self, summary: dict) -> None:
        self._flush_errors()
        self.writer.close()
        if self.output_format == "csv" and self.path is None:
            sys.stdout.flush()


def _as_is(texts: pa.Array) -> pa.Array:
    return texts


def _block_table(frame: Frame, block: PackBlock, rows: np.ndarray, quote: Callable = _as_is) -> pa.Table:
    """One row per park-year × indicator of this pack.

    Columns that repeat a few texts (pack, indicator, unit, status, tier, limit) are Arrow `take`s from a small
    array of those texts, not millions of Python strings converted one by one; Python touches only the cells
    that hold something of their own (a true/false or category value, missing inputs)."""
    indicators = block.plan.indicators
    width = len(indicators)
    count = len(rows) * width
    cells = np.arange(count)
    column = cells % width
    # per indicator, its tiers or classes in order, then None for "none applied" (choice -1): one flat list
    labels: list[str | None] = []
    operators, limits, starts, nones = [], [], [], []
    for index, names in enumerate(_labels(block)):
        starts.append(len(labels))
        nones.append(len(labels) + len(names))
        tiers = [_limit(block, index, choice) for choice in range(len(names))]
        labels += [*names, None]
        operators += [*(op for op, _ in tiers), None]
        limits += [*(_text(value) for _, value in tiers), None]
    choice = block.choice[rows].ravel().astype(np.int64)
    none_at, start_at = np.array(nones, np.int64)[column], np.array(starts, np.int64)[column]  # int64 even for a
    chosen = pa.array(np.where(choice < 0, none_at, start_at + choice), pa.int64())  # pack with no indicators
    per_indicator = pa.array(column)
    return pa.table(
        {
            "kind": _repeated("indicator", count),
            "park": quote(pa.array(frame.park[rows], pa.string())).take(pa.array(cells // width)),
            "year": pa.array(np.repeat(frame.year[rows], width).astype(np.int32)),
            "pack": _repeated(block.plan.pack.ref, count),
            "indicator": quote(pa.array([i.id for i in indicators], pa.string())).take(per_indicator),
            "status": pa.array(STATUSES, pa.string()).take(pa.array(block.status[rows].ravel())),
            "value": pa.array(block.number[rows].ravel(), pa.float64(), from_pandas=True),
            "value_text": quote(pa.array(_texts(block.other[rows].ravel(), _text), pa.string())),
            "unit": quote(pa.array([i.unit for i in indicators], pa.string())).take(per_indicator),
            "operator": quote(pa.array(operators, pa.string())).take(chosen),
            "limit": quote(pa.array(limits, pa.string())).take(chosen),
            "tier": quote(pa.array(labels, pa.string())).take(chosen),
            "gap": pa.array(block.gap[rows].ravel(), pa.float64(), from_pandas=True),
            "missing": quote(pa.array(_texts(block.missing[rows].ravel(), "; ".join), pa.string())),
            "message": quote(pa.array(block.message[rows].ravel(), pa.string())),
            "score": pa.nulls(count, pa.float64()),
            "file": pa.nulls(count, pa.string()),
            "row": pa.nulls(count, pa.int64()),
            "column": pa.nulls(count, pa.int32()),
        },
        schema=SCHEMA,
    )


def _repeated(text: str, count: int) -> pa.Array:
    return pa.array([text], pa.string()).take(pa.array(np.zeros(count, np.int64)))


def _texts(cells: np.ndarray, as_text) -> np.ndarray:
    """`as_text` of the cells that hold something; None elsewhere (most cells)."""
    out = np.empty(len(cells), object)
    held = np.flatnonzero(cells != None)  # noqa: E711 - elementwise
    out[held] = [as_text(cell) for cell in cells[held]]
    return out


def _verdict_table(frame: Frame, block: PackBlock, rows: np.ndarray, quote: Callable = _as_is) -> pa.Table:
    count = len(rows)
    assert block.verdict is not None and block.score is not None  # decided with the block
    return pa.table(
        {
            "kind": pa.array(np.full(count, "verdict", object), pa.string()),
            "park": quote(pa.array(frame.park[rows], pa.string())),
            "year": pa.array(frame.year[rows].astype(np.int32)),
            "pack": pa.array(np.full(count, block.plan.pack.ref, object), pa.string()),
            "indicator": pa.nulls(count, pa.string()),
            "status": pa.array(np.array(STATUSES, object)[block.verdict[rows]], pa.string()),
            "value": pa.nulls(count, pa.float64()),
            "value_text": pa.nulls(count, pa.string()),
            "unit": pa.nulls(count, pa.string()),
            "operator": pa.nulls(count, pa.string()),
            "limit": pa.nulls(count, pa.string()),
            "tier": pa.nulls(count, pa.string()),
            "gap": pa.nulls(count, pa.float64()),
            "missing": pa.nulls(count, pa.string()),
            "message": pa.nulls(count, pa.string()),
            "score": pa.array(block.score[rows], pa.float64(), from_pandas=True),
            "file": pa.nulls(count, pa.string()),
            "row": pa.nulls(count, pa.int64()),
            "column": pa.nulls(count, pa.int32()),
        },
        schema=SCHEMA,
    )
