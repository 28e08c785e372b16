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
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import IO, Any, Protocol

import numpy as np
import pyarrow as pa

from parkrules.io.frame import Frame
from parkrules.io.spreadsheet import csv_array
from parkrules.rules.results_block import STATUSES, PackBlock
from parkrules.run import longtable
from parkrules.run.longtable import tier_labels

# Measured on 20 000 parks × 3 packs (1.2 M rows, bench/README.md): snappy writes in 0.17 s and 21 MB, zstd in 0.21 s
# and 18 MB, no compression in 0.19 s and 49 MB
COMPRESSIONS = ("snappy", "zstd", "none")
DEFAULT_COMPRESSION = "snappy"


def open_writer(output_format: str, path: Path | None, compression: str = DEFAULT_COMPRESSION) -> BatchWriter:
    if output_format == "jsonl":
        return JsonLinesWriter(path)
    return TableWriter(output_format, path, compression)


class BatchWriter(Protocol):
    def frame(self, frame: Frame, blocks: list[PackBlock], wanted: np.ndarray) -> None: ...

    def error(self, error: dict) -> None: ...

    def close(self, summary: dict) -> None: ...


def _labels(block: PackBlock) -> list[list[str | None]]:
    """Per indicator, the label of each tier or class `choice` can point at."""
    return [tier_labels(indicator) for indicator in block.plan.indicators]


def _limit(block: PackBlock, column: int, choice: int) -> tuple[str | None, object]:
    indicator = block.plan.indicators[column]
    if choice < 0 or indicator.classes:
        return None, None
    threshold = indicator.thresholds[choice]
    return threshold.operator, threshold.value


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
    """CSV or Parquet, written with pyarrow one frame at a time (a Parquet row group per pack and frame), the columns
    made by `longtable.py`."""

    def __init__(self, output_format: str, path: Path | None, compression: str = DEFAULT_COMPRESSION) -> None:
        self.output_format = output_format
        self.path = path
        self.errors: list[dict] = []
        # CSV text a spreadsheet would run as a formula is quoted (applied to the few texts a column repeats, before
        # they are repeated); Parquet keeps every text as it is
        self.quote: longtable.Quote = csv_array if output_format == "csv" else _as_is
        self.writer: Any
        if output_format == "parquet":
            import pyarrow.parquet as pq

            self.writer = pq.ParquetWriter(path, longtable.WRITTEN, store_schema=False, **parquet_options(compression))
        else:
            import pyarrow.csv as pacsv

            self.sink = pa.output_stream(path) if path else pa.PythonFile(sys.stdout.buffer, mode="w")
            self.writer = pacsv.CSVWriter(self.sink, longtable.WRITTEN)
        # pyarrow encodes and writes without the interpreter lock: a frame's tables are written on a thread while
        # the next frame is read and evaluated (one frame in flight, so memory stays bounded)
        self.pool = ThreadPoolExecutor(max_workers=1)
        self.pending: Future | None = None

    def frame(self, frame: Frame, blocks: list[PackBlock], wanted: np.ndarray) -> None:
        rows = np.flatnonzero(wanted)
        if not len(rows):
            return
        # one pack's table at a time: the long table of a frame × every pack would be hundreds of MB
        tables = [longtable.indicator_table(frame, block, rows, self.quote) for block in blocks]
        tables += [longtable.verdict_table(frame, block, rows, self.quote) for block in blocks]
        if self.errors:
            tables.append(longtable.error_table(self.errors, self.quote))
            self.errors = []
        self._write(tables)

    def error(self, error: dict) -> None:
        self.errors.append(error)
        if len(self.errors) >= 10_000:
            self._write([longtable.error_table(self.errors, self.quote)])
            self.errors = []

    def _write(self, tables: list[pa.Table]) -> None:
        """After the frame before has been written (its exceptions raised here), these tables, on the thread."""
        self._wait()
        self.pending = self.pool.submit(lambda: [self.writer.write_table(table) for table in tables])

    def _wait(self) -> None:
        if self.pending is not None:
            self.pending.result()
            self.pending = None

    def close(self, summary: dict) -> None:
        if self.errors:
            self._write([longtable.error_table(self.errors, self.quote)])
        self._wait()
        self.pool.shutdown()
        self.writer.close()
        if self.output_format == "csv" and self.path is None:
            sys.stdout.flush()


def parquet_options(compression: str) -> dict[str, Any]:
    """How a results file is encoded: Parquet's dictionary encoding for the text columns only (numbers do not
    repeat enough to gain from it), min/max statistics for the columns a query filters by."""
    return {
        "compression": compression,
        "use_dictionary": [field.name for field in longtable.WRITTEN if pa.types.is_dictionary(field.type)],
        "write_statistics": ["kind", "park", "year", "pack", "indicator", "status"],
    }


def _as_is(texts: pa.Array) -> pa.Array:
    return texts
