"""Symbolic unit checking of formulas with pint: does a formula yield the dimension its indicator declares?

The checked tree is walked with pint units in place of values, so no park data is needed. A
number written in a formula takes whatever unit its neighbour has when added or compared
(`x - 0`, `max(x, 0)`) and is a pure number when it multiplies (`share * 100`).
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass
from typing import cast

import pint

from parkrules.formula import formula, periods
from parkrules.formula.periods import split_period
from parkrules.io import units


class UnitMismatch(ValueError):
    """A formula combines or yields quantities of incompatible dimensions."""


@dataclass(frozen=True)
class Kind:
    """What a sub-expression is: a quantity in `unit`, a bare number, or a yes/no or category value."""

    what: str  # quantity | number | boolean | category
    unit: pint.Unit | None = None

    @property
    def quantity_unit(self) -> pint.Unit:
        """A quantity's unit (every quantity has one)."""
        assert self.unit is not None, self
        return self.unit

    def describe(self) -> str:
        if self.what == "quantity":
            return _dims(self.quantity_unit)
        return {"number": "a number", "boolean": "yes/no", "category": "a category"}[self.what]


NUMBER = Kind("number")
BOOLEAN = Kind("boolean")
CATEGORY = Kind("category")


def quantity(unit_text: str) -> Kind:
    return Kind("quantity", units.parse_unit(unit_text))


def check(expr: formula.Formula, kinds: Mapping[str, Kind], declared_unit: str) -> None:
    """Raise UnitMismatch when `expr` cannot yield `declared_unit`'s dimension."""
    result = infer(expr.tree, kinds)
    declared = units.parse_unit(declared_unit)
    if result.what == "number":
        return
    if result.what in ("boolean", "category"):
        if declared.dimensionality:
            raise UnitMismatch(f"formula yields {result.describe()} but the declared unit is {declared_unit!r}")
        return
    if result.quantity_unit.dimensionality != declared.dimensionality:
        raise UnitMismatch(
            f"formula yields {_dims(result.quantity_unit)} ({result.quantity_unit:~}) but the declared unit "
            f"{declared_unit!r} is {_dims(declared)}"
        )


def infer(node: ast.AST, kinds: Mapping[str, Kind]) -> Kind:
    """The kind of a checked formula tree, given the kind of every name it reads."""
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool):
            return BOOLEAN
        return CATEGORY if isinstance(node.value, str) else NUMBER
    if isinstance(node, ast.Name):
        if node.id in ("True", "False") or periods.special_reference(node.id) == "has":
            return BOOLEAN
        return kinds[split_period(node.id)[0]]
    if isinstance(node, ast.BinOp):
        return _binary(node, infer(node.left, kinds), infer(node.right, kinds))
    if isinstance(node, ast.UnaryOp):
        operand = infer(node.operand, kinds)
        return BOOLEAN if isinstance(node.op, ast.Not) else operand
    if isinstance(node, ast.Compare):
        _same(*(infer(part, kinds) for part in (node.left, *node.comparators)), what="compares")
        return BOOLEAN
    if isinstance(node, ast.BoolOp):
        for value in node.values:
            infer(value, kinds)
        return BOOLEAN
    if isinstance(node, ast.IfExp):
        infer(node.test, kinds)
        return _same(infer(node.body, kinds), infer(node.orelse, kinds), what="chooses between")
    if isinstance(node, ast.Call):
        return _call(node, [infer(arg, kinds) for arg in node.args])
    raise UnitMismatch(f"cannot infer the unit of {ast.unparse(node)}")


def _binary(node: ast.BinOp, left: Kind, right: Kind) -> Kind:
    if isinstance(node.op, (ast.Add, ast.Sub, ast.Mod)):
        return _same(left, right, what="adds" if isinstance(node.op, ast.Add) else "subtracts")
    if isinstance(node.op, ast.Pow):
        if left.what != "quantity" or not left.quantity_unit.dimensionality:
            return left
        exponent = _constant(node.right)
        if exponent is None:
            raise UnitMismatch(
                f"{ast.unparse(node)} raises {_dims(left.quantity_unit)} to a power that is not a fixed number"
            )
        return Kind("quantity", cast(pint.Unit, left.quantity_unit**exponent))  # pint types a power as PlainUnit
    a, b = (_as_unit(left), _as_unit(right))
    if a is None and b is None:
        return NUMBER
    registry = units.registry()
    a = a if a is not None else registry.dimensionless
    b = b if b is not None else registry.dimensionless
    return Kind("quantity", a * b if isinstance(node.op, ast.Mult) else a / b)


def _call(node: ast.Call, args: list[Kind]) -> Kind:
    assert isinstance(node.func, ast.Name)  # the allow-list guarantees a plain function name
    name = node.func.id
    if name == "safe_div":
        numerator, denominator, fallback = args
        ratio = _binary(ast.BinOp(left=node, op=ast.Div(), right=node), numerator, denominator)
        return _same(ratio, fallback, what="falls back from")
    if name in ("abs", "round"):
        return args[0]
    return _same(*args, what=f"takes the {name} of")


def _same(*kinds: Kind, what: str) -> Kind:
    """Operands that must share a dimension; a bare number adopts its neighbour's."""
    typed = [kind for kind in kinds if kind.what != "number"]
    if not typed:
        return NUMBER
    first = typed[0]
    for other in typed[1:]:
        if first.what != other.what or (
            first.what == "quantity" and first.quantity_unit.dimensionality != other.quantity_unit.dimensionality
        ):
            raise UnitMismatch(f"formula {what} {first.describe()} and {other.describe()}")
    return first


def _as_unit(kind: Kind) -> pint.Unit | None:
    if kind.what in ("boolean", "category"):
        raise UnitMismatch(f"arithmetic on {kind.describe()}")
    return kind.unit if kind.what == "quantity" else None


def _constant(node: ast.AST) -> float | None:
    """The value of an exponent written with numbers only, such as `1 / 3`."""
    try:
        value = formula.evaluate(formula.parse(ast.unparse(node)), {})
    except (formula.FormulaError, formula.Unavailable, ZeroDivisionError, OverflowError):
        return None
    return float(value) if isinstance(value, (int, float)) else None


def _dims(unit: pint.Unit) -> str:
    dims = str(unit.dimensionality)
    return "a pure number" if dims == "dimensionless" else dims
