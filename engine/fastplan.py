"""A plan compiled for the per-park fast path: every formula as a function over one dict of values.

A park-year's facts, factors and derived quantities sit in one dict (the evaluator's own
`State.values`). Each derived quantity, indicator formula, tier condition and class condition
is compiled from its checked tree to read that dict directly (`formula.compile_over_values`),
so a park-year with its inputs present runs at the speed of hand-written Python. Whatever such
a function cannot settle (it raises: an absent input, a factor without value, a reference to
another year, a division by zero) is handed, item by item, to the evaluator with the same
state, which names the missing inputs or words the error. The results are therefore the
evaluator's by construction; the differential tests hold the two to that.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from parkrules import compare, formula
from parkrules.pack import Derived, Indicator, Threshold
from parkrules.plan import CLASS_VALUE, Plan
from parkrules.score import points_for

Run = Callable[[dict, set, Any], Any]


@dataclass(frozen=True)
class DerivedStep:
    item: Derived
    pack_ref: str
    run: Run
    # zero_if_absent names, when the quantity is missing unless at least one of them is known
    needs_one_of: tuple[str, ...]


@dataclass(frozen=True)
class TierStep:
    when: Run | None  # None: applies to every park
    threshold: Threshold
    choice: int  # the index results report for this tier (the first identical tier's)


@dataclass(frozen=True)
class IndicatorStep:
    indicator: Indicator
    run: Run
    tiers: tuple[TierStep, ...]
    classes: tuple[Run, ...]  # conditions, in order; the first that holds gives the class
    class_choices: tuple[int, ...]
    none_applies: str  # the message when no tier or class applies


@dataclass(frozen=True)
class FastPlan:
    plan: Plan
    derived: tuple[DerivedStep, ...]
    indicators: tuple[IndicatorStep, ...]


def compile_fast(plan: Plan) -> FastPlan:
    """Compile every formula of the plan once, for a whole run."""
    computed = set(plan.factors) | {item.id for item, _ in plan.derived}
    derived = []
    for item, pack_ref in plan.derived:
        zero_facts = frozenset(item.zero_if_absent - computed)
        run = formula.compile_over_values(item.formula, zero_facts, item.zero_if_absent & computed)
        needs = tuple(sorted(item.zero_if_absent)) if item.zero_if_absent and not item.zero_when_all_absent else ()
        derived.append(DerivedStep(item, pack_ref, run, needs))
    return FastPlan(plan, tuple(derived), tuple(_indicator_step(indicator) for indicator in plan.indicators))


def _indicator_step(indicator: Indicator) -> IndicatorStep:
    tiers = tuple(
        TierStep(
            None if threshold.when is None else formula.compile_over_values(threshold.when),
            threshold,
            _first_same(indicator.thresholds, threshold),
        )
        for threshold in indicator.thresholds
    )
    classes = tuple(formula.compile_over_values(entry.when, own=CLASS_VALUE) for entry in indicator.classes)
    choices = tuple(
        next(i for i, other in enumerate(indicator.classes) if other.id == entry.id) for entry in indicator.classes
    )
    default = "no class applies" if indicator.classes else "no threshold tier applies"
    none_applies = indicator.otherwise.en if indicator.otherwise else default
    return IndicatorStep(
        indicator, formula.compile_over_values(indicator.formula), tiers, classes, choices, none_applies
    )


def _first_same(thresholds: tuple[Threshold, ...], threshold: Threshold) -> int:
    """Results name a tier by its limit, tier and clause; identical tiers report the first one's index."""
    return next(
        index
        for index, other in enumerate(thresholds)
        if (other.tier, other.clause, other.operator, other.value)
        == (threshold.tier, threshold.clause, threshold.operator, threshold.value)
    )


# One indicator's result on the fast path: status, value, gap (absolute), choice, message, points.
Cells = tuple[str, Any, float | None, int, str | None, float | None]


def judge(step: IndicatorStep, values: dict, gone: set) -> Cells:
    """The indicator over the park-year's values, as the evaluator judges it; raises where the evaluator must."""
    indicator = step.indicator
    value = step.run(values, gone, None)
    if step.classes:
        if isinstance(value, float):
            value = compare.rounded(value, indicator.decimals)
        for condition, choice in zip(step.classes, step.class_choices, strict=True):
            if condition(values, gone, value):
                return "classified", value, None, choice, None, None
        return "not_applicable", value, None, -1, step.none_applies, None
    applied = next((tier for tier in step.tiers if tier.when is None or tier.when(values, gone, None)), None)
    if isinstance(value, float):
        value = compare.rounded(value, indicator.decimals)
    if applied is None:
        return "not_applicable", value, None, -1, step.none_applies, None
    threshold = applied.threshold
    status = "pass" if compare.meets(value, threshold.operator, threshold.value) else "fail"
    gap = compare.gap(value, threshold.operator, threshold.value)
    points = points_for(indicator, status, value, threshold.operator)
    return status, value, None if gap is None else gap.absolute, applied.choice, None, points
