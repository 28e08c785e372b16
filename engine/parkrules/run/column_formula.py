"""A checked formula over columns: the per-park evaluator's rules as arrays — stand-ins for what is unavailable,
branches read only on the rows that reach them, Python's own answers where numpy would round differently."""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable
from typing import Any

import numpy as np

from parkrules.formula import formula, periods
from parkrules.run.columns import Col, Rows, either, merge_values, truth
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

    An unavailable name is collected and the stand-in used; a name that could not be computed is
    collected too, with why; an error with nothing collected yet is the row's error (its exception
    kept); an error after something was collected stops the row (it is missing what was collected),
    and a stopped or errored row collects nothing more. Masks stay None while no row has anything
    to record: most parts of most formulas on most rows have nothing, and skipping their array
    passes is most of the columnar path's speed.
    """

    def __init__(self, leafsets: LeafSets, count: int) -> None:
        self.leafsets = leafsets
        self.count = count
        self.unavailable: np.ndarray | None = None
        self.leaves: np.ndarray | None = None
        self.error: np.ndarray | None = None
        self.why: np.ndarray | None = None
        self.stopped: np.ndarray | None = None
        self.failed: np.ndarray | None = None
        self.reasons: np.ndarray | None = None

    def then(self, part: Col, reached: np.ndarray | None = None) -> None:
        """`part` was evaluated on the `reached` rows (all when None)."""
        if part.error is None and part.unavailable is None and part.stopped is None:
            return
        going = self._open(reached)
        if part.error is not None:
            self._failing(part.error if going is None else part.error & going, part.why)
        if part.unavailable is not None:
            adding = part.unavailable if going is None else part.unavailable & going
            if adding.any():
                assert part.leaves is not None  # an unavailable part has its leaf sets
                if self.leaves is None and going is None:  # nothing collected yet, every row open: the part's
                    self.leaves = part.leaves  # leaves as they are (0 wherever it is available)
                elif self.leaves is None:
                    self.leaves = np.where(adding, part.leaves, 0).astype(np.int32, copy=False)
                else:
                    self.leaves = self.leafsets.union(self.leaves, part.leaves, where=adding)
                if part.failed is not None:
                    assert part.reasons is not None
                    self._read_failed(part.failed & adding, part.reasons)
                self.unavailable = either(self.unavailable, adding)
        if part.stopped is not None:
            self.stopped = either(self.stopped, part.stopped if going is None else part.stopped & going)

    def fail(self, failed: np.ndarray | None, why: np.ndarray | Exception | None) -> None:
        """The operation itself failed on these rows, raising `why` (one exception, or one per row)."""
        if failed is not None:
            going = self._open(None)
            self._failing(failed if going is None else failed & going, why)

    def _open(self, reached: np.ndarray | None) -> np.ndarray | None:
        """Rows still collecting (None: all of them)."""
        closed = either(self.error, self.stopped)
        if closed is None:
            return reached
        return ~closed if reached is None else reached & ~closed

    def _failing(self, failing: np.ndarray, why) -> None:
        if self.unavailable is not None:
            self.stopped = either(self.stopped, failing & self.unavailable)
            failing = failing & ~self.unavailable
        if not failing.any():
            return
        self.error = either(self.error, failing)
        if self.why is None:
            self.why = np.empty(self.count, object)
        self.why[failing] = why[failing] if isinstance(why, np.ndarray) else why

    def _read_failed(self, rows: np.ndarray, reasons: np.ndarray) -> None:
        """Names that could not be computed, read on these rows: added to what each row read, once per name
        (rare: an error upstream, so row by row)."""
        if not rows.any():
            return
        if self.reasons is None:
            self.reasons = np.empty(self.count, object)
        for row in np.flatnonzero(rows).tolist():
            known = self.reasons[row] or ()
            names = {name for name, _ in known}
            self.reasons[row] = known + tuple(pair for pair in reasons[row] if pair[0] not in names)
        self.failed = either(self.failed, rows)

    def col(self, value: np.ndarray) -> Col:
        unavailable = _any_or_none(self.unavailable)
        error = _any_or_none(self.error)
        failed = _any_or_none(self.failed)
        return Col(
            value,
            unavailable,
            None if unavailable is None else self.leaves,
            error,
            None if error is None else self.why,
            _any_or_none(self.stopped),
            failed,
            None if failed is None else self.reasons,
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
        if periods.PERIOD_MARK in name:
            return self.rows.other_year(name, self.zero_if_absent)
        return self.rows.current(name, self.zero_if_absent)

    def _BinOp(self, node: ast.BinOp) -> Col:  # noqa: N802
        left, right = self.run(node.left), self.run(node.right)
        path = self._path()
        path.then(left)
        path.then(right)
        kinds = {left.value.dtype.kind, right.value.dtype.kind}
        if isinstance(node.op, ast.Pow) or "O" in kinds or kinds <= {"i", "u", "b"}:
            # Python's own operation row by row: its power differs from numpy's in the last digits, whole numbers
            # never wrap around, and text is an error only where a row meets it
            operation = formula.checked_pow if isinstance(node.op, ast.Pow) else _PYTHON_ARITHMETIC[type(node.op)]
            value, failed, why = per_row(operation, [left.value, right.value])
            path.fail(failed, why)
            return path.col(value)
        if "b" in kinds:  # true/false in arithmetic is 1 or 0, as in Python
            left_value, right_value = (v.astype(np.int64) if v.dtype == bool else v for v in (left.value, right.value))
        else:
            left_value, right_value = left.value, right.value
        value = _ARITHMETIC[type(node.op)](left_value, right_value)
        if isinstance(node.op, (ast.Div, ast.Mod)):
            path.fail(right_value == 0, ZeroDivisionError())
        return path.col(value)

    def _UnaryOp(self, node: ast.UnaryOp) -> Col:  # noqa: N802
        operand = self.run(node.operand)
        path = self._path()
        path.then(operand)
        if isinstance(node.op, ast.Not):
            value = ~truth(operand.value)
        elif operand.value.dtype == object:
            value, failed, why = per_row(_PYTHON_UNARY[type(node.op)], [operand.value])
            path.fail(failed, why)
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
            holds, failed, why = _compared(type(node.ops[0]), left.value, right.value)
            path.fail(failed, why)
            return path.col(holds)
        result = np.ones(count, bool)
        active = np.ones(count, bool)
        for op, comparator in zip(node.ops, node.comparators, strict=False):
            right = self.run(comparator)
            path.then(right, active)
            holds, failed, why = _compared(type(op), left.value, right.value)
            if failed is not None:
                path.fail(failed & active, why)
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
        path = self._path()
        for arg in args:
            path.then(arg)
        assert isinstance(node.func, ast.Name)  # the allow-list: a plain function name
        value, failed, why = _call(node.func.id, [arg.value for arg in args])
        path.fail(failed, why)
        return path.col(value)


# node type → its method: looked up once per node, where building the method's name cost as much as some nodes
_NODES: dict[type, Callable[[ColumnEvaluator, Any], Col]] = {
    getattr(ast, name[1:]): method
    for name, method in vars(ColumnEvaluator).items()
    if name[1:2].isupper() and hasattr(ast, name[1:])
}


_PYTHON_ARITHMETIC = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Mod: operator.mod,
}
_PYTHON_UNARY: dict[type[ast.unaryop], Callable[[Any], Any]] = {ast.USub: operator.neg, ast.UAdd: operator.pos}
_PYTHON_COMPARE = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
Failures = tuple[np.ndarray, np.ndarray | None, np.ndarray | None]  # values, rows that raised, what each raised


def per_row(function: Callable[..., Any], columns: list[np.ndarray]) -> Failures:
    """`function` over the rows in Python, as the per-park evaluator runs it: the rows where it raises, with the
    exception (the value there is 1.0); floats as a float column, any other result as objects."""
    count = len(columns[0]) if columns else 0
    results: list[Any] = [1.0] * count
    failed: list[int] = []
    raised: list[Exception] = []
    for row, arguments in enumerate(zip(*(column.tolist() for column in columns), strict=True)):
        try:
            results[row] = function(*arguments)
        except Exception as exc:  # noqa: BLE001 - whatever Python raises is the row's error, worded by `error_text`
            failed.append(row)
            raised.append(exc)
    value = _column_of(results)
    if not failed:
        return value, None, None
    mask = np.zeros(count, bool)
    mask[failed] = True
    why = np.empty(count, object)
    why[failed] = raised
    return value, mask, why


def _column_of(results: list[Any]) -> np.ndarray:
    if all(result.__class__ is float for result in results):
        return np.array(results, np.float64)
    column = np.empty(len(results), object)
    column[:] = results
    return column


def _compared(op: type[ast.cmpop], left: np.ndarray, right: np.ndarray) -> Failures:
    """A comparison; with text on either side, Python's own row by row (unequal to a number, ordering it an error)."""
    if left.dtype != object and right.dtype != object:
        return _COMPARE[op](left, right), None, None
    holds, failed, why = per_row(_PYTHON_COMPARE[op], [left, right])
    return truth(holds), failed, why


def _call(name: str, values: list[np.ndarray]) -> Failures:
    """An allow-listed function over rows; exact Python results where numpy would round differently."""
    numeric = values and all(v.dtype == np.float64 for v in values)
    if name in ("min", "max") and numeric:
        return (np.minimum if name == "min" else np.maximum).reduce(values), None, None
    if name == "abs" and len(values) == 1 and numeric:
        return np.abs(values[0]), None, None
    if name == "safe_div" and len(values) == 3 and numeric:
        numerator, denominator, fallback = values
        quotient = numerator / np.where(denominator == 0, 1.0, denominator)
        return np.where(denominator == 0, fallback, quotient), None, None
    # sum is math.fsum, round is Python's: row by row, for exactness (every function takes an argument: ARITY)
    return per_row(formula.FUNCTIONS[name], values)
