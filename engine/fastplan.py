"""A plan compiled for the per-park fast path: every formula as a function over one dict of values.

A park-year's facts, factors and derived quantities sit in one dict (the evaluator's own
`State.values`). Each derived quantity, indicator formula, tier condition and class condition
is compiled from its checked tree to read that dict directly (`formula.compile_over_values`),
so a name that is present costs a dict lookup, no call. A name not in the dict goes to the
evaluator's own lookup (`evaluate.Reads`, one per park-year), which applies its rules (zero if
absent, other years, the benchmark park), collects what is missing and words what reads an
error as the evaluator does (`Reads.outcome`). An error of the item's own (a division by zero)
is left to the evaluator to word. The results are therefore the evaluator's by construction;
the differential tests hold the two to that.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from parkrules import compare, formula
from parkrules.evaluate import Reads, State, none_given
from parkrules.pack import Derived, Indicator, Threshold
from parkrules.plan import CLASS_VALUE, Plan
from parkrules.score import points_for

Run = Callable[[dict, Callable[[str], Any], Any, dict], Any]


@dataclass(frozen=True)
class DerivedStep:
    item: Derived
    pack_ref: str
    run: Run
    inventory: bool  # missing when none of its zero-if-absent lines is given (evaluate.none_given)


@dataclass(frozen=True)
class TierStep:
    when: Run | None  # None: applies to every park
    threshold: Threshold
    choice: int  # the index results report for this tier (the first identical tier's)
    met: Callable[[object], bool]  # compare.meets against this tier


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
    factors: dict[str, float | None]  # the factor table's values (a park without overrides uses them)
    years_back: frozenset[int]  # the `x@-n` offsets its formulas read (prev, lag)
    reads_benchmark: bool  # some formula reads benchmark(x)


def compile_fast(plan: Plan) -> FastPlan:
    """Compile every formula of the plan once, for a whole run."""
    computed = set(plan.factors) | {item.id for item, _ in plan.derived}
    derived = []
    for item, pack_ref in plan.derived:
        run = formula.compile_over_values(item.formula, frozenset(item.zero_if_absent - computed))
        inventory = bool(item.zero_if_absent) and not item.zero_when_all_absent
        derived.append(DerivedStep(item, pack_ref, run, inventory))
    indicators = tuple(_indicator_step(indicator) for indicator in plan.indicators)
    factors = {factor_id: slot.value for factor_id, slot in plan.factors.items()}
    names = {name for item, _ in plan.derived for name in item.formula.names}
    for indicator in plan.indicators:
        conditions = [t.when for t in indicator.thresholds if t.when] + [c.when for c in indicator.classes]
        names |= indicator.formula.names.union(*(condition.names for condition in conditions))
    back = formula.years_back(frozenset(names))
    bench = any(formula.special_reference(name) == "bench" for name in names)
    return FastPlan(plan, tuple(derived), indicators, factors, back, bench)


def _indicator_step(indicator: Indicator) -> IndicatorStep:
    tiers = tuple(
        TierStep(
            None if threshold.when is None else formula.compile_over_values(threshold.when),
            threshold,
            _first_same(indicator.thresholds, threshold),
            compare.meeting(threshold.operator, threshold.value),
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


# One indicator's result: status, value, gap (absolute), choice, message, points, missing inputs.
Cells = tuple[str, Any, float | None, int, str | None, float | None, tuple[str, ...] | None]


def judge(step: IndicatorStep, values: dict, miss: Reads, earlier: dict) -> Cells | None:
    """The indicator over the park-year's values, as the evaluator judges it (`miss`: the year's lookup for
    absent names); None where the evaluator must word an error of the indicator's own."""
    miss.restart(frozenset())
    try:
        return _judge(step, values, miss, earlier)
    except Exception:  # anything unusual is the evaluator's to word
        if miss.found:  # an error on the stand-ins' path ends the search, as in the evaluator
            return _missing(miss)
        return None


def _judge(step: IndicatorStep, values: dict, miss: Reads, earlier: dict) -> Cells:
    indicator = step.indicator
    value = step.run(values, miss, None, earlier)
    if miss.found:
        return _missing(miss)
    if step.classes:
        if isinstance(value, float):
            value = compare.rounded(value, indicator.decimals)
        for condition, choice in zip(step.classes, step.class_choices, strict=True):
            holds = condition(values, miss, value, earlier)
            if miss.found:
                return _missing(miss)
            if holds:
                return "classified", value, None, choice, None, None, None
        return "not_applicable", value, None, -1, step.none_applies, None, None
    applied = None
    for tier in step.tiers:
        if tier.when is None:
            applied = tier
            break
        holds = tier.when(values, miss, None, earlier)
        if miss.found:
            return _missing(miss)
        if holds:
            applied = tier
            break
    if indicator.decimals is not None and isinstance(value, float):
        value = compare.rounded(value, indicator.decimals)
    if applied is None:
        return "not_applicable", value, None, -1, step.none_applies, None, None
    threshold = applied.threshold
    status = "pass" if applied.met(value) else "fail"
    gap = compare.shortfall(value, threshold.operator, threshold.value)
    points = None if indicator.score is None else points_for(indicator, status, value, threshold.operator)
    return status, value, gap, applied.choice, None, points, None


def derive_into(step: DerivedStep, state: State, miss: Reads, earlier: dict) -> bool:
    """The quantity into the state's values, or its missing inputs into `state.missing`, as the
    evaluator derives it; False where the evaluator must word an error of the quantity's own."""
    values, item = state.values, step.item
    if step.inventory and none_given(item, state):
        state.missing[item.id] = item.zero_if_absent
        return True
    miss.restart(item.zero_if_absent)
    try:
        value = step.run(values, miss, None, earlier)
        if not miss.found:
            values[item.id] = float(value)
            return True
    except Exception:  # anything unusual is the evaluator's to settle and word
        if not miss.found:
            return False
    message = miss.error()  # an error on the stand-ins' path ends the search, as in the evaluator
    if message is None:
        state.missing[item.id] = miss.leaves()
    else:  # it reads what could not be computed: the evaluator's own wording
        state.errors[item.id] = message
    return True


def _missing(miss: Reads) -> Cells:
    """Missing inputs, or an error where one of them could not be computed (the evaluator's wording)."""
    message = miss.error()
    if message is None:
        return "missing", None, None, -1, None, None, tuple(sorted(miss.leaves()))
    return "error", None, None, -1, message, None, None
