"""The formula language: parsed once, checked against an allow-list, compiled once.

Formulas in packs are untrusted input. Python's `ast` only *parses* the text (it never runs
it); the tree is then walked and every node type, operator, name and function checked
against an allow-list. Only then is the *checked tree* lowered and compiled to a function:
every name becomes a call to the caller's lookup, every function one of the allow-list's, `**`
the bounded power, and there are no builtins. This runs a formula at the speed of
hand-written Python (a tree walk per park was the engine's main cost); the text itself is
never evaluated. simpleeval stays as the reference evaluator: the differential tests check
the compiled functions give the same values, missing inputs and errors.
"""

from __future__ import annotations

import ast
import copy
import math
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from simpleeval import SimpleEval

from parkrules.formula.errors import FormulaError, Unavailable, UnknownFunction
from parkrules.formula.periods import PeriodRewriter

MAX_LENGTH = 2000
MAX_EXPONENT = 100.0
MAX_DEPTH = 100  # nested operations; the bundled packs reach 16, and every pass over a tree recurses per level
MAX_POWER_BITS = 1024  # a power of whole numbers past a float's range is an overflow, as it is for floats


def checked_pow(base: float, exponent: float) -> float:
    if abs(exponent) > MAX_EXPONENT:
        raise FormulaError(f"exponent {exponent!r} is larger than {MAX_EXPONENT:g}")
    # Python's whole numbers never overflow: (((9**99)**99)**99)**99 would run for hours
    whole = type(base) is int and type(exponent) is int and exponent > 0 and abs(base) > 1
    if whole and exponent * math.log2(abs(base)) > MAX_POWER_BITS:
        raise OverflowError("power too large (beyond the range of a float)")
    result = base**exponent
    if isinstance(result, complex):  # Python's answer for a negative number to a fractional power
        raise FormulaError(f"{base!r} ** {exponent!r} has no real value")
    return result


def _sum(*values: float) -> float:
    return math.fsum(values)


def _safe_div(numerator: float, denominator: float, fallback: float) -> float:
    """Division that yields `fallback` when the denominator is zero (must be explicit)."""
    return fallback if denominator == 0 else numerator / denominator


# How many arguments each function takes (at least, at most): a wrong count is refused at parse time,
# not left to fail in every park (min of one number is Python's "not iterable").
ARITY: dict[str, tuple[int, int | None]] = {
    "min": (2, None),
    "max": (2, None),
    "abs": (1, 1),
    "round": (1, 2),
    "sum": (1, None),
    "safe_div": (3, 3),
}
FUNCTIONS: dict[str, Any] = {
    "min": min,
    "max": max,
    "abs": abs,
    "round": round,
    "sum": _sum,
    "safe_div": _safe_div,
}

# A quoted constant may only be a category id, compared with a category fact.
# CPython 3.11 converts between Python and C syntax trees with a recursion counter shared by every thread: two
# threads parsing or compiling at once fail with "AST constructor recursion depth mismatch" (found under the
# service's concurrent requests). Parsing happens when packs are compiled, so one lock costs next to nothing.
AST_LOCK = threading.Lock()
_CATEGORY = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**", ast.Mod: "%"}
_UNARY = (ast.UAdd, ast.USub, ast.Not)
_COMPARE = (ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE)
_BOOL = (ast.And, ast.Or)


@dataclass(frozen=True)
class Formula:
    """A checked formula: its text, the parsed tree, the names it reads and its compiled function."""

    text: str
    tree: ast.expr = field(repr=False, compare=False)
    names: frozenset[str]
    run: Callable[[Callable[[str], Any]], Any] = field(repr=False, compare=False)


def parse(text: object) -> Formula:
    """Parse and allow-list check a formula; raises FormulaError naming what is refused."""
    if not isinstance(text, str):
        raise FormulaError("a formula must be text")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"formula longer than {MAX_LENGTH} characters")
    text = " ".join(text.split())  # multi-line YAML scalars; category ids hold no spaces to protect
    try:
        with AST_LOCK:
            module = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"cannot parse formula: {exc.msg}") from exc
    except (RecursionError, MemoryError) as exc:  # the parser's own limits on nesting
        raise FormulaError(f"formula nested too deeply (at most {MAX_DEPTH} levels)") from exc
    if _depth(module.body) > MAX_DEPTH:
        raise FormulaError(
            f"formula nested more than {MAX_DEPTH} levels deep: a long chain such as a + b + c + … is "
            "one level per term; split it into derived quantities or use sum(…)"
        )
    names: set[str] = set()
    tree = PeriodRewriter().visit(module).body
    _check(tree, names)
    return Formula(text=text, tree=tree, names=frozenset(names), run=_compiled(tree))


def _depth(tree: ast.AST) -> int:
    """How deeply the tree nests, found without recursion (the later passes recurse, so this bounds them)."""
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth <= MAX_DEPTH:  # deeper than the bound is all this needs to know
            stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


def _check(node: ast.AST, names: set[str]) -> None:
    if isinstance(node, ast.Constant):
        if isinstance(node.value, (bool, int, float)):
            return
        if isinstance(node.value, str) and _CATEGORY.match(node.value):
            return
        raise FormulaError(
            f"only numbers, true/false and category ids ('jing_jin_ji') may be written in a formula, not {node.value!r}"
        )
    if isinstance(node, ast.Name):
        if node.id.startswith("_"):
            raise FormulaError(f"name {node.id!r} is not allowed (names may not start with '_')")
        if node.id in FUNCTIONS:
            raise FormulaError(f"function {node.id!r} must be called, not used as a value")
        if node.id not in ("True", "False"):
            names.add(node.id)
        return
    if isinstance(node, ast.BinOp):
        if type(node.op) not in _BINARY:
            raise FormulaError(f"operator {type(node.op).__name__} is not allowed")
        if isinstance(node.op, ast.Pow) and isinstance(node.right, ast.Constant):
            exponent = node.right.value
            if isinstance(exponent, (int, float)) and abs(exponent) > MAX_EXPONENT:
                raise FormulaError(f"exponent {exponent!r} is larger than {MAX_EXPONENT:g}")
        _check(node.left, names)
        _check(node.right, names)
        return
    if isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, _UNARY):
            raise FormulaError(f"operator {type(node.op).__name__} is not allowed")
        _check(node.operand, names)
        return
    if isinstance(node, ast.BoolOp):
        if not isinstance(node.op, _BOOL):
            raise FormulaError(f"operator {type(node.op).__name__} is not allowed")
        for value in node.values:
            _check(value, names)
        return
    if isinstance(node, ast.Compare):
        for op in node.ops:
            if not isinstance(op, _COMPARE):
                raise FormulaError(f"comparison {type(op).__name__} is not allowed")
        _check(node.left, names)
        for comparator in node.comparators:
            _check(comparator, names)
        return
    if isinstance(node, ast.IfExp):
        for part in (node.test, node.body, node.orelse):
            _check(part, names)
        return
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name):
            raise FormulaError(f"calling {_describe(node.func)} is not allowed in formulas")
        if node.func.id not in FUNCTIONS:
            allowed = ", ".join(sorted(FUNCTIONS))
            raise UnknownFunction(f"function {node.func.id!r} is not allowed (allowed: {allowed})")
        if node.keywords:
            raise FormulaError("keyword arguments are not allowed in formulas")
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise FormulaError("argument unpacking is not allowed in formulas")
            _check(arg, names)
        least, most = ARITY[node.func.id]
        if not least <= len(node.args) <= (most if most is not None else len(node.args)):
            wanted = f"{least}" if least == most else f"{least} or more" if most is None else f"{least} to {most}"
            raise FormulaError(f"{node.func.id}() takes {wanted} arguments, not {len(node.args)}")
        return
    raise FormulaError(f"{_describe(node)} is not allowed in formulas")


def _describe(node: ast.AST) -> str:
    kinds = {
        ast.Attribute: "attribute access",
        ast.Subscript: "indexing",
        ast.Lambda: "lambda",
        ast.ListComp: "a comprehension",
        ast.SetComp: "a comprehension",
        ast.DictComp: "a comprehension",
        ast.GeneratorExp: "a comprehension",
        ast.NamedExpr: "assignment",
    }
    return kinds.get(type(node), f"syntax {type(node).__name__}")


LOOKUP = "_lookup"  # the compiled function's one argument; formula names may not start with "_"
_POWER = "_power"
_GLOBALS = {"__builtins__": {}, _POWER: checked_pow, **FUNCTIONS}


class _Lowering(ast.NodeTransformer):
    """A checked tree → the body of `lambda _lookup: …`: names read through `_lookup`, `**` bounded."""

    def visit_Name(self, node: ast.Name) -> ast.AST:
        return ast.copy_location(self.read(node.id), node)

    def read(self, name: str) -> ast.expr:
        return ast.Call(ast.Name(LOOKUP, ast.Load()), [ast.Constant(name)], [])

    def visit_Call(self, node: ast.Call) -> ast.AST:
        # the function's own name (min, max, …) stays a name: it resolves in the allow-list's globals
        node.args = [self.visit(arg) for arg in node.args]
        return node

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.op, ast.Pow):
            return ast.copy_location(ast.Call(ast.Name(_POWER, ast.Load()), [node.left, node.right], []), node)
        return node


def _compiled(tree: ast.expr) -> Callable[[Callable[[str], Any]], Any]:
    """Compile a *checked* tree (never text) into `lambda _lookup: …` with only the allow-list in scope."""
    return _lambda(_Lowering().visit(copy.deepcopy(tree)), [LOOKUP])


def _lambda(body: ast.expr, parameters: list[str]) -> Callable[..., Any]:
    arguments = ast.arguments(
        posonlyargs=[],
        args=[ast.arg(name) for name in parameters],
        kwonlyargs=[],
        kw_defaults=[],
        defaults=[],
        vararg=None,
        kwarg=None,
    )
    expression = ast.fix_missing_locations(ast.Expression(ast.Lambda(arguments, body)))
    with AST_LOCK:
        code = compile(expression, "<formula>", "eval")
    return eval(code, dict(_GLOBALS))  # noqa: S307 - a checked, lowered tree


def _evaluator() -> SimpleEval:
    evaluator = SimpleEval(functions=dict(FUNCTIONS))
    evaluator.operators[ast.Pow] = checked_pow
    return evaluator


_EVALUATOR = _evaluator()


class Names(Protocol):
    """What a formula reads its names from: any object that gives a name's value, or raises Unavailable."""

    def __getitem__(self, name: str, /) -> Any: ...


def evaluate(formula: Formula, values: Names) -> Any:
    """Evaluate a checked formula; names are looked up lazily, only on the branch taken.

    Raises ZeroDivisionError, OverflowError or FormulaError (the caller turns them into an
    `error` status), or Unavailable when `values` has no value for a name it is asked for.
    """
    try:
        return formula.run(values.__getitem__)
    except (ZeroDivisionError, OverflowError, FormulaError, Unavailable):
        raise
    except Exception as exc:  # type errors (a category in arithmetic) and the like
        raise evaluation_error(formula.text, exc) from exc


def evaluation_error(text: str, exc: Exception) -> Exception:
    """What evaluating `text` raises for an exception of one of its operations: a division by zero, an overflow
    or a refusal of the formula's own as it is; anything else (a category in arithmetic) as a FormulaError."""
    if isinstance(exc, (ZeroDivisionError, OverflowError, FormulaError)):
        return exc
    return FormulaError(f"cannot evaluate {text!r}: {exc}")


def evaluate_reference(formula: Formula, values: Mapping[str, Any]) -> Any:
    """The same through simpleeval's tree walk: the reference the compiled functions are tested against."""
    # Evaluations nest (a period reference computes an earlier year mid-formula), so the
    # shared evaluator's names are restored on the way out.
    outer = _EVALUATOR.names
    _EVALUATOR.names = values
    try:
        return _EVALUATOR.eval(formula.text, previously_parsed=formula.tree)
    except (ZeroDivisionError, OverflowError, FormulaError, Unavailable):
        raise
    except Exception as exc:  # simpleeval's own refusals (e.g. NumberTooHigh) and type errors
        raise evaluation_error(formula.text, exc) from exc
    finally:
        _EVALUATOR.names = outer
