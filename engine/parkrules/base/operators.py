"""Threshold operators: one table that the evaluator, the columnar engine, the gap, the score, the trend and the
schemas all read.

A row says how a value meets a limit and which way is better. Its comparison is written once and serves a number
and a numpy array alike (`operator.le` and `abs` take both), so the engines cannot drift apart; the gap's sign, a
ratio score's inversion and a trend's direction follow from `better`, never from a guess at the symbol. Adding an
operator is one row here (and its line in the schemas' enums, which a test holds to this table).

Comparisons are at full value (GB/T 8170-2008 §4.3) with a tiny relative tolerance that absorbs binary
floating-point noise only: the bound is `limit + side × FLOAT_NOISE × max(1, |limit|)`, on the side that lets a
value a hair from the limit count as meeting it.
"""

from __future__ import annotations

import operator as _operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

FLOAT_NOISE = 1e-9

Better = Literal["lower", "higher"]


@dataclass(frozen=True)
class Operator:
    symbol: str
    better: Better | None  # which way of the limit is better; None: neither (equality)
    side: int  # the tolerant bound is limit + side × tolerance(limit); 0 for equality
    compare: Callable[[Any, Any], Any] | None  # value against the bound; None: |value − limit| ≤ tolerance

    @property
    def ordered(self) -> bool:
        """Whether it orders numbers (true/false and category limits take equality only)."""
        return self.better is not None

    def bound(self, limit: float) -> float:
        return limit + self.side * tolerance(limit)

    def holds(self, value: Any, limit: float) -> Any:
        """Whether a number (or each number of an array) meets the limit."""
        if self.compare is None:
            return abs(value - limit) <= tolerance(limit)
        return self.compare(value, self.bound(limit))

    def shortfall(self, value: Any, limit: float) -> Any:
        """How far the value must move to meet the limit (negative: the margin); None where no side is better."""
        if self.better == "lower":
            return value - limit
        if self.better == "higher":
            return limit - value
        return None


def tolerance(limit: float) -> float:
    return FLOAT_NOISE * max(1.0, abs(limit))


OPERATORS: dict[str, Operator] = {
    op.symbol: op
    for op in (
        Operator("<=", "lower", +1, _operator.le),
        Operator("<", "lower", -1, _operator.lt),
        Operator(">=", "higher", -1, _operator.ge),
        Operator(">", "higher", +1, _operator.gt),
        Operator("==", None, 0, None),
    )
}


def of(symbol: str) -> Operator:
    """The table's row; an unknown symbol is an error, never a silent equality."""
    row = OPERATORS.get(symbol)
    if row is None:
        raise ValueError(f"unknown threshold operator {symbol!r} (known: {', '.join(OPERATORS)})")
    return row
