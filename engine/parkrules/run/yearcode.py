"""A pack's whole park-year as one generated function: the per-park path's inner loop.

A call per derived quantity and per indicator, each decided by general code, cost the per-park
path twice the hand-written baseline's time (bench/README.md). Here every derived quantity and
indicator of a pack becomes a few statements of one function, so a park-year is one call, as
the baseline's is. The function is built from the formulas' *checked* trees
(`formula.lowered_over_values`) and from this module's own fixed templates, never from a text:
a name is a dict key or a constant, and nothing but the allow-list's functions and the
caller's helpers is in scope. Where given, the factor table's values are constants in it.

The statements settle the common cases: a value computed; a tier chosen, met or not; inputs
missing. Every other case goes to the caller's helpers (`fastplan.py`), which settle it as
before, so the results are the evaluator's; the differential tests hold them to it.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from parkrules.base import operators
from parkrules.base.status import Status
from parkrules.formula import formula
from parkrules.rules.results_block import STATUS

if TYPE_CHECKING:
    from parkrules.model.pack import Derived
    from parkrules.run.fastplan import IndicatorStep

# year(values, lookup, found, earlier, state, data, add, judge): one park-year; `add` takes each indicator's cells
YearFunction = Callable[..., None]

_VALUES, _MISS, _OWN, _EARLIER = formula.LOWERED_PARAMETERS
_PARAMETERS = (_VALUES, _MISS, "_found", _EARLIER, "_state", "_data", "_add", "_judge")
HELPERS = ("_settle", "_derive", "_evaluated", "_classified", "_tier_cells", "_missing_cells", "_rounded")

_DERIVED = """
try:
    _x = EXPR
    if _x.__class__ is not float:
        _x = float(_x)
    if _x - _x:  # not finite (inf - inf is nan): the evaluator words it as an error
        raise OverflowError
except Exception:
    _x = _FAILED
if _found:
    _settle(_miss, _state, ID)
elif _x is _FAILED:
    _derive(_D[K], _state)
else:
    _v[ID] = _x
"""
# an inventory none of whose lines is given is missing them all, not zero (evaluate.none_given)
_INVENTORY = """
if _v.keys().isdisjoint(LINES) and _state.missing.keys().isdisjoint(LINES) and _state.errors.keys().isdisjoint(LINES):
    _state.missing[ID] = LINES
else:
    BODY
"""
_INDICATOR = """
if _excl and ID in _excl:
    _add(_evaluated(_I[K], _state, _data))
else:
    try:
        _x = EXPR
        if _x.__class__ is float and _x - _x:  # not finite: the evaluator words it as an error
            raise OverflowError
        if _found:
            _c = None
        else:
            CHAIN
    except Exception:
        _c = _FAILED
    if _found:
        _c = _missing_cells(_miss)
    elif _c is _FAILED:
        _c = _evaluated(_I[K], _state, _data)
    _add(_c)
"""
_CLASSES = "_add(_classified(_I[K], _state, _miss, _earlier, _data))"
_CONDITION = """
_h = WHEN
if _found:
    _c = None
elif _h:
    HOLDS
else:
    OTHERWISE
"""
_NUMERIC_TIER = """
if _x.__class__ is float:
    ROUNDING
    _c = (PASS if MET else FAIL, _x, GAP, CHOICE, None, None, None)
else:
    _c = _tier_cells(_I[K], T, _x)
"""
_EQUAL_TIER = "_c = (PASS if _x == LIMIT else FAIL, _x, None, CHOICE, None, None, None)"
_ANY_TIER = "_c = _tier_cells(_I[K], T, _x)"
_NONE_APPLIES = "_c = (NOT_APPLICABLE, VALUE, None, -1, MESSAGE, None, None)"
# a factor the table gives no value: recorded as `Reads` records it (its leaf, not failed) and read as its stand-in
_ABSENT_FACTOR = "_found.setdefault(NAME, RECORD) and 1.0"
_START_INDICATORS = """
if not _judge:
    return
_excl = _data.exclusions
"""


def generate(
    derived: Sequence[tuple[Derived, str]],
    indicators: Sequence[IndicatorStep],
    computed: frozenset[str],
    constants: Mapping[str, Any],
    helpers: Mapping[str, Callable],
    of_constants: frozenset[str] = frozenset(),
) -> YearFunction:
    """The park-year function of these items (derived quantities with their pack; `computed`: factor and derived
    ids; `constants`: factor values read as constants; `of_constants`: the quantities that read nothing else, worked
    out once here); `helpers` settle what the statements leave (`HELPERS`)."""
    writer = _Writer(constants, _read_more_than_once([item for item, _ in derived], computed), of_constants)
    body = writer.start()
    for index, (item, _) in enumerate(derived):
        body += writer.derived(index, item, computed)
    body += _statements(_START_INDICATORS)
    for index, step in enumerate(indicators):
        body += writer.indicator(index, step)
    function = ast.FunctionDef(
        name="year",
        args=ast.arguments([], [ast.arg(name) for name in _PARAMETERS], None, [], [], None, []),
        body=body,
        decorator_list=[],
        returns=None,
    )
    scope = {
        **{name: helpers[name] for name in HELPERS},
        "_D": tuple(derived),
        "_I": tuple(indicators),
        "_FAILED": _FAILED,
        "float": float,
        "Exception": Exception,
    }
    return formula.compile_lowered(ast.Module([function], []), scope)["year"]


def _read_more_than_once(derived: Sequence[Derived], computed: frozenset[str]) -> list[str]:
    """The facts read as zero-if-absent more than once (a fuel by both its emissions and its energy)."""
    counts: dict[str, int] = {}
    for item in derived:
        zero_facts = item.zero_if_absent - computed
        for node in ast.walk(item.formula.tree):
            if isinstance(node, ast.Name) and node.id in zero_facts:
                counts[node.id] = counts.get(node.id, 0) + 1
    return sorted(name for name, count in counts.items() if count > 1)


def _zero_read(node: ast.AST) -> str | None:
    """The fact of a `_v.get(fact, 0.0)` node (a zero-if-absent read, `formula.lowered_over_values`), else None."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"):
        return None
    owner, arguments = node.func.value, node.args
    if not (isinstance(owner, ast.Name) and owner.id == _VALUES and len(arguments) == 2):
        return None
    key, default = arguments
    if isinstance(key, ast.Constant) and isinstance(default, ast.Constant) and default.value == 0.0:
        return key.value
    return None


class _LocalReads(ast.NodeTransformer):
    def __init__(self, locals_: Mapping[str, str]) -> None:
        self.locals = locals_

    def visit_Call(self, node: ast.Call) -> Any:
        name = _zero_read(node)
        if name in self.locals:
            return _name(self.locals[name])
        return self.generic_visit(node)


class _Failed:
    """What an item that raised holds: not a value any formula gives."""


_FAILED = _Failed()


class _Writer:
    """Statements for each item, tracking the lookup's zero-if-absent set along the function."""

    def __init__(self, constants: Mapping[str, Any], read_once: list[str], of_constants: frozenset[str]) -> None:
        self.constants = constants
        self.of_constants = of_constants
        self.absent = _AbsentFactors(frozenset(name for name, value in constants.items() if value is None))
        self.zero: frozenset[str] = frozenset()  # what `_miss.zero_if_absent` holds at this point
        self.read_once = _LocalReads({name: f"_z{index}" for index, name in enumerate(read_once)})

    def start(self) -> list[ast.stmt]:
        """A zero-if-absent fact read by several quantities is read once, into a local: facts do not change within
        a year, and such a read records nothing."""
        return [
            ast.Assign([_name(local, ast.Store())], _expression("_v.get(NAME, 0.0)", NAME=ast.Constant(name)))
            for name, local in self.read_once.locals.items()
        ]

    def derived(self, index: int, item: Derived, computed: frozenset[str]) -> list[ast.stmt]:
        zero_facts = item.zero_if_absent - computed
        lowered = formula.lowered_over_values(item.formula, zero_facts, None, self.constants)
        expression = self.read_once.visit(self.absent.visit(lowered))
        if item.id in self.of_constants:
            folded = _folded(expression, item.id)
            if folded is not None:
                return folded
        statements = self._zero(item.zero_if_absent)
        body = _statements(_DERIVED, EXPR=expression, ID=ast.Constant(item.id), K=ast.Constant(index))
        if item.zero_if_absent and not item.zero_when_all_absent:
            lines = ast.Constant(frozenset(item.zero_if_absent))
            body = _statements(_INVENTORY, LINES=lines, ID=ast.Constant(item.id), BODY=body)
        return statements + body

    def indicator(self, index: int, step: IndicatorStep) -> list[ast.stmt]:
        statements = self._zero(frozenset())  # indicators read with none (fastplan.classify)
        k = ast.Constant(index)
        if step.classes:
            return statements + _statements(_CLASSES, K=k)
        value = self._lowered(step.indicator.formula)
        chain = self._chain(index, step, 0)
        return statements + _statements(_INDICATOR, EXPR=value, ID=ast.Constant(step.indicator.id), K=k, CHAIN=chain)

    def _chain(self, index: int, step: IndicatorStep, tier: int) -> list[ast.stmt]:
        """The first tier whose condition holds decides; a condition that reads a missing name ends the search."""
        if tier == len(step.tiers):
            decimals = step.indicator.decimals
            value = _name("_x") if decimals is None else _call("_rounded", _name("_x"), ast.Constant(decimals))
            return _statements(_NONE_APPLIES, VALUE=value, MESSAGE=ast.Constant(step.none_applies))
        when = step.tiers[tier].threshold.when
        if when is None:
            return self._tier(index, step, tier)
        return _statements(
            _CONDITION,
            WHEN=self._lowered(when),
            HOLDS=self._tier(index, step, tier),
            OTHERWISE=self._chain(index, step, tier + 1),
        )

    def _tier(self, index: int, step: IndicatorStep, tier: int) -> list[ast.stmt]:
        """The tier's cells: a number against a numeric limit, or anything against a true/false or category
        limit with `==`, inline, exactly as `compare.meeting` and `compare.shortfall` work them out; anything
        else (points, rounding a value compared with `==`, an order against a category) by the helper."""
        threshold = step.tiers[tier].threshold
        row, limit, decimals = operators.of(threshold.operator), threshold.value, step.indicator.decimals
        choice = ast.Constant(step.tiers[tier].choice)
        as_is = isinstance(limit, (bool, str))  # compared as they are: no gap, no tolerance
        inline = not row.ordered and decimals is None if as_is else row.node is not None
        if step.indicator.score is not None or not inline:
            return _statements(_ANY_TIER, K=ast.Constant(index), T=ast.Constant(tier))
        if as_is:
            return _statements(_EQUAL_TIER, LIMIT=ast.Constant(limit), CHOICE=choice)
        met = ast.Compare(_name("_x"), [row.node()], [ast.Constant(row.bound(limit))])
        if row.better == "lower":
            gap = ast.BinOp(_name("_x"), ast.Sub(), ast.Constant(limit))
        else:
            gap = ast.BinOp(ast.Constant(limit), ast.Sub(), _name("_x"))
        rounding = (
            [ast.Pass()]
            if decimals is None
            else [ast.Assign([_name("_x", ast.Store())], _call("_rounded", _name("_x"), ast.Constant(decimals)))]
        )
        slots = {"K": ast.Constant(index), "T": ast.Constant(tier), "CHOICE": choice}
        return _statements(_NUMERIC_TIER, ROUNDING=rounding, MET=met, GAP=gap, **slots)

    def _lowered(self, expression: formula.Formula) -> ast.expr:
        return self.absent.visit(formula.lowered_over_values(expression, frozenset(), None, self.constants))

    def _zero(self, zero: frozenset[str]) -> list[ast.stmt]:
        """Set the lookup's zero-if-absent names where they change (`Reads` reads them for computed names)."""
        if zero == self.zero:
            return []
        self.zero = zero
        target = ast.Attribute(_name(_MISS), "zero_if_absent", ast.Store())
        return [ast.Assign([target], ast.Constant(frozenset(zero)))]


class _AbsentFactors(ast.NodeTransformer):
    """A table factor with no value is never in a year's values (no fact has a factor's id, `plan.py`), so its
    read through the lookup is what the lookup would record, written in place: a dict call, not a method's."""

    def __init__(self, names: frozenset[str]) -> None:
        self.names = names

    def visit_Call(self, node: ast.Call) -> Any:
        self.generic_visit(node)
        if not (isinstance(node.func, ast.Name) and node.func.id == _MISS and len(node.args) == 1):
            return node
        name = node.args[0]
        if not (isinstance(name, ast.Constant) and name.value in self.names):
            return node
        record = ast.Constant((frozenset({f"factor:{name.value}"}), False, None))
        return _expression(_ABSENT_FACTOR, NAME=name, RECORD=record)


def _folded(expression: ast.expr, item_id: str) -> list[ast.stmt] | None:
    """A quantity of table factors alone, worked out once when the function is made, as its statements would on
    every park-year: its value, or missing what the absent factors record; None (left to the statements) for an
    error, which the evaluator words."""
    body = [ast.Return(expression)]
    function = ast.FunctionDef("_once", ast.arguments([], [ast.arg("_found")], None, [], [], None, []), body, [])
    found: dict[str, tuple[frozenset[str], bool, str | None]] = {}
    try:
        value = float(formula.compile_lowered(ast.Module([function], []), {})["_once"](found))
    except Exception:  # noqa: BLE001 - any failure is the statements' to meet and the evaluator's to word
        return None
    key = ast.Constant(item_id)
    if found:
        if any(failed for _, failed, _ in found.values()):
            return None
        leaves = frozenset().union(*(leaves for leaves, _, _ in found.values()))
        target = ast.Subscript(ast.Attribute(_name("_state"), "missing", ast.Load()), key, ast.Store())
        return [ast.Assign([target], ast.Constant(leaves))]
    if value - value:  # not finite
        return None
    return [ast.Assign([ast.Subscript(_name(_VALUES), key, ast.Store())], ast.Constant(value))]


def _expression(template: str, **slots: ast.expr) -> ast.expr:
    return _Fill(slots).visit(ast.parse(template, mode="eval")).body


def _name(name: str, context: ast.expr_context | None = None) -> ast.Name:
    return ast.Name(name, context or ast.Load())


def _call(function: str, *arguments: ast.expr) -> ast.Call:
    return ast.Call(_name(function), list(arguments), [])


def _statements(template: str, **slots: ast.expr | list[ast.stmt]) -> list[ast.stmt]:
    """A template's statements, each placeholder (an upper-case name) replaced by its node or statements; PASS,
    FAIL and NOT_APPLICABLE are the status codes cells hold (`results_block.STATUS`)."""
    return _Fill({**_STATUS_CODES, **slots}).visit(ast.parse(template.strip())).body


_STATUS_CODES = {
    status.name: ast.Constant(STATUS[status]) for status in (Status.PASS, Status.FAIL, Status.NOT_APPLICABLE)
}


class _Fill(ast.NodeTransformer):
    def __init__(self, slots: Mapping[str, ast.expr | list[ast.stmt]]) -> None:
        self.slots = slots

    def visit_Expr(self, node: ast.Expr) -> Any:
        if isinstance(node.value, ast.Name) and isinstance(self.slots.get(node.value.id), list):
            return self.slots[node.value.id]  # a statement placeholder: its statements in its place
        return self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> Any:
        """A placeholder's node; a constant may stand in several places, every other slot in one only."""
        slot = self.slots.get(node.id)
        if slot is None:
            return node
        return copy.copy(slot) if isinstance(slot, ast.Constant) else slot
