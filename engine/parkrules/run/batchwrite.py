"""Streaming the results of a batch run: JSON Lines, CSV or Parquet, one frame at a time.

JSON Lines: one line per park-year with every pack's verdict and indicators, error lines
(`{"error": …}`) as they are found, and a last `{"summary": …}` line. CSV and Parquet: a long
table, one row per park-year × pack × indicator (`kind` indicator) and per park-year × pack
(`kind` verdict), and error rows (`kind` error) with file, row and column; or the wide table, a
row per park-year × pack (`tablesink.py`); Parquet in one file or a partitioned folder.
"""

from __future__ import annotations

import json
import math
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

import numpy as np
import pyarrow as pa

from parkrules.io.frame import Frame
from parkrules.io.spreadsheet import csv_array
from parkrules.io.vocabulary import Vocabulary
from parkrules.model.plan import Plan
from parkrules.rules.results_block import STATUSES, PackBlock
from parkrules.run import longtable, tablesink
from parkrules.run.longtable import tier_labels


@dataclass(frozen=True)
class Output:
    """What a batch run writes: the format, the file (None: standard output) or partitioned folder, the layout of a
    table, and Parquet's compression."""

    format: str
    path: Path | None
    layout: str = "long"
    compression: str = "snappy"
    partitioned: bool = False


def open_writer(output: Output, plans: list[Plan], vocabulary: Vocabulary) -> BatchWriter:
    if output.format == "jsonl":
        return JsonLinesWriter(output.path)
    layout = tablesink.layout_for(output.layout, plans, vocabulary)
    sink: tablesink.Sink
    if output.partitioned:
        assert output.path is not None  # a folder is always named
        sink = tablesink.PartitionedFolder(output.path, layout.schema, output.compression)
    elif output.format == "parquet":
        assert output.path is not None  # Parquet is always a file
        sink = tablesink.ParquetFile(output.path, layout.schema, output.compression)
    else:
        sink = tablesink.CsvFile(output.path, layout.schema)
    return TableWriter(output.format, sink, layout)


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
    """CSV or Parquet in a layout (`tablesink.py`), one frame at a time; a Parquet row group per pack and frame."""

    def __init__(self, output_format: str, sink: tablesink.Sink, layout: tablesink.Layout) -> None:
        self.sink, self.layout = sink, layout
        self.errors: list[dict] = []
        # CSV text a spreadsheet would run as a formula is quoted (applied to the few texts a column repeats, before
        # they are repeated); Parquet keeps every text as it is
        self.quote: longtable.Quote = csv_array if output_format == "csv" else longtable.as_is
        # pyarrow encodes and writes without the interpreter lock: a table is written on a thread while the next is
        # made (or, after a frame's last, the next frame read and evaluated); one table in flight bounds memory
        self.pool = ThreadPoolExecutor(max_workers=1)
        self.pending: Future | None = None

    def frame(self, frame: Frame, blocks: list[PackBlock], wanted: np.ndarray) -> None:
        rows = np.flatnonzero(wanted)
        if not len(rows):
            return
        for table in self.layout.tables(frame, blocks, rows, self.quote):
            self._write(table)
        if self.errors:
            self._write(self.layout.errors(self.errors, self.quote))
            self.errors = []

    def error(self, error: dict) -> None:
        self.errors.append(error)
        if len(self.errors) >= 10_000:
            self._write(self.layout.errors(self.errors, self.quote))
            self.errors = []

    def _write(self, table: pa.Table) -> None:
        """After the table before has been written (its exceptions raised here), this one, on the thread."""
        self._wait()
        self.pending = self.pool.submit(self.sink.write, table)

    def _wait(self) -> None:
        if self.pending is not None:
            self.pending.result()
            self.pending = None

    def close(self, summary: dict) -> None:
        if self.errors:
            self._write(self.layout.errors(self.errors, self.quote))
        self._wait()
        self.pool.shutdown()
        self.sink.close()
