"""What it takes: for a failing indicator, the change in one input (others held fixed) that makes it pass.

Each numeric fact the indicator reads this year (directly or through derived quantities) that the
vocabulary marks as a lever, moved only in its direction (`reduce` coal, `raise` green power),
and each vocabulary shift touching one (grid power → green power), is tried alone. The search re-evaluates
the indicator exactly as the assessment does (tiers, rounding, missing data), so a suggested value
passes by construction: a scan outward from the current value finds a passing value, then
bisection narrows the step while always keeping the passing end. Written by hand rather than with
scipy's root finders: the function is a pass/fail step, not a smooth root, and scipy would be a
40 MB dependency for twenty lines.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import partial
from typing import cast

from parkrules.base.names import Names
from parkrules.base.status import Status
from parkrules.formula import periods
from parkrules.io import units
from parkrules.io.park import FactValue, Park, Year
from parkrules.io.vocabulary import Fact, Shift, Vocabulary
from parkrules.model.pack import Indicator
from parkrules.model.plan import Plan
from parkrules.model.result import IndicatorResult, Remedy
from parkrules.run.evaluate import Context, Timeline, evaluate_indicator, split_factors

NUMERIC_KINDS = ("quantity", "ratio", "count")
# Multipliers tried outward from the current value, nearest first; from zero, absolute amounts.
SCALE_UP = (1.01, 1.05, 1.1, 1.25, 1.5, 2, 3, 5, 10, 100, 1e3, 1e4, 1e6)
SCALE_DOWN = (0.99, 0.95, 0.9, 0.8, 0.6, 0.4, 0.2, 0.1, 0.01, 0.0)
FROM_ZERO = tuple(10.0**k for k in range(-2, 13))
PRECISION = 1e-7  # relative width at which bisection stops


def with_remedies(
    plan: Plan,
    park: Park,
    year: int,
    factors: dict[str, float | None],
    context: Context,
    vocabulary: Vocabulary,
    results: list[IndicatorResult],
) -> list[IndicatorResult]:
    """`results` with what it takes attached to each failing indicator."""
    indicators = {indicator.id: indicator for indicator in plan.indicators}
    factors = factors | _of_factors(plan, year, factors, context)
    out = []
    for result in results:
        if result.status == Status.FAIL:
            search = _Search(plan, park, year, factors, context, indicators[result.id], vocabulary)
            result = replace(result, remedies=tuple(search.remedies()))
        out.append(result)
    return out


class _Search:
    """The levers of one failing indicator, each tried alone against the real evaluation."""

    def __init__(
        self,
        plan: Plan,
        park: Park,
        year: int,
        factors: dict[str, float | None],
        context: Context,
        indicator: Indicator,
        vocabulary: Vocabulary,
    ) -> None:
        self.plan, self.park, self.year, self.context = plan, park, year, context
        self.factors = split_factors(factors)  # once: the search evaluates the indicator hundreds of times
        self.indicator, self.vocabulary = indicator, vocabulary
        needs, self.inputs = _dependencies(plan, indicator)
        self.needs = needs - plan.of_factors  # worked out once, among `factors`

    def remedies(self) -> list[Remedy]:
        vocabulary = self.vocabulary
        facts = self.park.years[self.year].facts
        found = []
        for fact_id in sorted(self.inputs):
            fact = vocabulary.facts.get(fact_id)
            if fact is None or fact.lever is None or fact.kind not in NUMERIC_KINDS or not self._variable(fact_id):
                continue
            current = _number(facts, fact_id)
            low, high = _bounds(fact, current)
            if fact.lever == "reduce":
                high = current
            else:
                low = current
            target = _solve(partial(self._moved, fact_id), current, low, high)
            if target is None and fact_id not in facts:
                continue  # an input the park does not report, which would not help: not worth a line
            found.append(self._remedy(fact, fact_id, "input", fact.name, current, target))
        for shift in vocabulary.shifts:
            movable = shift.source in facts and facts[shift.source].value
            if movable and {shift.source, shift.target} & self.inputs and self._variable(shift.target):
                found.append(self._shift(shift))
        return found

    def _shift(self, shift: Shift) -> Remedy:
        facts = self.park.years[self.year].facts
        available, receiving = _number(facts, shift.source), _number(facts, shift.target)

        def moved(amount: float) -> bool:
            return self._passes({shift.source: available - amount, shift.target: receiving + amount})

        amount = _solve(moved, 0.0, 0.0, available)
        fact = self.vocabulary.facts[shift.source]
        remedy = self._remedy(fact, shift.id, "shift", shift.name, available, amount)
        return replace(remedy, change=remedy.target, source=shift.source, destination=shift.target)

    def _remedy(self, fact: Fact, lever: str, kind: str, name: Names, current: float, target: float | None) -> Remedy:
        unit = _display_unit(self.park.years[self.year].facts, fact, self.vocabulary)
        shown_current = units.convert(current, fact.unit, unit)
        shown_target = None if target is None else units.convert(target, fact.unit, unit)
        change = None if shown_target is None else shown_target - shown_current
        return Remedy(lever, kind, name, unit, shown_current, shown_target, change)

    def _variable(self, fact_id: str) -> bool:
        """A fact given this year, or one a derived quantity takes as zero when absent (a park may add it)."""
        if fact_id in self.park.years[self.year].facts:
            return True
        return any(fact_id in item.zero_if_absent for item, _ in self.plan.derived if item.id in self.needs)

    def _moved(self, fact_id: str, value: float) -> bool:
        """Whether the indicator passes with one input at `value`."""
        return self._passes({fact_id: value})

    def _passes(self, values: dict[str, float]) -> bool:
        year = self.park.years[self.year]
        changed = {
            fact_id: FactValue(value, f"{value:g}", year.facts[fact_id].source if fact_id in year.facts else None)
            for fact_id, value in values.items()
        }
        years = {**self.park.years, self.year: Year({**year.facts, **changed}, year.exclusions)}
        result = evaluate_indicator(self.plan, years, self.year, self.factors, self.context, self.indicator, self.needs)
        return result.status == Status.PASS


def _dependencies(plan: Plan, indicator: Indicator) -> tuple[frozenset[str], frozenset[str]]:
    """The derived quantities the indicator needs (any year), and the facts it reads this year through them."""
    derived = {item.id: item for item, _ in plan.derived}
    roots = {
        name for expr in (indicator.formula, *(t.when for t in indicator.thresholds if t.when)) for name in expr.names
    }

    def closure(names: set[str], this_year_only: bool) -> set[str]:
        seen: set[str] = set()
        pending = list(names)
        while pending:
            name = pending.pop()
            base = periods.split_period(name)[0]
            if (this_year_only and base != name) or base in seen:
                continue
            seen.add(base)
            if base in derived:
                pending += derived[base].formula.names
        return seen

    needs = closure(roots, this_year_only=False) & derived.keys()
    return frozenset(needs), frozenset(closure(roots, this_year_only=True) - derived.keys())


def _of_factors(plan: Plan, year: int, factors: dict[str, float | None], context: Context) -> dict[str, float | None]:
    """The quantities that read only factors (a fuel's factor from its parts), worked out once for the whole search:
    no lever moves them. One that cannot be computed is a factor with no value, as the evaluation would read it."""
    if not plan.of_factors:
        return {}
    state, _ = Timeline(plan, {year: Year()}, factors, context, plan.of_factors).build(year)
    return {item_id: cast(float | None, state.values.get(item_id)) for item_id in plan.of_factors}  # a quantity


def _solve(passes: Callable[[float], bool], current: float, low: float, high: float) -> float | None:
    """The passing value nearest `current` found within [low, high], or None."""
    best = None
    for candidates in (_upward(current, high), _downward(current, low)):
        failing = current
        for candidate in candidates:
            if passes(candidate):
                found = _bisect(passes, failing, candidate)
                if best is None or abs(found - current) < abs(best - current):
                    best = found
                break
            failing = candidate
    return best


def _upward(current: float, high: float) -> list[float]:
    steps = [current * m for m in SCALE_UP] if current > 0 else list(FROM_ZERO)
    return [v for v in steps if v <= high] + ([high] if high < float("inf") and high > current else [])


def _downward(current: float, low: float) -> list[float]:
    if current <= low:
        return []
    return [low + (current - low) * m for m in SCALE_DOWN]


def _bisect(passes: Callable[[float], bool], failing: float, passing: float) -> float:
    """Narrow [failing, passing] and return its passing end, so the answer passes by construction."""
    for _ in range(200):
        if abs(passing - failing) <= PRECISION * max(abs(passing), abs(failing), 1e-12):
            break
        middle = (failing + passing) / 2
        if passes(middle):
            passing = middle
        else:
            failing = middle
    return passing


def _bounds(fact: Fact, current: float) -> tuple[float, float]:
    low = fact.minimum if fact.minimum is not None else 0.0
    high = fact.maximum if fact.maximum is not None else float("inf")
    return min(low, current), max(high, current)


def _number(facts: Mapping[str, FactValue], fact_id: str) -> float:
    fact = facts.get(fact_id)
    return float(fact.value) if fact is not None else 0.0


def _display_unit(facts: Mapping[str, FactValue], fact: Fact, vocabulary: Vocabulary) -> str:
    """The unit the park file wrote this input in ("55 GWh" → GWh); for an input it does not report, the unit
    it wrote another input of the same dimension in (green power in GWh beside grid power in GWh)."""
    given = [facts[fact.id]] if fact.id in facts else []
    given += [
        value
        for other, value in facts.items()
        if other in vocabulary.facts and vocabulary.facts[other].unit == fact.unit
    ]
    for value in given:
        parts = value.given.split(maxsplit=1)
        if len(parts) == 2:
            try:
                units.convert(1.0, parts[1], fact.unit)
                return parts[1]
            except units.UnitError:
                continue
    return fact.unit
