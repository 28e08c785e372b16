"""A plan compiled for the per-park fast path: a pack's park-year as one function over one dict of values.

A park-year's facts and derived quantities sit in one dict (the evaluator's own `State.values`).
Every derived quantity, indicator formula and tier condition of the pack is one generated
function of that dict (`yearcode.py`), the factor table's values constants in it; a park with
its own factor values gets the same function reading them from the dict. A name present costs
a dict lookup; a name absent goes to the evaluator's own lookup (`evaluate.Reads`, one per
park-year), which applies its rules (zero if absent, other years, the benchmark park), collects
what is missing and words what reads an error as the evaluator does. What the function leaves
is settled here, as before: classes by `classify` (each formula compiled over the dict), an error
of the item's own (a division by zero) and an excluded indicator by the evaluator. The results
are therefore the evaluator's by construction; the differential tests hold the two to that.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from parkrules.base.status import Status
from parkrules.formula import formula
from parkrules.io.park import Year
from parkrules.model.pack import Derived, Indicator, Threshold
from parkrules.model.plan import CLASS_VALUE, Plan
from parkrules.model.result import IndicatorResult
from parkrules.rules import compare
from parkrules.rules.results_block import STATUS, choice_of, tier_choice
from parkrules.rules.score import points_for
from parkrules.run import yearcode
from parkrules.run.evaluate import FactorSplit, State, derive, split_factors
from parkrules.run.indicator_result import indicator_result
from parkrules.run.lookup import Reads

Run = Callable[[dict, Callable[[str], Any], Any, dict], Any]


@dataclass(frozen=True)
class TierStep:
    threshold: Threshold  # its `when`, if any, is a condition of the year function
    choice: int  # the index results report for this tier (the first identical tier's)
    met: Callable[[object], bool]  # compare.meets against this tier


@dataclass(frozen=True)
class IndicatorStep:
    indicator: Indicator
    tiers: tuple[TierStep, ...]
    run: Run | None  # the formula over the dict, for `classify`; None where the indicator has no classes
    classes: tuple[Run, ...]  # conditions, in order; the first that holds gives the class
    class_choices: tuple[int, ...]
    none_applies: str  # the message when no tier or class applies


@dataclass(frozen=True)
class FastPlan:
    plan: Plan
    indicators: tuple[IndicatorStep, ...]
    split: FactorSplit  # the factor table's values (a park without overrides uses them), split once for every park
    years_back: frozenset[int]  # the `x@-n` offsets its formulas read (prev, lag)
    reads_benchmark: bool  # some formula reads benchmark(x)
    by_table: yearcode.YearFunction  # a park-year with the table's factors (constants where `factors_later`)
    factors_later: bool  # by_table reads the table's factors as constants: a year's values need not hold them

    @cached_property
    def by_name(self) -> yearcode.YearFunction:
        """A park-year reading every factor from its values: for a park with its own factor values."""
        return _year_function(self.plan, self.indicators, {})


def compile_fast(plan: Plan) -> FastPlan:
    """Compile every formula of the plan once, for a whole run."""
    indicators = tuple(_indicator_step(indicator) for indicator in plan.indicators)
    factors = {factor_id: slot.value for factor_id, slot in plan.factors.items()}
    names = {name for item, _ in plan.derived for name in item.formula.names}
    for indicator in plan.indicators:
        conditions = [t.when for t in indicator.thresholds if t.when] + [c.when for c in indicator.classes]
        names |= indicator.formula.names.union(*(condition.names for condition in conditions))
    back = formula.years_back(frozenset(names))
    bench = any(formula.special_reference(name) == "bench" for name in names)
    later = _factors_read_plainly(plan, names)
    by_table = _year_function(plan, indicators, factors if later else {}, plan.of_factors if later else frozenset())
    return FastPlan(plan, indicators, split_factors(factors), back, bench, by_table, later)


def _factors_read_plainly(plan: Plan, names: set[str]) -> bool:
    """Whether every factor is read only as itself this year, or as has(factor): then the factor table's values
    can be constants (has: whether the table gives a value) and a year's values need not hold them. Another
    year's factor (prev, base, …) is read from that year's values.
    (Zero-if-absent lines are facts, and no factor has a fact's id: `plan.py`.)"""
    other_years = {
        formula.split_period(name)[0]
        for name in names
        if formula.PERIOD_MARK in name and formula.special_reference(name) != "has"
    }
    return other_years.isdisjoint(plan.factors)


def _year_function(
    plan: Plan,
    indicators: tuple[IndicatorStep, ...],
    constants: dict[str, float | None],
    of_constants: frozenset[str] = frozenset(),
) -> yearcode.YearFunction:
    computed = frozenset(plan.factors) | {item.id for item, _ in plan.derived}
    return yearcode.generate(tuple(plan.derived), indicators, computed, constants, _HELPERS, of_constants)


def _indicator_step(indicator: Indicator) -> IndicatorStep:
    tiers = tuple(
        TierStep(
            threshold,
            tier_choice(indicator.thresholds, threshold),
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
    run = formula.compile_over_values(indicator.formula) if indicator.classes else None
    return IndicatorStep(indicator, tiers, run, classes, choices, none_applies)


# One indicator's result: status (its code), value, gap (absolute), choice, message, points, missing inputs.
Cells = tuple[int, Any, float | None, int, str | None, float | None, tuple[str, ...] | None]
CELLS = 7  # the fields of Cells
PASS, FAIL, MISSING, ERROR, NOT_APPLICABLE, CLASSIFIED = (
    STATUS[status]
    for status in (Status.PASS, Status.FAIL, Status.MISSING, Status.ERROR, Status.NOT_APPLICABLE, Status.CLASSIFIED)
)


def classify(step: IndicatorStep, values: dict, miss: Reads, earlier: dict) -> Cells | None:
    """An indicator with classes over the park-year's values, as the evaluator classifies it (`miss`: the year's
    lookup for absent names); None where the evaluator must word an error of the indicator's own."""
    miss.restart(frozenset())
    try:
        return _classify(step, values, miss, earlier)
    except Exception:  # anything unusual is the evaluator's to word
        if miss.found:  # an error on the stand-ins' path ends the search, as in the evaluator
            return missing_cells(miss)
        return None


def _classify(step: IndicatorStep, values: dict, miss: Reads, earlier: dict) -> Cells:
    value = step.run(values, miss, None, earlier)
    if miss.found:
        return missing_cells(miss)
    value = rounded(value, step.indicator.decimals)
    for condition, choice in zip(step.classes, step.class_choices, strict=True):
        holds = condition(values, miss, value, earlier)
        if miss.found:
            return missing_cells(miss)
        if holds:
            return CLASSIFIED, value, None, choice, None, None, None
    return NOT_APPLICABLE, value, None, -1, step.none_applies, None, None


def tier_cells(step: IndicatorStep, index: int, value: object) -> Cells:
    """The indicator's value against the tier that applies: pass or fail, the gap and the points."""
    indicator, tier = step.indicator, step.tiers[index]
    value = rounded(value, indicator.decimals)
    threshold = tier.threshold
    met = tier.met(value)
    gap = compare.shortfall(value, threshold.operator, threshold.value)
    points = None
    if indicator.score is not None:
        points = points_for(indicator, Status.PASS if met else Status.FAIL, value, threshold.better)
    return PASS if met else FAIL, value, gap, tier.choice, None, points, None


def rounded(value: object, decimals: int | None) -> object:
    """A float rounded as the indicator states (other values as they are)."""
    if decimals is not None and isinstance(value, float):
        return compare.rounded(value, decimals)
    return value


def missing_cells(miss: Reads) -> Cells:
    """Missing inputs, or an error where one of them could not be computed (the evaluator's wording); the
    lookup is emptied for the next item."""
    if miss.failing:
        cells = ERROR, None, None, -1, miss.error(), None, None
    else:
        cells = MISSING, None, None, -1, None, None, _sorted(miss.leaves())
    miss.clear()
    return cells


@lru_cache(maxsize=4096)  # the same few sets of absent inputs recur from park to park
def _sorted(leaves: frozenset[str]) -> tuple[str, ...]:
    return tuple(sorted(leaves))


def result_cells(result: IndicatorResult, choice: int) -> Cells:
    """The evaluator's result as cells."""
    gap = None if result.gap is None else result.gap.absolute
    missing = result.missing if result.status == Status.MISSING else None
    return STATUS[result.status], result.value, gap, choice, result.message, result.points, missing


def _settle(miss: Reads, state: State, item_id: str) -> None:
    """A derived quantity that read what is absent: missing its inputs, or an error if one could not be computed."""
    if miss.failing:
        state.errors[item_id] = miss.error()
    else:
        state.missing[item_id] = miss.leaves()
    miss.clear()


def _derive(derived: tuple[Derived, str], state: State) -> None:
    """An error of the quantity's own: the evaluator words it."""
    state.complete()
    derive(*derived, state)


def _evaluated(step: IndicatorStep, state: State, data: Year) -> Cells:
    """The evaluator's result: an error of the indicator's own, or an excluded indicator."""
    state.complete()
    result = indicator_result(step.indicator, data, state)
    return result_cells(result, choice_of(step.indicator, result))


def _classified(step: IndicatorStep, state: State, miss: Reads, earlier: dict, data: Year) -> Cells:
    """An indicator with classes, through `classify`."""
    if step.indicator.id in data.exclusions:
        return _evaluated(step, state, data)
    state.complete()
    cells = classify(step, state.values, miss, earlier)
    return _evaluated(step, state, data) if cells is None else cells


_HELPERS = {
    "_settle": _settle,
    "_derive": _derive,
    "_evaluated": _evaluated,
    "_classified": _classified,
    "_tier_cells": tier_cells,
    "_missing_cells": missing_cells,
    "_rounded": rounded,
}
