"""The per-park path of a batch run: each park of a frame through the evaluator, year by year, into a block.

The columnar path decides every row itself; this path is `--engine per-park`, which checks one engine against the
other on real data. It is far slower than the columnar path: the evaluator builds every result in full.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from parkrules.base.status import Status
from parkrules.io.frame import Frame
from parkrules.io.vocabulary import Vocabulary
from parkrules.model.plan import Plan
from parkrules.model.result import IndicatorResult
from parkrules.rules.results_block import STATUS, PackBlock, choice_of, decide_rows
from parkrules.run.evaluate import Context, evaluate_years, factor_values


def evaluate_parks(plan: Plan, frame: Frame, vocabulary: Vocabulary, context: Context) -> PackBlock:
    """Every row of the frame, verdicts too."""
    cells = ResultRows(len(plan.indicators))
    index = frame.row_index()
    for park in frame.parks(vocabulary.facts).values():
        factors, _ = factor_values(plan, park)
        for year, results in evaluate_years(plan, park.years, sorted(park.years), factors, context).items():
            row = index[(park.id, year)]
            for indicator, result in zip(plan.indicators, results, strict=True):
                cells.add_result(row, result, choice_of(indicator, result))
    block = cells.block(plan, len(frame))
    decide_rows(block)
    return block


# One indicator's result: status (its code), value, gap (absolute), choice, message, points, missing inputs.
CELLS = 7


def result_cells(result: IndicatorResult, choice: int) -> tuple[Any, ...]:
    """The evaluator's result as cells."""
    gap = None if result.gap is None else result.gap.absolute
    missing = result.missing if result.status == Status.MISSING else None
    return STATUS[result.status], result.value, gap, choice, result.message, result.points, missing


class ResultRows:
    """Results collected row by row, then one block: `rows` in order, and for each of them `width` indicators'
    cells, one after another in the flat list `cells` (extending a list is cheaper than writing numpy cells one
    by one, and its columns are then slices of it)."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.rows: list[int] = []
        self.cells: list = []

    def add_result(self, row: int, result: IndicatorResult, choice: int) -> None:
        if not self.rows or self.rows[-1] != row:
            self.rows.append(row)
        self.cells.extend(result_cells(result, choice))

    def block(self, plan: Plan, count: int) -> PackBlock:
        block = PackBlock.empty(plan, count)
        if not self.cells:  # no rows, or a pack with no indicators
            return block
        rows = np.array(self.rows)
        shape = (len(rows), self.width)
        size = shape[0] * shape[1]
        status, value, gap, choice, message, points, missing = (self.cells[field::CELLS] for field in range(CELLS))
        block.status[rows] = np.fromiter(status, np.int8, size).reshape(shape)
        values = _objects(value, shape)
        numeric = np.fromiter(map(_NUMBER_TYPE.__getitem__, map(type, value)), bool, size).reshape(shape)
        block.number[rows] = np.where(numeric, values, np.nan).astype(np.float64)
        block.other[rows] = np.where(numeric, np.array(None, object), values)
        block.gap[rows] = _numbers(gap, shape)  # None is NaN
        block.choice[rows] = np.fromiter(choice, np.int16, size).reshape(shape)
        block.missing[rows] = _objects(missing, shape)
        block.message[rows] = _objects(message, shape)
        if any(indicator.score is not None for indicator in plan.indicators):  # else None everywhere: the empty NaN
            block.points[rows] = _numbers(points, shape)
        return block


class _NumberTypes(dict):
    """Type → is it a number (a bool is not): one check per type, not per value, looked up in C."""

    def __missing__(self, kind: type) -> bool:
        self[kind] = issubclass(kind, (int, float)) and not issubclass(kind, bool)
        return self[kind]


_NUMBER_TYPE = _NumberTypes()


def _numbers(items: list, shape: tuple[int, int]) -> np.ndarray:
    return np.fromiter(items, np.float64, len(items)).reshape(shape)


def _objects(items: list, shape: tuple[int, int]) -> np.ndarray:
    """An object array of exactly these items (np.array would turn a list of tuples into a 2-d array)."""
    return np.fromiter(items, object, len(items)).reshape(shape)
