"""Period references in formulas: prev(), lag(), at(), base(), has() and benchmark() as year-qualified names."""

from __future__ import annotations

import ast

from parkrules.formula.errors import FormulaError

# Period references: rewritten at parse time into year-qualified names, so the evaluator looks
# them up like any other name (lazily, so a year that is not needed is never demanded).
# `base(x)` is x in the run's base year (default: the year before); `has(x)` is whether x has a
# value this year (a fallback such as metered generation else an estimate); `benchmark(x)` is
# x for the benchmark park in the same year.
PERIOD_FUNCTIONS = ("prev", "lag", "at", "base", "has", "benchmark")
SPECIAL_REFERENCES = {"base": "base", "has": "has", "benchmark": "bench"}
PERIOD_MARK = "@"
MAX_LAG = 50


def period_name(name: str, relative: int | None = None, year: int | None = None) -> str:
    """`x@-1` (one year back) or `x@=2020` (a named year)."""
    return f"{name}{PERIOD_MARK}={year}" if year is not None else f"{name}{PERIOD_MARK}{relative:+d}"


def split_period(name: str) -> tuple[str, int | None, int | None]:
    """The base name, and the relative offset or absolute year of a year-qualified name."""
    base, mark, ref = name.partition(PERIOD_MARK)
    if not mark or ref in SPECIAL_REFERENCES.values():
        return base, None, None
    if ref.startswith("="):
        return base, None, int(ref[1:])
    return base, int(ref), None


def special_reference(name: str) -> str | None:
    """`base`, `has` or `bench` for a name written with base(), has() or benchmark(); else None."""
    ref = name.partition(PERIOD_MARK)[2]
    return ref if ref in SPECIAL_REFERENCES.values() else None


class PeriodRewriter(ast.NodeTransformer):
    """`prev(x)` → x@-1, `lag(x, n)` → x@-n, `at(x, 2020)` → x@=2020, `base(x)` → x@base,
    `has(x)` → x@has, `benchmark(x)` → x@bench; arguments must be a plain name and literal numbers."""

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if not (isinstance(node.func, ast.Name) and node.func.id in PERIOD_FUNCTIONS):
            return node
        kind = node.func.id
        wanted = 2 if kind in ("lag", "at") else 1
        if node.keywords or len(node.args) != wanted or not isinstance(node.args[0], ast.Name):
            usage = {"lag": "lag(name, years)", "at": "at(name, year)"}.get(kind, f"{kind}(name)")
            raise FormulaError(f"{kind}() takes a plain name and literal numbers: {usage}")
        name = node.args[0].id
        if name.startswith("_") or PERIOD_MARK in name:
            raise FormulaError(f"name {name!r} is not allowed (names may not start with '_')")
        if kind == "prev":
            return ast.copy_location(ast.Name(id=period_name(name, relative=-1), ctx=ast.Load()), node)
        if kind in SPECIAL_REFERENCES:
            special = f"{name}{PERIOD_MARK}{SPECIAL_REFERENCES[kind]}"
            return ast.copy_location(ast.Name(id=special, ctx=ast.Load()), node)
        arg = node.args[1]
        if not (isinstance(arg, ast.Constant) and type(arg.value) is int):
            raise FormulaError(f"{kind}() needs a whole number as its second argument")
        if kind == "lag":
            if not 1 <= arg.value <= MAX_LAG:
                raise FormulaError(f"lag() takes 1 to {MAX_LAG} years, not {arg.value}")
            return ast.copy_location(ast.Name(id=period_name(name, relative=-arg.value), ctx=ast.Load()), node)
        if not 1900 <= arg.value <= 2200:
            raise FormulaError(f"at() needs a calendar year, not {arg.value}")
        return ast.copy_location(ast.Name(id=period_name(name, year=arg.value), ctx=ast.Load()), node)
