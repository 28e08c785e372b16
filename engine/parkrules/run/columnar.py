"""The columnar path: a compiled plan evaluated over every park-year of a frame at once, with numpy.

It follows the per-park evaluator (`evaluate.py`) exactly, as arrays:
- every name is a column with, per row, its value, whether it is unavailable (missing), and
  the code of the set of absent inputs behind it (`leafsets.py`);
- an unavailable input takes the stand-in value 1.0 on its row while the formula goes on, as
  the per-park evaluator's second pass does, so the branches taken — and so the inputs named
  as missing — are the same;
- `a if c else b`, `and`, `or` and chained comparisons read a name only on the rows whose
  branch reaches it.

A row on which an evaluation error happens is decided here too, its message worded as the
evaluator words it (`column_outcome.py`). A quantity that reads its own earlier years (a running
stock) is worked out once per year of the frame, each pass making one more year right.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from parkrules.base.status import Status
from parkrules.formula import periods
from parkrules.io.frame import Frame
from parkrules.model.pack import Derived
from parkrules.model.plan import Plan
from parkrules.rules.results_block import STATUS, PackBlock, decide_rows
from parkrules.run.column_formula import ColumnEvaluator
from parkrules.run.column_indicators import decide_indicator
from parkrules.run.column_outcome import Outcome, as_floats
from parkrules.run.columns import Col, Rows
from parkrules.run.evaluate import YearValues
from parkrules.run.leafsets import LeafSets
from parkrules.run.lookup import not_a_number


@dataclass(frozen=True)
class ColumnarPlan:
    """A plan checked for the columnar path: derived quantities in an order that also respects other years, or,
    where some quantity reads its own earlier years, the plan's order repeated once per year of a frame."""

    plan: Plan
    order: tuple[int, ...]  # indexes into plan.derived
    recurrent: bool


def compile_columnar(plan: Plan) -> ColumnarPlan:
    names = {item.id: index for index, (item, _) in enumerate(plan.derived)}
    order: list[int] = []
    state: dict[str, str] = {}

    def visit(name: str) -> bool:
        """False where `name` reads itself in another year, through others or directly."""
        if state.get(name) == "done":
            return True
        if state.get(name) == "active":
            return False
        state[name] = "active"
        item = plan.derived[names[name]][0]
        for read in sorted({periods.split_period(n)[0] for n in item.formula.names} & names.keys()):
            if not visit(read):
                return False
        state[name] = "done"
        order.append(names[name])
        return True

    if all(visit(name) for name in names):
        return ColumnarPlan(plan, tuple(order), recurrent=False)
    # plan.derived is in order within a year (`plan.py`); another year is read from the previous pass
    return ColumnarPlan(plan, tuple(range(len(plan.derived))), recurrent=True)


def evaluate_frame(
    compiled: ColumnarPlan,
    frame: Frame,
    leafsets: LeafSets,
    base: int | None = None,
    bench: dict[int, YearValues] | None = None,
) -> PackBlock:
    """Every indicator of every row, evaluation errors worded as the evaluator words them."""
    plan = compiled.plan
    # numpy's warnings are off for the whole frame: the rows where Python would fail are found and worded
    with np.errstate(all="ignore"):
        rows = Rows(plan, frame, leafsets, base, bench)
        # each pass makes the quantities of one more year right: a year reads only earlier ones (a later one is an
        # error whatever its value), so after as many passes as the frame has years every row is right
        passes = len(np.unique(frame.year)) if compiled.recurrent else 1
        for _ in range(passes):
            for index in compiled.order:
                item, _ = plan.derived[index]
                rows.derived[item.id] = _derive(item, rows)
        block = PackBlock.empty(plan, len(frame))
        for column, indicator in enumerate(plan.indicators):
            decide_indicator(indicator, column, rows, block)
    return block


def _derive(item: Derived, rows: Rows) -> Col:
    """A derived quantity's column: its value, or missing its inputs, or failed (with the evaluator's message), on
    each row — what `evaluate.derive` stores in a year's state."""
    count = rows.count
    if rows.of_table_factors(item):  # the same on every row: worked out on one, then spread
        one = _derive(item, rows.one_row)
        if one.failed is None:
            return _spread(one, count)
    text = item.formula.text
    out = ColumnEvaluator(rows, item.zero_if_absent).run(item.formula.tree)
    none_given = _none_given(item, rows)
    plain = none_given is None and out.error is None and out.unavailable is None and out.value.dtype == np.float64
    if plain and np.isfinite(out.value).all():  # the common case, a number on every row: no per-row bookkeeping
        return Col(out.value)
    outcome = Outcome(out, text)
    if none_given is not None:  # every input absent: missing all of them, the formula is not run
        code = rows.leafsets.code(frozenset(("r", name, 0) for name in item.zero_if_absent))
        outcome.missing_all(none_given, code)
    value, failed = as_floats(outcome.value, outcome.decided)
    outcome.fail(failed, not_a_number(text))
    return outcome.as_read(item.id, value)


def _none_given(item: Derived, rows: Rows) -> np.ndarray | None:
    """The rows where an inventory has not one line given (and is not declared zero then); None where there are none."""
    if not item.zero_if_absent or item.zero_when_all_absent:
        return None
    given = np.zeros(rows.count, bool)
    for name in item.zero_if_absent:
        given |= rows.present(name)
    return None if given.all() else ~given


def _spread(one: Col, count: int) -> Col:
    """A one-row column on every row."""
    value = np.broadcast_to(one.value, count)  # read-only, as shared constants are
    if one.unavailable is None:
        return Col(value)
    assert one.leaves is not None
    return Col(value, np.repeat(one.unavailable, count), np.repeat(one.leaves, count))


def finish(block: PackBlock, leafsets: LeafSets, years: np.ndarray) -> None:
    """Name the absent inputs of the missing cells (once per distinct set and year), then decide verdicts."""
    rows, columns = np.nonzero(block.status == STATUS[Status.MISSING])
    if len(rows):
        block.missing[rows, columns] = leafsets.names(block.leaves[rows, columns], years[rows])
    decide_rows(block)
