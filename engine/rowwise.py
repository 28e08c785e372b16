"""The per-park path of a batch run: each park of a frame, year by year, through the fast plan.

Each item runs first as a compiled function over the year's values (`fastplan.py`); what it
cannot settle goes to the evaluator (`evaluate.py`) with the same state. It is the reference
the columnar path is held to, and it decides the rows the columnar path hands over (an
evaluation error on their path).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from parkrules.evaluate import Context, Timeline, derive, factor_values, indicator_result
from parkrules.fastplan import Cells, DerivedStep, FastPlan, IndicatorStep, judge
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
    """Every row of the frame (or the parks of `rows`, a bool mask); other rows are left unset."""
    wanted = set(frame.park[rows]) if rows is not None else None
    index = {(str(park), int(year)): row for row, (park, year) in enumerate(zip(frame.park, frame.year, strict=False))}
    return evaluate_into_block(fast, frame.parks(vocabulary.facts, wanted).values(), index, len(frame), context)


def evaluate_into_block(
    fast: FastPlan, parks: Iterable[Park], index: dict[tuple[str, int], int], count: int, context: Context
) -> PackBlock:
    """Every year of every park into its row of a block of `count` rows (`index`: (park, year) → row), verdicts too."""
    cells = ResultRows(len(fast.indicators))
    for park in parks:
        evaluate_park(fast, park, context, cells, index)
    block = cells.block(fast.plan, count)
    decide_rows(block)
    return block


def evaluate_park(
    fast: FastPlan, park: Park, context: Context, cells: ResultRows, index: dict[tuple[str, int], int]
) -> None:
    """Every year of one park, in order: a year read by a later one (prev, base) is then already computed."""
    plan = fast.plan
    factors, _ = factor_values(plan, park)
    timeline = Timeline(plan, park.years, factors, context)
    for year in sorted(park.years):
        state = timeline.start(year)
        values = state.values
        gone = set(state.missing)  # no value because it could not be computed (never read as zero)
        for step in fast.derived:
            if not _derived_fast(step, values, gone):
                derive(step.item, step.pack_ref, state)
                if step.item.id not in values:
                    gone.add(step.item.id)
        data = park.years[year]
        row = index[(park.id, year)]
        for step in fast.indicators:
            judged = None if step.indicator.id in data.exclusions else _judged_fast(step, values, gone)
            if judged is not None:
                cells.add(row, judged)
            else:
                result = indicator_result(step.indicator, data, state)
                cells.add_result(row, result, choice_of(step.indicator, result))


# Anything unusual (an absent input, a division by zero, a value of the wrong kind) is the
# evaluator's to settle and word, so the fast path gives up on any exception, not a chosen few.


def _derived_fast(step: DerivedStep, values: dict, gone: set) -> bool:
    """Compute the quantity into `values`; False when the evaluator must."""
    if step.needs_one_of and not any(name in values or name in gone for name in step.needs_one_of):
        return False  # an inventory with no line given: the evaluator names it missing
    try:
        values[step.item.id] = float(step.run(values, gone, None))
    except Exception:
        return False
    return True


def _judged_fast(step: IndicatorStep, values: dict, gone: set) -> Cells | None:
    try:
        return judge(step, values, gone)
    except Exception:
        return None


class ResultRows:
    """Results collected in flat lists (cheaper than writing numpy cells one by one), then one block."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.rows: list[int] = []
        self.status: list[int] = []
        self.value: list[object] = []
        self.gap: list[float | None] = []
        self.choice: list[int] = []
        self.missing: list[tuple[str, ...] | None] = []
        self.message: list[str | None] = []
        self.points: list[float | None] = []

    def add(self, row: int, cells: Cells) -> None:
        status, value, gap, choice, message, points = cells
        if not self.rows or self.rows[-1] != row:
            self.rows.append(row)
        self.status.append(STATUS[status])
        self.value.append(value)
        self.gap.append(gap)
        self.choice.append(choice)
        self.missing.append(None)
        self.message.append(message)
        self.points.append(points)

    def add_result(self, row: int, result: IndicatorResult, choice: int) -> None:
        gap = None if result.gap is None else result.gap.absolute
        self.add(row, (result.status, result.value, gap, choice, result.message, result.points))
        if result.status == "missing":
            self.missing[-1] = result.missing

    def block(self, plan: Plan, count: int) -> PackBlock:
        block = PackBlock.empty(plan, count)
        if not self.rows:
            return block
        rows = np.array(self.rows)
        shape = (len(rows), self.width)
        block.status[rows] = np.array(self.status, np.int8).reshape(shape)
        values = _objects(self.value, shape)
        numeric = np.array([isinstance(v, (int, float)) and not isinstance(v, bool) for v in self.value]).reshape(shape)
        block.number[rows] = np.where(numeric, values, np.nan).astype(np.float64)
        block.other[rows] = np.where(numeric, None, values)
        block.gap[rows] = np.array(self.gap, np.float64).reshape(shape)
        block.choice[rows] = np.array(self.choice, np.int16).reshape(shape)
        block.missing[rows] = _objects(self.missing, shape)
        block.message[rows] = _objects(self.message, shape)
        block.points[rows] = np.array(self.points, np.float64).reshape(shape)
        return block


def _objects(items: list, shape: tuple[int, int]) -> np.ndarray:
    """An object array of exactly these items (np.array would turn a list of tuples into a 2-d array)."""
    return np.fromiter(items, object, len(items)).reshape(shape)
