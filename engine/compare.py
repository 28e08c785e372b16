"""Deciding a value against a threshold, and the signed gap.

Default is the full-value comparison of GB/T 8170-2008 §4.3 (a limit value with no stated
rounding rule is compared with the unrounded value); a tiny relative tolerance absorbs binary
floating-point noise only. A pack that states a precision (`comparison: {decimals: n}`) gets
the rounded-value comparison, rounding half to even as GB/T 8170 rounds (四舍六入五成双).
"""

from __future__ import annotations

import math
import operator as _operator
from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, Context, Decimal

from parkrules.result import Gap

FLOAT_NOISE = 1e-9
# Enough digits for any finite float (up to 309 before the point) with 10 decimals: the default
# context's 28 digits would refuse to round 1e20 to 10 decimals.
_EVERY_FLOAT = Context(prec=330)


def rounded(value: float, decimals: int | None) -> float:
    if decimals is None or not math.isfinite(value):
        return value
    quantum = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_EVEN, context=_EVERY_FLOAT))


def meets(value, operator: str, limit) -> bool:
    if isinstance(limit, (bool, str)) or isinstance(value, (bool, str)):
        if operator != "==":
            raise ValueError(f"operator {operator} needs numbers")
        return value == limit
    eps = FLOAT_NOISE * max(1.0, abs(limit))
    if operator == "<=":
        return value <= limit + eps
    if operator == "<":
        return value < limit - eps
    if operator == ">=":
        return value >= limit - eps
    if operator == ">":
        return value > limit + eps
    return abs(value - limit) <= eps


def meeting(operator: str, limit) -> Callable[[object], bool]:
    """`meets(value, operator, limit)` as a function of the value, the limit's part worked out once: the per-park
    path decides every park-year against the same few tiers."""
    if isinstance(limit, (bool, str)) or operator == "==":
        return lambda value: meets(value, operator, limit)
    eps = FLOAT_NOISE * max(1.0, abs(limit))
    bound = limit + eps if operator in ("<=", ">") else limit - eps
    holds = _ORDER[operator]

    def met(value) -> bool:
        if value.__class__ is float:  # the common case, exactly as meets computes it
            return holds(value, bound)
        return meets(value, operator, limit)

    return met


_ORDER = {"<=": _operator.le, "<": _operator.lt, ">=": _operator.ge, ">": _operator.gt}


def shortfall(value, operator: str, limit) -> float | None:
    """The gap's absolute part: positive = how far the value must move, negative = margin."""
    if operator == "==" or isinstance(limit, (bool, str)) or isinstance(value, (bool, str)):
        return None
    return value - limit if operator in ("<=", "<") else limit - value


def gap(value, operator: str, limit) -> Gap | None:
    """Positive = shortfall (how far the value must move), negative = margin."""
    absolute = shortfall(value, operator, limit)
    if absolute is None:
        return None
    relative = absolute / abs(limit) if limit != 0 else None
    return Gap(absolute=absolute, relative=relative)
