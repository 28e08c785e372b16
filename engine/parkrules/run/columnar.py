"""The columnar path: a compiled plan evaluated over every park-year of a frame at once, with numpy.

It follows the per-park evaluator (`evaluate.py`) exactly, as arrays:
- every name is a column with, per row, its value, whether it is unavailable (missing), and
  the code of the set of absent inputs behind it (`leafsets.py`);
- an unavailable input takes the stand-in value 1.0 on its row while the formula goes on, as
  the per-park evaluator's second pass does, so the branches taken — and so the inputs named
  as missing — are the same;
- `a if c else b`, `and`, `or` and chained comparisons read a name only on the rows whose
  branch reaches it.

A row on which any evaluation error happens (division by zero, a failed upstream quantity,
a period reference to a later year) is *not* decided here: it is flagged, and the batch
runner hands that park to the per-park path, whose messages are the reference. Errors are
rare in real data, so this keeps the fast path simple and the results identical.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from parkrules.base import operators
from parkrules.base.status import Status
from parkrules.formula import formula
from parkrules.io import units
from parkrules.io.frame import Frame
from parkrules.model.pack import Indicator
from parkrules.model.plan import CLASS_VALUE, Plan
from parkrules.rules import compare
from parkrules.rules.results_block import STATUS, PackBlock, decide_rows, tier_choice
from parkrules.run.evaluate import NO_BENCHMARK, YearValues, in_year
from parkrules.run.leafsets import LeafSets

_ARITHMETIC = {
    ast.Add: np.add,
    ast.Sub: np.subtract,
    ast.Mult: np.multiply,
    ast.Div: np.true_divide,
    ast.Mod: np.remainder,
}
_COMPARE = {
    ast.Eq: np.equal,
    ast.NotEq: np.not_equal,
    ast.Lt: np.less,
    ast.LtE: np.less_equal,
    ast.Gt: np.greater,
    ast.GtE: np.greater_equal,
}


class NotColumnar(Exception):  # noqa: N818 - a signal: this plan runs on the per-park path only
    """A plan the columnar path does not take (a quantity that reads its own earlier years)."""


@dataclass
class Col:
    """One name or sub-formula over the rows: value (1.0 where unavailable), and per-row flags."""

    value: np.ndarray
    unavailable: np.ndarray | None = None  # bool; None: available on every row
    leaves: np.ndarray | None = None  # leaf-set codes of the unavailable rows
    error: np.ndarray | None = None  # bool: an evaluation error before anything was unavailable (→ per-park path)
    stopped: np.ndarray | None = None  # bool: an evaluation error after something was unavailable: the row is
    # missing what was found unavailable so far (the per-park evaluator stops looking there)


def _either(first: np.ndarray | None, second: np.ndarray | None) -> np.ndarray | None:
    if first is None:
        return second
    if second is None:
        return first
    return first | second


def _where(mask: np.ndarray, first: np.ndarray | None, second: np.ndarray | None, fill) -> np.ndarray | None:
    if first is None and second is None:
        return None
    count = len(mask)
    first = np.full(count, fill) if first is None else first
    second = np.full(count, fill) if second is None else second
    return np.where(mask, first, second)


def truth(value: np.ndarray) -> np.ndarray:
    """Python's truth of each value."""
    if value.dtype == bool:
        return value
    if value.dtype == object:
        return np.frompyfunc(bool, 1, 1)(value).astype(bool)
    return value != 0


def _merge_values(mask: np.ndarray, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """`first` where mask else `second`, keeping Python's types when the two differ (True is not 1.0)."""
    if first.dtype != second.dtype and {first.dtype.kind, second.dtype.kind} & {"b", "O"}:
        first, second = _objects(first), _objects(second)
    return np.where(mask, first, second)


def _stand_in(values: np.ndarray) -> object:
    """The per-park evaluator's stand-in 1.0 for an unavailable name; True for a yes/no column,
    which behaves as 1.0 in every operation and keeps the column's type."""
    return True if values.dtype == bool else 1.0


def _objects(value: np.ndarray) -> np.ndarray:
    return value if value.dtype == object else value.astype(object)


class _Rows:
    """What a frame gives one plan: facts, factors per row, derived columns as computed, the row lookup."""

    def __init__(self, plan: Plan, frame: Frame, leafsets: LeafSets, base: int | None, bench: dict | None):
        self.plan = plan
        self.frame = frame
        self.count = len(frame)
        self.leafsets = leafsets
        self.base = base
        self.bench = bench  # year → YearValues of the benchmark park, or None when there is none
        self.derived: dict[str, Col] = {}
        self.flagged = np.zeros(self.count, bool)  # rows for the per-park path
        self._row_cache: dict[tuple[str, int], np.ndarray] = {}
        self._facts: dict[tuple[str, bool], Col] = {}
        self._constants: dict[tuple[type, object], np.ndarray] = {}
        self._factors: dict[str, Col] = {}  # built as read: a pack may use a hundred factors and read a few

    def of_table_factors(self, item) -> bool:
        """Whether a derived quantity reads only factors (`Plan.of_factors`), none of them overridden by a park of the
        frame: then it is the same on every row."""
        if self.count <= 1 or item.id not in self.plan.of_factors:
            return False
        bases = {formula.split_period(name)[0] for name in item.formula.names}
        return not any(bases & overrides.keys() for overrides in self.frame.overrides.values())

    @cached_property
    def one_row(self) -> _Rows:
        """The frame's first row alone, with no park's overrides: where quantities of table factors are worked out."""
        first = Frame(park=self.frame.park[:1], year=self.frame.year[:1], facts={})
        return _Rows(self.plan, first, self.leafsets, self.base, self.bench)

    def constant(self, value: object) -> np.ndarray:
        """The value on every row: one read-only array per frame, shared by every formula that writes it."""
        key = (type(value), value)  # True == 1 == 1.0, but their columns differ
        column = self._constants.get(key)
        if column is None:
            column = np.full(self.count, value, dtype=object if isinstance(value, str) else None)
            column.flags.writeable = False
            self._constants[key] = column
        return column

    def factor(self, factor_id: str) -> Col | None:
        """A factor's column (its table value, or a park's override on that park's rows); None for a non-factor."""
        column = self._factors.get(factor_id)
        if column is None and factor_id in self.plan.factors:
            column = self._factors[factor_id] = self._factor_column(factor_id)
        return column

    def _factor_column(self, factor_id: str) -> Col:
        slot = self.plan.factors[factor_id]
        overriding = [
            (park_id, overrides[factor_id])
            for park_id, overrides in self.frame.overrides.items()
            if overrides.get(factor_id) is not None
        ]
        if not overriding and slot.value is not None:  # the common case: the table's value on every row
            return Col(self.constant(float(slot.value)))
        values = np.full(self.count, np.nan if slot.value is None else slot.value)
        given = np.full(self.count, slot.value is not None)
        for park_id, override in overriding:
            rows = self.frame.park == park_id
            values[rows] = units.convert(override.value, override.unit, slot.unit)
            given[rows] = True
        leaf = self.leafsets.code(frozenset({("r", f"factor:{factor_id}", 0)}))
        unavailable = None if given.all() else ~given
        leaves = None if unavailable is None else np.where(unavailable, leaf, 0).astype(np.int32)
        return Col(np.where(given, values, 1.0), unavailable, leaves)

    def rows(self, kind: str, amount: int) -> np.ndarray:
        """Rows `amount` years back (kind "r") or in year `amount` (kind "a"), -1 where absent."""
        key = (kind, amount)
        if key not in self._row_cache:
            years = self.frame.year + amount if kind == "r" else np.full(self.count, amount, np.int64)
            self._row_cache[key] = self.frame.rows_in_year(years)
        return self._row_cache[key]

    def current(self, name: str, zero_if_absent: frozenset[str]) -> Col:
        """A name in the row's own year."""
        if name in self.derived:
            return self.derived[name]
        factor = self.factor(name)
        if factor is not None:
            return factor
        key = (name, name in zero_if_absent)
        col = self._facts.get(key)
        if col is None:  # a fact is read by many formulas: its column is made once per frame
            col = self._facts[key] = self._fact(name, key[1])
        return col

    def _fact(self, name: str, zero_if_absent: bool) -> Col:
        column = self.frame.facts.get(name)
        if column is None and zero_if_absent:  # given on no row of the frame
            return Col(self.constant(0.0))
        if column is None:
            present = np.zeros(self.count, bool)
            values = np.ones(self.count)
        else:
            present, values = column.present, column.values
        if present.all() or zero_if_absent:  # absent cells already hold the kind's zero (FactColumn)
            return Col(values)
        stand_in = np.where(present, values, _stand_in(values))
        leaf = self.leafsets.code(frozenset({("r", name, 0)}))
        leaves = np.where(present, 0, leaf).astype(np.int32)
        leaves.flags.writeable = False  # kept for the frame and taken as they are by formulas (_Path.then)
        return Col(stand_in, ~present, leaves)

    def present(self, name: str) -> np.ndarray:
        """`has(x)`: the name has a value in the row's own year."""
        col = self.derived.get(name) or self.factor(name)
        if col is not None:
            return np.ones(self.count, bool) if col.unavailable is None else ~col.unavailable
        column = self.frame.facts.get(name)
        return np.zeros(self.count, bool) if column is None else column.present.copy()

    def other_year(self, name: str, zero_if_absent: frozenset[str]) -> Col:
        base, relative, absolute = formula.split_period(name)
        special = formula.special_reference(name)
        if special == "has":
            return Col(self.present(base))
        if special == "bench":
            return self._benchmark(base, zero_if_absent)
        year = self.frame.year
        if special == "base":
            kind, amount = ("a", self.base) if self.base is not None else ("r", -1)
        elif absolute is not None:
            kind, amount = "a", absolute
        else:
            kind, amount = "r", relative
        target = year + amount if kind == "r" else np.full(self.count, amount, np.int64)
        later = (target > year) | ((target == year) if special == "base" else False)
        col = self._gather(
            self.current(base, zero_if_absent), self.rows(kind, amount), target - year, base, kind, amount
        )
        if np.any(later):
            col.error = _either(col.error, later)
        return col

    def _gather(self, col: Col, rows: np.ndarray, offsets: np.ndarray, base: str, kind: str, amount: int) -> Col:
        """A column as another row has it; a park without that year misses `base@year`."""
        absent = rows < 0
        at = np.where(absent, 0, rows)
        # a row read from a row the per-park path must decide is decided there too: the value read may be an
        # error's stand-in (the evaluator would say "depends on what could not be computed … (in 2016)")
        self.flagged |= self.flagged[at] & ~absent
        value = col.value[at]
        unavailable = absent.copy() if col.unavailable is None else col.unavailable[at] | absent
        leaves = np.zeros(self.count, np.int32) if col.leaves is None else self.leafsets.shift(col.leaves[at], offsets)
        if absent.any():
            leaf = ("r", base, amount) if kind == "r" else ("a", base, amount)
            leaves = np.where(absent, self.leafsets.code(frozenset({leaf})), leaves).astype(np.int32)
            value = np.where(absent, _stand_in(value), value)
        return Col(value, unavailable if unavailable.any() else None, leaves if unavailable.any() else None)

    def _benchmark(self, base: str, zero_if_absent: frozenset[str]) -> Col:
        count = self.count
        if self.bench is None:
            leaf = self.leafsets.code(frozenset({("l", NO_BENCHMARK)}))
            return Col(np.ones(count), np.ones(count, bool), np.full(count, leaf, np.int32))
        values = np.ones(count)
        unavailable = np.zeros(count, bool)
        leaves = np.zeros(count, np.int32)
        for year in np.unique(self.frame.year):
            rows = self.frame.year == year
            state: YearValues | None = self.bench.get(int(year))
            if state is None:
                leaf = frozenset({("l", f"benchmark:{base}@{year}")})
                unavailable[rows], leaves[rows] = True, self.leafsets.code(leaf)
            elif base in state.values:
                values[rows] = state.values[base]
            elif base in zero_if_absent and base not in state.missing and base not in state.errors:
                values[rows] = 0.0
            elif base in state.errors:
                self.flagged |= rows  # the benchmark's quantity failed: the per-park path words it
            else:
                named = state.missing.get(base, frozenset({base}))
                leaf = frozenset(("l", in_year(f"benchmark:{name}", int(year))) for name in named)
                unavailable[rows], leaves[rows] = True, self.leafsets.code(leaf)
        return Col(values, unavailable, leaves)


class _Path:
    """What evaluating parts in order does to each row: Python's order, as the per-park evaluator sees it.

    An unavailable name is collected and the stand-in used; an error with nothing collected yet
    is the row's error; an error after something was collected stops the row (it is missing
    what was collected), and a stopped or errored row collects nothing more. Masks stay None
    while no row has anything to record: most parts of most formulas on most rows have nothing,
    and skipping their array passes is most of the columnar path's speed.
    """

    def __init__(self, leafsets: LeafSets, count: int) -> None:
        self.leafsets = leafsets
        self.count = count
        self.unavailable: np.ndarray | None = None
        self.leaves: np.ndarray | None = None
        self.error: np.ndarray | None = None
        self.stopped: np.ndarray | None = None

    def then(self, part: Col, reached: np.ndarray | None = None) -> None:
        """`part` was evaluated on the `reached` rows (all when None)."""
        if part.error is None and part.unavailable is None and part.stopped is None:
            return
        going = self._open(reached)
        if part.error is not None:
            self._failing(part.error if going is None else part.error & going)
        if part.unavailable is not None:
            adding = part.unavailable if going is None else part.unavailable & going
            if adding.any():
                if self.leaves is None and going is None:  # nothing collected yet, every row open: the part's
                    self.leaves = part.leaves  # leaves as they are (0 wherever it is available)
                elif self.leaves is None:
                    self.leaves = np.where(adding, part.leaves, 0).astype(np.int32, copy=False)
                else:
                    self.leaves = self.leafsets.union(self.leaves, part.leaves, where=adding)
                self.unavailable = _either(self.unavailable, adding)
        if part.stopped is not None:
            self.stopped = _either(self.stopped, part.stopped if going is None else part.stopped & going)

    def fail(self, failed: np.ndarray | None) -> None:
        """The operation itself failed on these rows."""
        if failed is not None:
            going = self._open(None)
            self._failing(failed if going is None else failed & going)

    def _open(self, reached: np.ndarray | None) -> np.ndarray | None:
        """Rows still collecting (None: all of them)."""
        closed = _either(self.error, self.stopped)
        if closed is None:
            return reached
        return ~closed if reached is None else reached & ~closed

    def _failing(self, failing: np.ndarray) -> None:
        if self.unavailable is None:
            self.error = _either(self.error, failing)
        else:
            self.stopped = _either(self.stopped, failing & self.unavailable)
            self.error = _either(self.error, failing & ~self.unavailable)

    def col(self, value: np.ndarray) -> Col:
        unavailable = _any_or_none(self.unavailable)
        return Col(
            value,
            unavailable,
            None if unavailable is None else self.leaves,
            _any_or_none(self.error),
            _any_or_none(self.stopped),
        )


def _any_or_none(mask: np.ndarray | None) -> np.ndarray | None:
    return mask if mask is not None and mask.any() else None


class _Evaluator:
    """Evaluates one checked formula tree over the rows."""

    def __init__(self, rows: _Rows, zero_if_absent: frozenset[str], own: dict[str, Col] | None = None):
        self.rows = rows
        self.zero_if_absent = zero_if_absent
        self.own = own or {}

    def run(self, node: ast.expr) -> Col:
        return _NODES[type(node)](self, node)

    def _path(self) -> _Path:
        return _Path(self.rows.leafsets, self.rows.count)

    def _Constant(self, node: ast.Constant) -> Col:  # noqa: N802 - named after the ast node
        return Col(self.rows.constant(node.value))

    def _Name(self, node: ast.Name) -> Col:  # noqa: N802
        name = node.id
        if name in self.own:
            return self.own[name]
        if formula.PERIOD_MARK in name:
            return self.rows.other_year(name, self.zero_if_absent)
        return self.rows.current(name, self.zero_if_absent)

    def _BinOp(self, node: ast.BinOp) -> Col:  # noqa: N802
        left, right = self.run(node.left), self.run(node.right)
        path = self._path()
        path.then(left)
        path.then(right)
        count = self.rows.count
        failed = None
        try:
            if isinstance(node.op, ast.Pow):
                value, failed = _power(left.value, right.value)
            else:
                if left.value.dtype == object or right.value.dtype == object:
                    raise TypeError("arithmetic on text")
                value = _ARITHMETIC[type(node.op)](left.value, right.value)
                if isinstance(node.op, (ast.Div, ast.Mod)):
                    failed = right.value == 0
        except (TypeError, ValueError, OverflowError, ZeroDivisionError):
            value, failed = np.ones(count), np.ones(count, bool)
        if value.dtype.kind in "iub" and isinstance(node.op, ast.Div):
            value = value.astype(np.float64)
        path.fail(failed)
        return path.col(value)

    def _UnaryOp(self, node: ast.UnaryOp) -> Col:  # noqa: N802
        operand = self.run(node.operand)
        path = self._path()
        path.then(operand)
        if isinstance(node.op, ast.Not):
            value = ~truth(operand.value)
        elif operand.value.dtype == object:
            value = np.ones(self.rows.count)
            path.fail(np.ones(self.rows.count, bool))
        else:
            value = -operand.value if isinstance(node.op, ast.USub) else +operand.value
            if value.dtype == bool:
                value = value.astype(np.int64)
        return path.col(value)

    def _Compare(self, node: ast.Compare) -> Col:  # noqa: N802
        count = self.rows.count
        path = self._path()
        left = self.run(node.left)
        path.then(left)
        if len(node.ops) == 1:  # the common case: no chain, so no rows to carry from one link to the next
            right = self.run(node.comparators[0])
            path.then(right)
            holds, failed = _compared(type(node.ops[0]), left.value, right.value)
            path.fail(failed)
            return path.col(holds)
        result = np.ones(count, bool)
        active = np.ones(count, bool)
        for op, comparator in zip(node.ops, node.comparators, strict=False):
            right = self.run(comparator)
            path.then(right, active)
            holds, failed = _compared(type(op), left.value, right.value)
            if failed is not None:
                path.fail(failed & active)
            result = result & np.where(active, holds, True)
            active = active & holds
            left = right
        return path.col(result)

    def _BoolOp(self, node: ast.BoolOp) -> Col:  # noqa: N802
        is_and = isinstance(node.op, ast.And)
        path = self._path()
        first = self.run(node.values[0])
        path.then(first)
        active = np.ones(self.rows.count, bool)
        value = first.value
        for part in node.values[1:]:
            settles = ~truth(value) if is_and else truth(value)
            active = active & ~settles
            following = self.run(part)
            path.then(following, active)
            value = _merge_values(active, following.value, value)
        return path.col(value)

    def _IfExp(self, node: ast.IfExp) -> Col:  # noqa: N802
        test = self.run(node.test)
        path = self._path()
        path.then(test)
        chosen = truth(test.value)
        body, orelse = self.run(node.body), self.run(node.orelse)
        path.then(body, chosen)
        path.then(orelse, ~chosen)
        return path.col(_merge_values(chosen, body.value, orelse.value))

    def _Call(self, node: ast.Call) -> Col:  # noqa: N802
        args = [self.run(arg) for arg in node.args]
        count = self.rows.count
        path = self._path()
        for arg in args:
            path.then(arg)
        try:
            value = _call(node.func.id, [arg.value for arg in args], count)
        except (TypeError, ValueError, OverflowError, ZeroDivisionError, formula.FormulaError):
            value = np.ones(count)
            path.fail(np.ones(count, bool))
        return path.col(value)


# node type → its method: looked up once per node, where building the method's name cost as much as some nodes
_NODES: dict[type, Callable[[_Evaluator, Any], Col]] = {
    getattr(ast, name[1:]): method
    for name, method in vars(_Evaluator).items()
    if name[1:2].isupper() and hasattr(ast, name[1:])
}


def _power(base: np.ndarray, exponent: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`**` as formula._checked_pow and Python floats do it; rows Python would refuse are flagged."""
    if base.dtype == object or exponent.dtype == object:
        raise TypeError("power of text")
    base, exponent = base.astype(np.float64), exponent.astype(np.float64)
    # Python's own pow, row by row: numpy's vectorised power differs from it in the last digits
    value = np.frompyfunc(_python_power, 2, 1)(base, exponent).astype(np.float64)
    # Python refuses: an exponent over the bound, 0 to a negative power (inf here), a complex result (nan here)
    failed = (np.abs(exponent) > formula.MAX_EXPONENT) | (~np.isfinite(value) & np.isfinite(base))
    return value, failed


def _python_power(base: float, exponent: float) -> float:
    try:
        result = base**exponent
    except (OverflowError, ZeroDivisionError):
        return math.inf
    return result if isinstance(result, float) else math.nan  # a complex result: flagged by the caller


_PYTHON_COMPARE = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}


def _compared(op: type, left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """A comparison; with text on either side, Python's own (unequal to a number, ordering it an error)."""
    if left.dtype != object and right.dtype != object:
        return _COMPARE[op](left, right), None
    try:
        return np.frompyfunc(_PYTHON_COMPARE[op], 2, 1)(_objects(left), _objects(right)).astype(bool), None
    except TypeError:
        return np.zeros(len(left), bool), np.ones(len(left), bool)


def _call(name: str, values: list[np.ndarray], count: int) -> np.ndarray:
    """An allow-listed function over rows; exact Python results where numpy would round differently.
    Raises as Python would (the caller flags the rows)."""
    numeric = values and all(v.dtype == np.float64 for v in values)
    if name in ("min", "max") and numeric:
        return (np.minimum if name == "min" else np.maximum).reduce(values)
    if name == "abs" and len(values) == 1 and numeric:
        return np.abs(values[0])
    if name == "safe_div" and len(values) == 3 and numeric:
        numerator, denominator, fallback = values
        return np.where(denominator == 0, fallback, numerator / np.where(denominator == 0, 1.0, denominator))
    function = formula.FUNCTIONS[name]  # sum is math.fsum, round is Python's: row by row, for exactness
    if not values:
        return np.full(count, function())
    results = np.asarray(np.frompyfunc(function, len(values), 1)(*values), dtype=object)
    return results.astype(np.float64) if all(isinstance(r, float) for r in results) else results


@dataclass(frozen=True)
class ColumnarPlan:
    """A plan checked for the columnar path: derived quantities in an order that also respects other years."""

    plan: Plan
    order: tuple[int, ...]  # indexes into plan.derived


def compile_columnar(plan: Plan) -> ColumnarPlan:
    """Raises NotColumnar for a plan whose quantities read their own earlier years (per-park path only)."""
    names = {item.id: index for index, (item, _) in enumerate(plan.derived)}
    order: list[int] = []
    state: dict[str, str] = {}

    def visit(name: str) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "active":
            raise NotColumnar(f"{name} reads its own value in another year")
        state[name] = "active"
        item = plan.derived[names[name]][0]
        for read in sorted({formula.split_period(n)[0] for n in item.formula.names} & names.keys()):
            visit(read)
        state[name] = "done"
        order.append(names[name])

    for name in names:
        visit(name)
    return ColumnarPlan(plan, tuple(order))


def evaluate_frame(
    compiled: ColumnarPlan,
    frame: Frame,
    leafsets: LeafSets,
    base: int | None = None,
    bench: dict[int, YearValues] | None = None,
) -> tuple[PackBlock, np.ndarray]:
    """Every indicator of every row; and the rows the per-park path must decide (an error on their path)."""
    plan = compiled.plan
    # numpy's warnings are off for the whole frame: rows where Python would fail are flagged, not warned about
    with np.errstate(all="ignore"):
        rows = _Rows(plan, frame, leafsets, base, bench)
        for index in compiled.order:
            item, _ = plan.derived[index]
            rows.derived[item.id] = _derive(item, rows)
        block = PackBlock.empty(plan, len(frame))
        for column, indicator in enumerate(plan.indicators):
            _indicator(indicator, column, rows, block)
    return block, rows.flagged


def _derive(item, rows: _Rows) -> Col:
    """A derived quantity's column; rows where it fails go to the per-park path, which words the error."""
    count = rows.count
    if rows.of_table_factors(item):  # the same on every row: worked out on one, then spread
        one = _derive(item, rows.one_row)
        if one.error is None and not rows.one_row.flagged.any():
            return _spread(one, count)
    out = _Evaluator(rows, item.zero_if_absent).run(item.formula.tree)
    unavailable = np.zeros(count, bool) if out.unavailable is None else out.unavailable
    leaves = np.zeros(count, np.int32) if out.leaves is None else out.leaves
    failed = np.zeros(count, bool) if out.error is None else out.error
    value = out.value
    if value.dtype == object:
        numeric = np.frompyfunc(lambda v: isinstance(v, (int, float)), 1, 1)(value).astype(bool)
        failed |= ~numeric & ~unavailable
        value = np.where(numeric, value, 1.0)
    if item.zero_if_absent and not item.zero_when_all_absent:
        given = np.zeros(count, bool)
        for name in item.zero_if_absent:
            given |= rows.present(name)
        none = ~given
        if none.any():  # every input absent: missing all of them, the formula is not run
            code = rows.leafsets.code(frozenset(("r", name, 0) for name in item.zero_if_absent))
            unavailable, leaves, failed = unavailable | none, np.where(none, code, leaves), failed & given
    value = np.where(unavailable, 1.0, value.astype(np.float64))
    rows.flagged |= failed | ~np.isfinite(value)  # an overflow is an error, which the per-park path words
    if not unavailable.any():
        return Col(value)
    return Col(value, unavailable, leaves.astype(np.int32))


def _spread(one: Col, count: int) -> Col:
    """A one-row column on every row."""
    value = np.broadcast_to(one.value, count)  # read-only, as shared constants are
    if one.unavailable is None:
        return Col(value)
    return Col(value, np.repeat(one.unavailable, count), np.repeat(one.leaves, count))


def _indicator(indicator: Indicator, column: int, rows: _Rows, block: PackBlock) -> None:
    count = rows.count
    open_rows = np.ones(count, bool)  # rows whose status is not settled yet
    note = None  # per row: an exclusion the indicator ignores (None: no row has one)
    justification = rows.frame.exclusions.get(indicator.id)
    if justification is not None:
        excluded = np.array([j is not None for j in justification], bool)
        if indicator.excludable:
            block.status[:, column][excluded] = STATUS[Status.NOT_APPLICABLE]
            block.message[:, column][excluded] = [f"excluded by the park: {j}" for j in justification[excluded]]
            open_rows &= ~excluded
        else:
            note = np.full(count, None, object)
            note[excluded] = f"exclusion ignored: a {indicator.role} indicator cannot be excluded"
    outcome = _Evaluator(rows, frozenset()).run(indicator.formula.tree)
    if outcome.error is not None:
        rows.flagged |= outcome.error & open_rows
    if outcome.unavailable is not None:
        missing = outcome.unavailable & open_rows
        _settle_missing(block, column, missing, outcome.leaves, note)
        open_rows &= ~outcome.unavailable
    value = _as_numbers(outcome.value)
    if value.dtype == np.float64:
        rows.flagged |= ~np.isfinite(value) & open_rows  # an overflow is an error, which the per-park path words
    if value.dtype == np.float64 and indicator.decimals is not None:
        value = rounded(value, indicator.decimals)
    elif value.dtype.kind in "iu":
        value = value.astype(np.float64)
    if indicator.classes:
        _classify(indicator, column, rows, block, value, open_rows, note)
    else:
        _threshold(indicator, column, rows, block, value, open_rows, note)


def rounded(values: np.ndarray, decimals: int) -> np.ndarray:
    """compare.rounded (half to even, on the value as Python prints it) over an array, the same to the bit.

    Scaled by 10**decimals, a value whose fraction is clearly not a half rounds to the nearest whole number,
    and that over the (exact) power of ten is the float nearest the rounded decimal, which is what
    compare.rounded gives; the scaled float is within 1e-6 of the printed value's scaling below 1e9. Ties,
    near-ties, large, non-finite values and other decimals go through compare.rounded itself: it was a third
    of the time of a pack with rounded indicators, row by row."""
    if not 0 <= decimals <= 15:
        return np.frompyfunc(lambda v: compare.rounded(v, decimals), 1, 1)(values).astype(np.float64)
    scale = 10.0**decimals
    with np.errstate(all="ignore"):  # inf and nan are among the unsure, settled below
        scaled = values * scale
        out = np.rint(scaled) / scale
        unsure = ~(np.abs(scaled) < 1e9) | (np.abs(np.abs(scaled - np.trunc(scaled)) - 0.5) < 1e-5)
    if unsure.any():
        out[unsure] = [compare.rounded(v, decimals) for v in values[unsure].tolist()]
    return out


def _settle_missing(block: PackBlock, column: int, rows_: np.ndarray, leaves: np.ndarray | None, note) -> None:
    if not rows_.any():
        return
    block.status[:, column][rows_] = STATUS[Status.MISSING]
    np.copyto(block.leaves[:, column], 0 if leaves is None else leaves, where=rows_)
    _noted(block, column, rows_, note)


def _holds(when, rows: _Rows, block: PackBlock, column: int, open_rows, note, own=None) -> np.ndarray:
    """The open rows where a tier's or class's condition holds; rows where it is missing are settled as
    missing and closed (`open_rows` is updated in place), rows where it fails go to the per-park path."""
    condition = _Evaluator(rows, frozenset(), own).run(when.tree)
    if condition.error is not None:
        rows.flagged |= condition.error
        open_rows &= ~condition.error
    if condition.unavailable is not None:
        _settle_missing(block, column, condition.unavailable & open_rows, condition.leaves, note)
        open_rows &= ~condition.unavailable
    return truth(condition.value) & open_rows


def _classify(indicator, column, rows: _Rows, block: PackBlock, value, open_rows, note) -> None:
    own = {CLASS_VALUE: Col(value)}
    for index, entry in enumerate(indicator.classes):
        if not open_rows.any():
            return
        holds = _holds(entry.when, rows, block, column, open_rows, note, own)
        _settle_value(block, column, holds, value)
        block.status[:, column][holds] = STATUS[Status.CLASSIFIED]
        block.choice[:, column][holds] = index
        _noted(block, column, holds, note)
        open_rows &= ~holds
    reason = indicator.otherwise.en if indicator.otherwise else "no class applies"
    _not_applicable(block, column, open_rows, value, note, reason)


def _threshold(indicator, column, rows: _Rows, block: PackBlock, value, open_rows, note) -> None:
    for index, threshold in enumerate(indicator.thresholds):
        if not open_rows.any():
            return
        holds = (
            open_rows.copy() if threshold.when is None else _holds(threshold.when, rows, block, column, open_rows, note)
        )
        if holds.any():
            _decide(indicator, index, threshold, column, rows, block, value, holds, note)
        open_rows &= ~holds
    reason = indicator.otherwise.en if indicator.otherwise else "no threshold tier applies"
    _not_applicable(block, column, open_rows, value, note, reason)


def _decide(indicator, index, threshold, column, rows: _Rows, block: PackBlock, value, holds, note) -> None:
    """Pass or fail against the tier that applies, with the signed gap (compare.py, as arrays)."""
    limit = threshold.value
    _settle_value(block, column, holds, value)
    block.choice[:, column][holds] = tier_choice(indicator.thresholds, threshold)
    _noted(block, column, holds, note)
    if value.dtype == object:
        rows.flagged |= holds  # mixed results (a number on some rows, true/false on others): per-park path
        return
    row = operators.of(threshold.operator)
    if isinstance(limit, (bool, str)) or value.dtype == np.bool_:
        if row.ordered:
            rows.flagged |= holds  # "operator needs numbers": the per-park path words the error
            return
        passed = np.asarray(value == limit, bool) if not isinstance(limit, str) else np.zeros(len(value), bool)
    else:
        passed = row.holds(value, limit)
        if row.ordered:
            np.copyto(block.gap[:, column], row.shortfall(value, limit), where=holds)
    np.copyto(block.status[:, column], np.where(passed, STATUS[Status.PASS], STATUS[Status.FAIL]), where=holds)
    if indicator.score is not None:
        np.copyto(block.points[:, column], _points(indicator, value, passed, row.better), where=holds)


def _points(indicator: Indicator, value: np.ndarray, passed: np.ndarray, better: operators.Better | None) -> np.ndarray:
    """score.points_for as arrays."""
    spec = indicator.score
    if spec.method == "pass_fail" or value.dtype != np.float64:
        return np.where(passed, spec.points, 0.0)
    if spec.method == "linear":
        share = (value - spec.baseline) / (spec.leading - spec.baseline)
    else:
        inverted = np.where(value <= 0, 1.0, spec.leading / np.where(value == 0, 1.0, value))
        share = inverted if better == "lower" else value / spec.leading
    return spec.points * np.minimum(1.0, np.maximum(0.0, share))


def _settle_value(block: PackBlock, column: int, rows_: np.ndarray, value: np.ndarray) -> None:
    """A value as the per-park path stores it (`rowwise.ResultRows`): a number (an int too, as `safe_div`'s literal
    fallback gives) as a float, anything else (true/false, a category) as it is."""
    if value.dtype == np.float64:
        np.copyto(block.number[:, column], value, where=rows_)
        return
    if value.dtype.kind in "iu":
        np.copyto(block.number[:, column], value.astype(np.float64), where=rows_)
        return
    if value.dtype != object:  # true/false: as it is (looked at one by one, a gate's column cost a tenth of the path)
        block.other[:, column][rows_] = value[rows_].astype(object)
        return
    objects = value
    numeric = np.frompyfunc(_is_number, 1, 1)(objects).astype(bool)
    np.copyto(block.number[:, column], np.where(numeric, objects, np.nan).astype(np.float64), where=rows_ & numeric)
    block.other[:, column][rows_ & ~numeric] = objects[rows_ & ~numeric]


def _as_numbers(value: np.ndarray) -> np.ndarray:
    """Values that are all numbers as floats (a function giving an int on some rows, as `safe_div`'s literal fallback
    or `round` do, makes an object column): rounded, compared and stored as the per-park path does with them."""
    if value.dtype == object and np.frompyfunc(_is_number, 1, 1)(value).astype(bool).all():
        return value.astype(np.float64)
    return value


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _not_applicable(block: PackBlock, column: int, rows_: np.ndarray, value, note, reason: str) -> None:
    if not rows_.any():
        return
    _settle_value(block, column, rows_, value)
    block.status[:, column][rows_] = STATUS[Status.NOT_APPLICABLE]
    if note is None:
        block.message[:, column][rows_] = reason
    else:
        block.message[:, column][rows_] = [f"{n}; {reason}" if n else reason for n in note[rows_]]


def _noted(block: PackBlock, column: int, rows_: np.ndarray, note: np.ndarray | None) -> None:
    """The rows' notes as their message (an unset message is already None)."""
    if note is not None:
        block.message[:, column][rows_] = note[rows_]


def finish(block: PackBlock, leafsets: LeafSets, years: np.ndarray) -> None:
    """Name the absent inputs of the missing cells (once per distinct set and year), then decide verdicts."""
    rows, columns = np.nonzero(block.status == STATUS[Status.MISSING])
    if len(rows):
        block.missing[rows, columns] = leafsets.names(block.leaves[rows, columns], years[rows])
    decide_rows(block)
