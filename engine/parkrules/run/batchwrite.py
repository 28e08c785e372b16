"""Streaming the results of a batch run: JSON Lines, CSV or Parquet, one frame at a time.

JSON Lines: one line per park-year with every pack's verdict and indicators, error lines
(`{"error": …}`) as they are found, and a last `{"summary": …}` line. CSV and Parquet: a long
table, one row per park-year × pack × indicator (`kind` indicator) and per park-year × pack
(`kind` verdict), and error rows (`kind` error) with file, row and column; or the wide table, a
row per park-year × pack (`tablesink.py`); Parquet in one file or a partitioned folder.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
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
from parkrules.run.longtable import Tiers


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


class JsonLinesWriter(BatchWriter):
    def __init__(self, path: Path | None) -> None:
        self.handle: IO[str] = path.open("w", encoding="utf-8") if path else sys.stdout

    def _line(self, record: dict) -> None:
        self.handle.write(json.dumps(record, ensure_ascii=False, allow_nan=False) + "\n")

    def frame(self, frame: Frame, blocks: list[PackBlock], wanted: np.ndarray) -> None:
        rows = np.flatnonzero(wanted)
        refs = [block.plan.pack.ref for block in blocks]
        # record by record, each written as it is made: a frame's records all at once would be hundreds of MB
        packs = zip(*(_pack_records(block, rows) for block in blocks), strict=True)
        parks, years = frame.park[rows].tolist(), frame.year[rows].tolist()
        for park, year, records in zip(parks, years, packs, strict=True):
            self._line({"park": str(park), "year": int(year), "packs": dict(zip(refs, records, strict=True))})

    def error(self, error: dict) -> None:
        self._line({"error": {k: v for k, v in error.items() if v is not None}})

    def close(self, summary: dict) -> None:
        self._line({"summary": summary})
        if self.handle is not sys.stdout:
            self.handle.close()
        else:
            self.handle.flush()


def _pack_records(block: PackBlock, rows: np.ndarray) -> Iterator[dict]:
    """A record per park-year of `rows`: verdict, score and each indicator's entry; read column by column from the
    result arrays, the tier, operator and limit from `Tiers` as the tables read them."""
    assert block.verdict is not None and block.score is not None  # decided with the block
    tiers = Tiers(block)
    ids = [indicator.id for indicator in block.plan.indicators]
    tier_key = ["class" if indicator.classes else "tier" for indicator in block.plan.indicators]
    columns = zip(
        *(block.status[rows].tolist(), block.number[rows].tolist(), block.other[rows].tolist()),
        *(tiers.chosen(block.choice[rows]).tolist(), block.gap[rows].tolist()),
        *(block.missing[rows].tolist(), block.message[rows].tolist()),
        strict=True,
    )
    verdicts, scores = block.verdict[rows].tolist(), block.score[rows].tolist()
    for at, (status, number, other, chosen, gap, missing, message) in enumerate(columns):
        indicators = {}
        for column, name in enumerate(ids):
            entry: dict = {"status": STATUSES[status[column]]}
            if number[column] == number[column]:  # not NaN
                entry["value"] = number[column]
            elif other[column] is not None:
                entry["value"] = other[column]
            tier = chosen[column]
            if tier >= 0:
                if tiers.operators[tier] is not None:
                    entry["threshold"] = {"operator": tiers.operators[tier], "value": tiers.limits[tier]}
                if tiers.labels[tier] is not None:
                    entry[tier_key[column]] = tiers.labels[tier]
            if gap[column] == gap[column]:
                entry["gap"] = gap[column]
            if missing[column]:
                entry["missing"] = list(missing[column])
            if message[column]:
                entry["message"] = message[column]
            indicators[name] = entry
        record: dict = {"verdict": STATUSES[verdicts[at]]}
        if scores[at] == scores[at]:
            record["score"] = scores[at]
        record["indicators"] = indicators
        yield record


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
