"""The wide result table (`--layout wide`): one row per park-year and pack, what analysts load into pandas, polars,
DuckDB or a spreadsheet.

Columns: `kind` (`result`, or `error` for what could not be read or assessed), `park`, `year`, `pack`, `verdict`,
`score`, then for each indicator of the packs (in pack order; an id two packs share is one set of columns)
`<id>.status`, `<id>.value`, `<id>.gap`, `<id>.tier` (the tier or class that applied), and `<id>.value_text` where
the indicator yields yes/no or a category; last `message`, `file`, `row`, `column` for error rows. A pack without
an indicator leaves its columns empty. Texts are dictionary-coded as in the long table (`longtable.py`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from parkrules.io.frame import Frame
from parkrules.io.vocabulary import Vocabulary
from parkrules.model.kinds import name_kinds, value_kind
from parkrules.model.pack import Indicator
from parkrules.model.plan import Plan
from parkrules.rules.results_block import STATUSES, PackBlock
from parkrules.run.longtable import CODED, Quote, as_is, coded, distinct, error_message, same, text_of, tier_labels

_HEAD = [
    ("kind", CODED),
    ("park", CODED),
    ("year", pa.int32()),
    ("pack", CODED),
    ("verdict", CODED),
    ("score", pa.float64()),
]
_TAIL = [("message", CODED), ("file", pa.string()), ("row", pa.int64()), ("column", pa.int32())]


@dataclass(frozen=True)
class WideSchema:
    """The columns of a run's wide table: fixed by its packs before the first row is written."""

    schema: pa.Schema
    ids: tuple[str, ...]  # every indicator id, in column order
    texts: frozenset[str]  # the ids whose values may be yes/no or a category: they have a `.value_text` column


def wide_schema(plans: list[Plan], vocabulary: Vocabulary) -> WideSchema:
    ids: dict[str, None] = {}
    texts: set[str] = set()
    for plan in plans:
        kinds = name_kinds(plan, vocabulary)
        for indicator in plan.indicators:
            ids.setdefault(indicator.id)
            if value_kind(indicator, kinds).what in ("boolean", "category"):
                texts.add(indicator.id)
    fields = list(_HEAD)
    for indicator_id in ids:
        fields += [(f"{indicator_id}.status", CODED), (f"{indicator_id}.value", pa.float64())]
        if indicator_id in texts:
            fields.append((f"{indicator_id}.value_text", CODED))
        fields += [(f"{indicator_id}.gap", pa.float64()), (f"{indicator_id}.tier", CODED)]
    return WideSchema(pa.schema(fields + _TAIL), tuple(ids), frozenset(texts))


def result_table(wide: WideSchema, frame: Frame, block: PackBlock, rows: np.ndarray, quote: Quote = as_is) -> pa.Table:
    """One row per park-year of `rows`: the pack's verdict, score and every indicator's cells."""
    count = len(rows)
    assert block.verdict is not None and block.score is not None  # decided with the block
    columns: dict[str, pa.Array] = {
        "kind": same("result", count),
        "park": coded(np.arange(count, dtype=np.int32), frame.park[rows].tolist(), quote),
        "year": pa.array(frame.year[rows].astype(np.int32)),
        "pack": same(block.plan.pack.ref, count, quote),
        "verdict": coded(block.verdict[rows].astype(np.int32), STATUSES, as_is),
        "score": pa.array(block.score[rows], pa.float64(), from_pandas=True),
    }
    for column, indicator in enumerate(block.plan.indicators):
        columns |= _indicator_columns(wide, indicator, block, column, rows, quote)
    return _filled(wide.schema, columns, count)


def error_table(wide: WideSchema, errors: list[dict], quote: Quote = as_is) -> pa.Table:
    """Error rows: what could not be read or assessed, with file, row and column."""
    count = len(errors)
    messages = [error_message(error) for error in errors]
    columns = {
        "kind": same("error", count),
        "park": coded(np.arange(count, dtype=np.int32), [error.get("park") for error in errors], quote),
        "year": pa.array([error.get("year") for error in errors], pa.int32()),
        "message": coded(np.arange(count, dtype=np.int32), messages, quote),
        "file": quote(pa.array([error.get("file") for error in errors], pa.string())),
        "row": pa.array([error.get("line") for error in errors], pa.int64()),
        "column": pa.array([error.get("column") for error in errors], pa.int32()),
    }
    return _filled(wide.schema, columns, count)


def _indicator_columns(
    wide: WideSchema, indicator: Indicator, block: PackBlock, column: int, rows: np.ndarray, quote: Quote
) -> dict[str, pa.Array]:
    choice = block.choice[rows, column].astype(np.int32)
    name = indicator.id
    cells = {
        f"{name}.status": coded(block.status[rows, column].astype(np.int32), STATUSES, as_is),
        f"{name}.value": pa.array(block.number[rows, column], pa.float64(), from_pandas=True),
        f"{name}.gap": pa.array(block.gap[rows, column], pa.float64(), from_pandas=True),
        f"{name}.tier": coded(choice, tier_labels(indicator), quote),
    }
    if name in wide.texts:
        cells[f"{name}.value_text"] = distinct(block.other[rows, column], text_of, quote)
    return cells


def _filled(schema: pa.Schema, columns: dict[str, pa.Array], count: int) -> pa.Table:
    """The table in the schema's column order, a column not given all empty (one empty array per type, shared: a
    pack fills a fraction of a many-pack table's columns)."""
    empty = {kind: pa.nulls(count, kind) for kind in {field.type for field in schema}}
    return pa.table({field.name: columns.get(field.name, empty[field.type]) for field in schema}, schema=schema)
