"""Where a batch run's result tables go: their layout (long or wide) and their sink (one CSV or Parquet file, or a
folder of Parquet files partitioned by year and pack, as DuckDB, polars, Spark and pyarrow read it).

Parquet is written with Parquet's own dictionary encoding of the text columns and no Arrow schema (`store_schema`
off), so every reader sees plain text columns, and with min/max statistics on the columns a query filters by.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from parkrules.io.frame import Frame
from parkrules.io.vocabulary import Vocabulary
from parkrules.model.plan import Plan
from parkrules.rules.results_block import PackBlock
from parkrules.run import longtable, widetable
from parkrules.run.longtable import Quote

_FILTERED = ("kind", "park", "year", "pack", "indicator", "status", "verdict")  # the columns given statistics
PARTITIONS = ("year", "pack")
_NO_PARTITION = "__HIVE_DEFAULT_PARTITION__"  # a null partition value, as Hive, Spark and pyarrow read it


class Layout(Protocol):
    @property
    def schema(self) -> pa.Schema: ...

    def tables(self, frame: Frame, blocks: list[PackBlock], rows: np.ndarray, quote: Quote) -> Iterator[pa.Table]: ...

    def errors(self, errors: list[dict], quote: Quote) -> pa.Table: ...


class LongLayout:
    """A row per park-year × pack × indicator, and per park-year × pack for the verdict (`longtable.py`)."""

    @property
    def schema(self) -> pa.Schema:
        return longtable.WRITTEN

    def tables(self, frame: Frame, blocks: list[PackBlock], rows: np.ndarray, quote: Quote) -> Iterator[pa.Table]:
        # one pack's table at a time, made as the one before is written: a frame's tables for every pack at once
        # would be hundreds of MB
        for block in blocks:
            yield longtable.indicator_table(frame, block, rows, quote)
        for block in blocks:
            yield longtable.verdict_table(frame, block, rows, quote)

    def errors(self, errors: list[dict], quote: Quote) -> pa.Table:
        return longtable.error_table(errors, quote)


@dataclass(frozen=True)
class WideLayout:
    """A row per park-year × pack, each indicator's cells in columns (`widetable.py`)."""

    wide: widetable.WideSchema

    @property
    def schema(self) -> pa.Schema:
        return self.wide.schema

    def tables(self, frame: Frame, blocks: list[PackBlock], rows: np.ndarray, quote: Quote) -> Iterator[pa.Table]:
        for block in blocks:
            yield widetable.result_table(self.wide, frame, block, rows, quote)

    def errors(self, errors: list[dict], quote: Quote) -> pa.Table:
        return widetable.error_table(self.wide, errors, quote)


def layout_for(name: str, plans: list[Plan], vocabulary: Vocabulary) -> Layout:
    return WideLayout(widetable.wide_schema(plans, vocabulary)) if name == "wide" else LongLayout()


def parquet_options(schema: pa.Schema, compression: str) -> dict[str, Any]:
    """Parquet's dictionary encoding for the text columns only (numbers do not repeat enough to gain from it),
    statistics for the columns a query filters by, no Arrow schema (readers see text, not Arrow dictionaries)."""
    return {
        "compression": compression,
        "use_dictionary": [field.name for field in schema if pa.types.is_dictionary(field.type)],
        "write_statistics": [name for name in _FILTERED if name in schema.names],
        "store_schema": False,
    }


class Sink(Protocol):
    def write(self, table: pa.Table) -> None: ...

    def close(self) -> None: ...


class ParquetFile:
    """One Parquet file, a row group per table written."""

    def __init__(self, path: Path, schema: pa.Schema, compression: str) -> None:
        self.writer = pq.ParquetWriter(path, schema, **parquet_options(schema, compression))

    def write(self, table: pa.Table) -> None:
        self.writer.write_table(table)

    def close(self) -> None:
        self.writer.close()


class CsvFile:
    """One CSV file, or standard output."""

    def __init__(self, path: Path | None, schema: pa.Schema) -> None:
        self.stream = pa.output_stream(path) if path else pa.PythonFile(sys.stdout.buffer, mode="w")
        self.writer = pacsv.CSVWriter(self.stream, schema)
        self.to_stdout = path is None

    def write(self, table: pa.Table) -> None:
        self.writer.write_table(table)

    def close(self) -> None:
        self.writer.close()
        if self.to_stdout:
            sys.stdout.flush()


class PartitionedFolder:
    """A folder of Parquet files, `year=<year>/pack=<pack>/part-<n>.parquet` (Hive-style partitions: the two
    columns are in the folder names, not the files); error rows, which have no pack, under the null partition."""

    def __init__(self, folder: Path, schema: pa.Schema, compression: str) -> None:
        self.folder = folder
        self.schema = pa.schema([field for field in schema if field.name not in PARTITIONS])
        self.options = parquet_options(self.schema, compression)
        self.count = 0

    def write(self, table: pa.Table) -> None:
        packs = table.column("pack").combine_chunks().dictionary_decode().unique().to_pylist()
        years = table.column("year").unique().to_pylist()
        for pack in packs:
            for year in years:
                part = table.filter(pc.and_(_equal(table, "pack", pack), _equal(table, "year", year)))
                if not part.num_rows:
                    continue
                folder = self.folder / f"year={_key(year)}" / f"pack={_key(pack)}"
                folder.mkdir(parents=True, exist_ok=True)
                self.count += 1
                pq.write_table(
                    part.drop_columns(list(PARTITIONS)), folder / f"part-{self.count:05d}.parquet", **self.options
                )

    def close(self) -> None:
        """Nothing is left open: each part is written whole."""


def _equal(table: pa.Table, name: str, value: object) -> pa.ChunkedArray:
    column = table.column(name)
    if value is None:
        return pc.is_null(column)
    if pa.types.is_dictionary(column.type):
        column = column.combine_chunks().dictionary_decode()
    return pc.fill_null(pc.equal(column, pa.scalar(value, column.type)), False)


def _key(value: object) -> str:
    return _NO_PARTITION if value is None else str(value)
