"""A checked formula over columns: the per-park evaluator's rules as arrays — stand-ins for what is unavailable,
branches read only on the rows that reach them, Python's own answers where numpy would round differently."""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable
from typing import Any

import numpy as np

from parkrules.formula import formula
from parkrules.run.columns import Col, Rows, as_objects, either, merge_values, truth
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
                self.unavailable = either(self.unavailable, adding)
        if part.stopped is not None:
            self.stopped = either(self.stopped, part.stopped if going is None else part.stopped & going)

    def fail(self, failed: np.ndarray | None) -> None:
        """The operation itself failed on these rows."""
        if failed is not None:
            going = self._open(None)
            self._failing(failed if going is None else failed & going)

    def _open(self, reached: np.ndarray | None) -> np.ndarray | None:
        """Rows still collecting (None: all of them)."""
        closed = either(self.error, self.stopped)
        if closed is None:
            return reached
        return ~closed if reached is None else reached & ~closed

    def _failing(self, failing: np.ndarray) -> None:
        if self.unavailable is None:
            self.error = either(self.error, failing)
        else:
            self.stopped = either(self.stopped, failing & self.unavailable)
            self.error = either(self.error, failing & ~self.unavailable)

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


class ColumnEvaluator:
    """Evaluates one checked formula tree over the rows."""

    def __init__(self, rows: Rows, zero_if_absent: frozenset[str], own: dict[str, Col] | None = None):
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
            value = merge_values(active, following.value, value)
        return path.col(value)

    def _IfExp(self, node: ast.IfExp) -> Col:  # noqa: N802
        test = self.run(node.test)
        path = self._path()
        path.then(test)
        chosen = truth(test.value)
        body, orelse = self.run(node.body), self.run(node.orelse)
        path.then(body, chosen)
        path.then(orelse, ~chosen)
        return path.col(merge_values(chosen, body.value, orelse.value))

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
_NODES: dict[type, Callable[[ColumnEvaluator, Any], Col]] = {
    getattr(ast, name[1:]): method
    for name, method in vars(ColumnEvaluator).items()
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
        return np.frompyfunc(_PYTHON_COMPARE[op], 2, 1)(as_objects(left), as_objects(right)).astype(bool), None
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
