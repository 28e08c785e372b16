"""Deciding a value against a threshold, and the signed gap, by the operator table (`operators.py`).

Default is the full-value comparison of GB/T 8170-2008 §4.3 (a limit value with no stated
rounding rule is compared with the unrounded value). A pack that states a precision
(`comparison: {decimals: n}`) gets the rounded-value comparison, rounding half to even as
GB/T 8170 rounds (四舍六入五成双).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, Context, Decimal

from parkrules.base import operators
from parkrules.model.result import Gap

# Enough digits for any finite float (up to 309 before the point) with 10 decimals: the default
# context's 28 digits would refuse to round 1e20 to 10 decimals.
_EVERY_FLOAT = Context(prec=330)


def rounded(value: float, decimals: int | None) -> float:
    if decimals is None or not math.isfinite(value):
        return value
    quantum = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_EVEN, context=_EVERY_FLOAT))


def meets(value, operator: str, limit) -> bool:
    """Whether the value meets the limit (`operators.py`); true/false and categories compare with `==` only."""
    row = operators.of(operator)
    if isinstance(limit, (bool, str)) or isinstance(value, (bool, str)):
        if row.ordered:
            raise ValueError(f"operator {operator} needs numbers")
        return value == limit
    return bool(row.holds(value, limit))


def shortfall(value, operator: str, limit) -> float | None:
    """The gap's absolute part: positive = how far the value must move, negative = margin."""
    if isinstance(limit, (bool, str)) or isinstance(value, (bool, str)):
        return None
    return operators.of(operator).shortfall(value, limit)


def gap(value, operator: str, limit) -> Gap | None:
    """Positive = shortfall (how far the value must move), negative = margin."""
    absolute = shortfall(value, operator, limit)
    if absolute is None:
        return None
    relative = absolute / abs(limit) if limit != 0 else None
    return Gap(absolute=absolute, relative=relative)
