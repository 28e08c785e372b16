"""The per-park path of a batch run: each park of a frame, year by year, through the fast plan.

Each item runs first as a compiled function over the year's values (`fastplan.py`); what it
cannot settle goes to the evaluator (`evaluate.py`) with the same state. It is the reference
the columnar path is held to, and it decides the rows the columnar path hands over (an
evaluation error on their path, or a read of another year that has one).
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache

import numpy as np
from parkrules.evaluate import Context, Reads, Timeline, derive, factor_values, indicator_result
from parkrules.fastplan import Cells, FastPlan, derive_into, judge
from parkrules.frame import Frame
from parkrules.park import Park
from parkrules.plan import Plan
from parkrules.result import IndicatorResult
from parkrules.results_block import STATUS, PackBlock, choice_of, decide_rows
from parkrules.vocabulary import Vocabulary


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
    factors = factor_values(plan, park)[0] if park.factor_overrides else fast.factors
    timeline = Timeline(plan, park.years, factors, context)
    for year in sorted(park.years):
        state = timeline.start(year)
        # earlier years are all computed by now; a year the park lacks reads as empty (its absence is named)
        earlier = {back: _values(timeline, year + back) for back in fast.years_back}
        miss = Reads(state)  # the year's lookup for names not in its values, for every item
        for step in fast.derived:
            if not derive_into(step, state, miss, earlier):
                derive(step.item, step.pack_ref, state)
        data = park.years[year]
        row = index[(park.id, year)]
        if judged is not None and row not in judged:
            continue  # a year other rows read, whose own results the columnar path gave
        for step in fast.indicators:
            fast_cells = None if step.indicator.id in data.exclusions else judge(step, state.values, miss, earlier)
            if fast_cells is not None:
                cells.add(row, fast_cells)
            else:
                result = indicator_result(step.indicator, data, state)
                cells.add_result(row, result, choice_of(step.indicator, result))
    timeline.states.clear()  # a year's state and its timeline refer to each other: let go without the collector


def _values(timeline: Timeline, year: int) -> dict:
    state = timeline.states.get(year)
    return {} if state is None else state.values


class ResultRows:
    """Results collected row by row as tuples (cheaper than writing numpy cells one by one), then one block."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.rows: list[int] = []
        self.cells: list[Cells] = []

    def add(self, row: int, cells: Cells) -> None:
        if not self.rows or self.rows[-1] != row:
            self.rows.append(row)
        self.cells.append(cells)

    def add_result(self, row: int, result: IndicatorResult, choice: int) -> None:
        gap = None if result.gap is None else result.gap.absolute
        missing = result.missing if result.status == "missing" else None
        self.add(row, (result.status, result.value, gap, choice, result.message, result.points, missing))

    def block(self, plan: Plan, count: int) -> PackBlock:
        block = PackBlock.empty(plan, count)
        if not self.rows:
            return block
        rows = np.array(self.rows)
        shape = (len(rows), self.width)
        status, value, gap, choice, message, points, missing = zip(*self.cells, strict=True)
        block.status[rows] = np.array(list(map(STATUS.__getitem__, status)), np.int8).reshape(shape)
        values = _objects(value, shape)
        numeric = np.array(list(map(_is_number_type, map(type, value)))).reshape(shape)
        block.number[rows] = np.where(numeric, values, np.nan).astype(np.float64)
        block.other[rows] = np.where(numeric, None, values)
        block.gap[rows] = np.array(gap, np.float64).reshape(shape)
        block.choice[rows] = np.array(choice, np.int16).reshape(shape)
        block.missing[rows] = _objects(missing, shape)
        block.message[rows] = _objects(message, shape)
        block.points[rows] = np.array(points, np.float64).reshape(shape)
        return block


@cache  # one check per type, not per value: the values are of three or four types
def _is_number_type(kind: type) -> bool:
    return issubclass(kind, (int, float)) and not issubclass(kind, bool)


def _objects(items: tuple, shape: tuple[int, int]) -> np.ndarray:
    """An object array of exactly these items (np.array would turn a list of tuples into a 2-d array)."""
    return np.fromiter(items, object, len(items)).reshape(shape)
