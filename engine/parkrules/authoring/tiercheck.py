"""Tier analysis: do an indicator's tier conditions overlap, leave a gap, or contain a tier that never applies?

The first tier whose `when` holds applies (see evaluate.py). Conditions written as comparisons of
one subject with numbers (`energy_consumption_tce >= 200000 and energy_consumption_tce < 1000000`),
of two expressions (`x > lag(x, 3)`, read as `x - lag(x, 3) > 0`), or of a category or yes/no
fact with its values, are turned into sets with `portion` (intervals) or frozensets (categories)
and compared. Anything else is not analysed, so the check never guesses.
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import reduce
from typing import Any

import portion

from parkrules.model.pack import Indicator

_REAL_LINE = portion.open(-portion.inf, portion.inf)
# the values where a condition holds: a frozenset of category or yes/no values, or a `portion` interval of numbers
# (portion has no type information, so this is Any to the type checker)
ValueSet = Any
_PERIOD = re.compile(r"\b([a-z_][a-z0-9_]*)@(=?)(-?\d+)")


@dataclass(frozen=True)
class TierFinding:
    code: str  # PR130 overlap, PR131 gap, PR132 unreachable
    tier: int  # index into the indicator's thresholds
    message: str


def check(indicator: Indicator, domains: Mapping[str, frozenset]) -> list[TierFinding]:
    """Findings for one indicator; `domains` gives the values of each category and yes/no fact."""
    tiers = indicator.thresholds
    findings = []
    unconditional = next((i for i, tier in enumerate(tiers) if tier.when is None), None)
    if unconditional is not None:
        findings += [
            TierFinding("PR132", j, f"tier {j + 1} never applies: tier {unconditional + 1} before it applies always")
            for j in range(unconditional + 1, len(tiers))
        ]
    conditioned = tiers[: unconditional if unconditional is not None else len(tiers)]
    if not conditioned:
        return findings
    found = [_condition(tier.when.tree, domains) for tier in conditioned if tier.when is not None]
    parsed = [condition for condition in found if condition is not None]
    subjects = {subject for condition in parsed for subject in condition}
    if len(parsed) < len(conditioned) or len(subjects) != 1:
        return findings  # conditions on several subjects, or forms this check does not read
    subject = subjects.pop()
    sets = [condition[subject] for condition in parsed]
    covered = _empty_like(sets[0])
    for i, current in enumerate(sets):
        if _is_empty(current):
            findings.append(TierFinding("PR132", i, f"tier {i + 1} never applies: its condition can never hold"))
        elif _is_empty(_minus(current, covered)):
            findings.append(TierFinding("PR132", i, f"tier {i + 1} never applies: earlier tiers cover all of it"))
        elif not _is_empty(shared := _and(current, covered)):
            findings.append(
                TierFinding(
                    "PR130",
                    i,
                    f"tier {i + 1} overlaps an earlier tier where {_show(subject)} is {_text(shared)}; "
                    "the first listed applies there",
                )
            )
        covered = covered | current
    domain = domains.get(subject, _REAL_LINE)
    uncovered = _minus(domain, covered)
    if unconditional is None and indicator.otherwise is None and not _is_empty(uncovered):
        findings.append(
            TierFinding(
                "PR131",
                len(tiers) - 1,
                f"no tier applies where {_show(subject)} is {_text(uncovered)}; add the missing tier, "
                "or an `otherwise` saying why the standard has none",
            )
        )
    return findings


def _condition(node: ast.AST, domains: Mapping[str, frozenset]) -> dict[str, ValueSet] | None:
    """{subject: set of values where the condition holds}, or None for a form not analysed."""
    if isinstance(node, ast.BoolOp):
        found = [_condition(value, domains) for value in node.values]
        parts = [part for part in found if part is not None]
        if len(parts) < len(found) or len({s for part in parts for s in part}) != 1:
            return None
        subject = next(iter(parts[0]))
        combine = _and if isinstance(node.op, ast.And) else operator.or_
        return {subject: reduce(combine, (part[subject] for part in parts))}
    if isinstance(node, ast.Name) and node.id in domains and True in domains[node.id]:
        return {node.id: frozenset({True})}
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        inner = _condition(node.operand, domains)
        if inner is None:
            return None
        subject, values = next(iter(inner.items()))
        return {subject: _minus(domains.get(subject, _REAL_LINE), values)}
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        return _comparison(node.left, node.ops[0], node.comparators[0], domains)
    if isinstance(node, ast.Compare):
        pairs = zip([node.left, *node.comparators], node.ops, node.comparators, strict=False)
        return _condition(
            ast.BoolOp(op=ast.And(), values=[ast.Compare(left=a, ops=[op], comparators=[b]) for a, op, b in pairs]),
            domains,
        )
    return None


_FLIPPED = {ast.Lt: ast.Gt, ast.LtE: ast.GtE, ast.Gt: ast.Lt, ast.GtE: ast.LtE, ast.Eq: ast.Eq, ast.NotEq: ast.NotEq}


def _comparison(
    left: ast.expr, op: ast.cmpop, right: ast.expr, domains: Mapping[str, frozenset]
) -> dict[str, ValueSet] | None:
    if isinstance(left, ast.Constant) and not isinstance(right, ast.Constant):
        left, op, right = right, _FLIPPED[type(op)](), left
    if isinstance(right, ast.Constant) and isinstance(right.value, (bool, str)):
        subject = ast.unparse(left)
        if subject not in domains or not isinstance(op, (ast.Eq, ast.NotEq)):
            return None
        values = frozenset({right.value})
        return {subject: values if isinstance(op, ast.Eq) else domains[subject] - values}
    if isinstance(right, ast.Constant):
        subject, bound = ast.unparse(left), float(right.value)  # type: ignore[arg-type]  # a checked number
    else:
        subject, bound = ast.unparse(ast.BinOp(left=left, op=ast.Sub(), right=right)), 0.0
    intervals = {
        ast.Lt: portion.open(-portion.inf, bound),
        ast.LtE: portion.openclosed(-portion.inf, bound),
        ast.Gt: portion.open(bound, portion.inf),
        ast.GtE: portion.closedopen(bound, portion.inf),
        ast.Eq: portion.singleton(bound),
        ast.NotEq: _REAL_LINE - portion.singleton(bound),
    }
    return {subject: intervals[type(op)]}


def _empty_like(values: ValueSet) -> ValueSet:
    return frozenset() if isinstance(values, frozenset) else portion.empty()


def _is_empty(values: ValueSet) -> bool:
    return not values if isinstance(values, frozenset) else values.empty


def _and(a: ValueSet, b: ValueSet) -> ValueSet:
    return operator.and_(a, b) if type(a) is type(b) else _empty_like(a)


def _minus(a: ValueSet, b: ValueSet) -> ValueSet:
    return a - b


def _text(values: ValueSet) -> str:
    if isinstance(values, frozenset):
        return " or ".join(sorted(str(value).lower() if isinstance(value, bool) else value for value in values))
    return " or ".join(_atomic(part) for part in values)


def _atomic(part: portion.Interval) -> str:
    if part.lower == part.upper:
        return f"exactly {part.lower:g}"
    low = "" if part.lower == -portion.inf else f"{'≥' if part.left == portion.CLOSED else '>'} {part.lower:g}"
    high = "" if part.upper == portion.inf else f"{'≤' if part.right == portion.CLOSED else '<'} {part.upper:g}"
    return " and ".join(bound for bound in (low, high) if bound) or "any value"


def _show(subject: str) -> str:
    """Period names back in the author's notation: x@-1 → lag(x, 1), x@=2020 → at(x, 2020)."""

    def spell(match: re.Match) -> str:
        name, absolute, number = match.groups()
        return f"at({name}, {number})" if absolute else f"lag({name}, {-int(number)})"

    return _PERIOD.sub(spell, subject)
