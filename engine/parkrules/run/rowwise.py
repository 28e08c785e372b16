"""The per-park path of a batch run: each park of a frame, year by year, through the fast plan.

Each park-year is one call of the pack's generated year function (`fastplan.py`, `yearcode.py`);
what it cannot settle goes to the evaluator (`evaluate.py`) with the same state. It is the reference
the columnar path is held to, and it decides the rows the columnar path hands over (an
evaluation error on their path, or a read of another year that has one).
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import numpy as np

from parkrules.io.frame import Frame
from parkrules.io.park import Park
from parkrules.io.vocabulary import Vocabulary
from parkrules.model.plan import Plan
from parkrules.model.result import IndicatorResult
from parkrules.rules.results_block import PackBlock, decide_rows
from parkrules.run.evaluate import Context, Timeline, factor_values
from parkrules.run.fastplan import CELLS, FastPlan, result_cells
from parkrules.run.lookup import Reads


def evaluate_parks(
    fast: FastPlan,
    frame: Frame,
    vocabulary: Vocabulary,
    context: Context,
    rows: np.ndarray | None = None,
) -> PackBlock:
    """Every row of the frame, or only `rows` (a bool mask; their parks' other years are read, not judged);
    other rows are left unset."""
    parks = set(frame.park[rows]) if rows is not None else None
    judged = set(np.nonzero(rows)[0].tolist()) if rows is not None else None
    chosen = frame.parks(vocabulary.facts, parks).values()
    return evaluate_into_block(fast, chosen, frame.row_index(), len(frame), context, judged)


def evaluate_into_block(
    fast: FastPlan,
    parks: Iterable[Park],
    index: dict[tuple[str, int], int],
    count: int,
    context: Context,
    judged: set[int] | None = None,
) -> PackBlock:
    """Every year of every park into its row of a block of `count` rows (`index`: (park, year) → row), verdicts
    too; with `judged`, only those rows' indicators."""
    cells = ResultRows(len(fast.indicators))
    with _collector_paused():
        for park in parks:
            evaluate_park(fast, park, context, cells, index, judged)
        block = cells.block(fast.plan, count)
    decide_rows(block)
    return block


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a block is filled: every tuple and dict made here lives until the
    block is made, so its passes over them (about a tenth of the path's time) find nothing to free. Each park's
    years are let go by `evaluate_park` itself, so nothing waits for the collector."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def evaluate_park(
    fast: FastPlan,
    park: Park,
    context: Context,
    cells: ResultRows,
    index: dict[tuple[str, int], int],
    judged: set[int] | None = None,
) -> None:
    """Every year of one park, in order: a year read by a later one (prev, base) is then already computed."""
    plan = fast.plan
    if park.factor_overrides:
        timeline = Timeline(plan, park.years, factor_values(plan, park)[0], context)
        year_function, later = fast.by_name, False
    else:
        timeline = Timeline(plan, park.years, fast.split, context)
        year_function, later = fast.by_table, fast.factors_later
    add = cells.cells.extend
    earlier: dict[int, dict] = {}
    for year in sorted(park.years):
        state = timeline.start(year, later)
        if fast.years_back:  # earlier years are all computed by now; a year the park lacks reads as empty
            earlier = {back: _values(timeline, year + back) for back in fast.years_back}
        miss = Reads(state)  # the year's lookup for names not in its values, for every item
        row = index[(park.id, year)]
        judge = judged is None or row in judged  # else a year other rows read, whose results the columnar path gave
        if judge:
            cells.rows.append(row)
        year_function(state.values, miss, miss.found, earlier, state, park.years[year], add, judge)
    timeline.states.clear()  # a year's state and its timeline refer to each other: let go without the collector


def _values(timeline: Timeline, year: int) -> dict:
    state = timeline.states.get(year)
    return {} if state is None else state.values


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
        block.other[rows] = np.where(numeric, None, values)
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
