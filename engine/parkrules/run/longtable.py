"""The long result table's columns, built from a pack's result arrays without a Python string per cell.

A text column that repeats a few values (park, pack, indicator, unit, status, operator, limit, tier, and the
mostly empty value texts, missing inputs and messages) is an Arrow dictionary column: integer codes into a small
array of its texts, null where there is none. Values, gaps and scores come straight from the result arrays.
Parquet stores these columns dictionary-encoded as plain text (`store_schema=False` in the writer), so every
reader sees the text columns of `SCHEMA`; the CSV writer writes the texts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from parkrules.base.status import Status
from parkrules.io.frame import Frame
from parkrules.model.pack import Indicator
from parkrules.rules.results_block import STATUS, STATUSES, PackBlock

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
CODED = pa.dictionary(pa.int32(), pa.string())
# the schema as written: every text column but the error rows' file as codes into its texts
WRITTEN = pa.schema([pa.field(f.name, CODED) if pa.types.is_string(f.type) and f.name != "file" else f for f in SCHEMA])

Quote = Callable[[pa.Array], pa.Array]  # what a text must become in the output (CSV: not run as a formula)


def as_is(texts: pa.Array) -> pa.Array:
    return texts


def indicator_table(frame: Frame, block: PackBlock, rows: np.ndarray, quote: Quote = as_is) -> pa.Table:
    """One row per park-year of `rows` × indicator of this pack."""
    indicators = block.plan.indicators
    width = len(indicators)
    count = len(rows) * width
    per_indicator = np.tile(np.arange(width, dtype=np.int32), len(rows))
    tiers = Tiers(block)
    chosen = tiers.chosen(block.choice[rows]).ravel()
    number, status = block.number[rows].ravel(), block.status[rows].ravel()  # a value text only where no number
    return pa.table(
        {
            "kind": same("indicator", count),
            "park": coded(np.repeat(np.arange(len(rows), dtype=np.int32), width), frame.park[rows].tolist(), quote),
            "year": pa.array(np.repeat(frame.year[rows], width).astype(np.int32)),
            "pack": same(block.plan.pack.ref, count, quote),
            "indicator": coded(per_indicator, [i.id for i in indicators], quote),
            "status": coded(status.astype(np.int32), STATUSES, as_is),
            "value": pa.array(number, pa.float64(), from_pandas=True),
            "value_text": distinct(block.other[rows].ravel(), text_of, quote, np.isnan(number)),
            "unit": coded(per_indicator, [i.unit for i in indicators], quote),
            "operator": coded(chosen, tiers.operators, quote),
            "limit": coded(chosen, tiers.limit_texts, quote),
            "tier": coded(chosen, tiers.labels, quote),
            "gap": pa.array(block.gap[rows].ravel(), pa.float64(), from_pandas=True),
            "missing": distinct(block.missing[rows].ravel(), "; ".join, quote, status == STATUS[Status.MISSING]),
            "message": _texts(block.message[rows].ravel(), quote),
            **_nulls(("score", "file", "row", "column"), count),
        },
        schema=WRITTEN,
    )


def verdict_table(frame: Frame, block: PackBlock, rows: np.ndarray, quote: Quote = as_is) -> pa.Table:
    """One row per park-year of `rows`: the pack's verdict and score."""
    count = len(rows)
    assert block.verdict is not None and block.score is not None  # decided with the block
    return pa.table(
        {
            "kind": same("verdict", count),
            "park": coded(np.arange(count, dtype=np.int32), frame.park[rows].tolist(), quote),
            "year": pa.array(frame.year[rows].astype(np.int32)),
            "pack": same(block.plan.pack.ref, count, quote),
            "indicator": pa.nulls(count, CODED),
            "status": coded(block.verdict[rows].astype(np.int32), STATUSES, as_is),
            **_nulls(("value", "value_text", "unit", "operator", "limit", "tier", "gap", "missing", "message"), count),
            "score": pa.array(block.score[rows], pa.float64(), from_pandas=True),
            **_nulls(("file", "row", "column"), count),
        },
        schema=WRITTEN,
    )


def error_table(errors: list[dict], quote: Quote = as_is) -> pa.Table:
    """Error rows: what could not be read or assessed, with file, row and column."""
    count = len(errors)
    texts = {
        "kind": ["error"] * count,
        "park": [error.get("park") for error in errors],
        "message": [error_message(error) for error in errors],
    }
    columns: dict[str, Any] = {field.name: pa.nulls(count, field.type) for field in WRITTEN}
    for name, values in texts.items():
        columns[name] = quote(pa.array(values, pa.string())).dictionary_encode().cast(CODED)
    columns["year"] = pa.array([error.get("year") for error in errors], pa.int32())
    columns["file"] = quote(pa.array([error.get("file") for error in errors], pa.string()))
    columns["row"] = pa.array([error.get("line") for error in errors], pa.int64())
    columns["column"] = pa.array([error.get("column") for error in errors], pa.int32())
    return pa.table(columns, schema=WRITTEN)


def error_message(error: dict) -> str:
    """An error row's message: the field it is about, then what is wrong."""
    return (f"{error['field']}: " if error.get("field") else "") + error["message"]


def tier_labels(indicator: Indicator) -> list[str | None]:
    """The label of each tier or class a result's `choice` can point at: a class's id, a tier's English name."""
    if indicator.classes:
        return [entry.id for entry in indicator.classes]
    return [threshold.tier.en if threshold.tier else None for threshold in indicator.thresholds]


class Tiers:
    """Every indicator's tiers or classes in order, one flat list for the pack: label, operator, limit (as text and
    as the pack gives it); the index of an indicator's first in `starts`. What a result's `choice` points at, for
    every layout and format."""

    def __init__(self, block: PackBlock) -> None:
        self.labels: list[str | None] = []
        self.operators: list[str | None] = []
        self.limits: list[object] = []
        starts = []
        for indicator in block.plan.indicators:
            starts.append(len(self.labels))
            self.labels += tier_labels(indicator)
            thresholds = [] if indicator.classes else indicator.thresholds
            self.operators += [t.operator for t in thresholds] or [None] * len(indicator.classes)
            self.limits += [t.value for t in thresholds] or [None] * len(indicator.classes)
        self.starts = np.array(starts, np.int32)
        self.limit_texts = [text_of(limit) for limit in self.limits]

    def chosen(self, choice: np.ndarray) -> np.ndarray:
        """Each result's tier or class as an index into the flat lists, -1 where none applied; `choice` is rows ×
        indicators, as the block holds it."""
        return np.where(choice < 0, -1, self.starts + choice).astype(np.int32)


def text_of(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def coded(codes: np.ndarray, texts: Any, quote: Quote) -> pa.Array:
    """Codes into `texts` (a sequence; -1, or a code whose text is None: no text). The dictionary holds each text
    once: Parquet's writer gave different bytes for the same content when a dictionary repeated a text."""
    encoded = pa.array(texts, pa.string()).dictionary_encode()  # each text once, in order of first appearance
    renumbered = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int32)
    if not np.array_equal(renumbered, np.arange(len(renumbered))):
        codes = np.append(renumbered, np.int32(-1))[codes]  # a code -1 takes the last entry: -1 again
    empty = codes < 0
    indices = pa.array(codes, pa.int32(), mask=empty) if empty.any() else pa.array(codes, pa.int32())
    return pa.DictionaryArray.from_arrays(indices, quote(encoded.dictionary))


def same(text: str, count: int, quote: Quote = as_is) -> pa.Array:
    return coded(np.zeros(count, np.int32), [text], quote)


def distinct(
    cells: np.ndarray, as_text: Callable[[Any], str | None], quote: Quote, maybe: np.ndarray | None = None
) -> pa.Array:
    """Object cells, mostly empty, as codes into their distinct texts: Python touches only the cells that hold
    something (a true/false or category value, missing inputs, a message); `maybe`: the only cells that can."""
    codes = np.full(len(cells), -1, np.int32)
    candidates = np.arange(len(cells)) if maybe is None else np.flatnonzero(maybe)
    held = candidates[cells[candidates] != None]  # noqa: E711 - elementwise
    known: dict[Any, int] = {}
    for row, cell in zip(held.tolist(), cells[held].tolist(), strict=True):
        codes[row] = known.setdefault(cell, len(known))
    return coded(codes, [as_text(cell) for cell in known], quote)


def _texts(cells: np.ndarray, quote: Quote) -> pa.Array:
    """Object cells holding text or None (messages) as codes into their distinct texts, converted and counted by
    Arrow in C."""
    encoded = pa.array(cells, pa.string()).dictionary_encode()
    return pa.DictionaryArray.from_arrays(encoded.indices, quote(encoded.dictionary))


def _nulls(names: tuple[str, ...], count: int) -> dict[str, pa.Array]:
    return {name: pa.nulls(count, WRITTEN.field(name).type) for name in names}
