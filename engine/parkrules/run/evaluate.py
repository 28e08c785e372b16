"""Evaluating a compiled plan for one park and one year.

Missing data is never zero: a formula that reads an absent input is `missing` and names the
absent facts, unless the pack lists that input under `zero_if_absent` (an inventory lists
only the fuels a park uses); such assumed zeros are carried into the result so a reader sees
them. Names are read lazily, so an input on a branch not taken (a process factor for a
product the park does not make) is never demanded. Evaluation errors (e.g. division by zero)
become an `error` status with a message.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from parkrules.base.errors import Location, ParkrulesError
from parkrules.base.status import Status
from parkrules.io import units
from parkrules.io.park import Park, Year
from parkrules.model.pack import Derived, Indicator
from parkrules.model.plan import Plan
from parkrules.model.result import DerivedResult, FactorUsed, IndicatorResult
from parkrules.run.indicator_result import indicator_result
from parkrules.run.lookup import Outcome, not_a_number, run


@dataclass(frozen=True)
class Benchmark:
    """The park others are compared with (catch-up decoupling): its years and its factor values."""

    years: dict[int, Year]
    factors: dict[str, float | None]


@dataclass(frozen=True)
class Context:
    """What a run adds to a park's own data: the base year of `base(x)` and a benchmark park."""

    base: int | None = None
    benchmark: Benchmark | None = None


@dataclass
class State:
    """One year's values so far, and for every unknown name why it is unknown."""

    year: int
    timeline: Timeline
    values: dict[str, object] = field(default_factory=dict)
    missing: dict[str, frozenset[str]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    assumed: dict[str, frozenset[str]] = field(default_factory=dict)

    def leaves(self, name: str) -> frozenset[str]:
        """The absent inputs behind an unavailable name of this year."""
        return self.missing.get(name, frozenset({name}))


@dataclass(frozen=True)
class FactorSplit:
    """A park's factor values split once: those with a value, and the absent leaf of each without one."""

    values: dict[str, float]
    missing: dict[str, frozenset[str]]


def split_factors(factors: dict[str, float | None]) -> FactorSplit:
    return FactorSplit(
        {factor_id: value for factor_id, value in factors.items() if value is not None},
        {factor_id: frozenset({f"factor:{factor_id}"}) for factor_id, value in factors.items() if value is None},
    )


class Timeline:
    """Every year of one park under one plan; earlier years are computed only when a formula asks."""

    def __init__(
        self,
        plan: Plan,
        years: dict[int, Year],
        factors: dict[str, float | None] | FactorSplit,
        context: Context | None = None,
        only: frozenset[str] | None = None,
    ):
        self.plan = plan
        self.only = only  # the derived quantities to compute (None: all), when one indicator is re-evaluated
        self.years = years
        self.context = context or Context()
        self.states: dict[int, State] = {}
        # every year reads the same factors: split once into values and missing ones (by the caller, for many parks)
        split = factors if isinstance(factors, FactorSplit) else split_factors(factors)
        self.factor_values = split.values
        self.factors_missing = split.missing
        self.benchmark = (
            Timeline(plan, self.context.benchmark.years, self.context.benchmark.factors, Context(self.context.base))
            if self.context.benchmark is not None
            else None
        )

    def base_year(self, year: int) -> int:
        """The year `base(x)` reads: the run's base year, else the year before `year`."""
        return self.context.base if self.context.base is not None else year - 1

    def start(self, year: int) -> State:
        """The year's state before any derived quantity: its facts and the factors, registered on the timeline."""
        state = State(year, self, {**self.years[year].values, **self.factor_values}, dict(self.factors_missing))
        self.states[year] = state
        return state

    def build(self, year: int) -> tuple[State, list[DerivedResult]]:
        state = self.start(year)
        derived = self.plan.derived if self.only is None else [d for d in self.plan.derived if d[0].id in self.only]
        results = [derive(item, pack_ref, state) for item, pack_ref in derived]
        return state, results

    def state(self, year: int) -> State | None:
        if year not in self.years:
            return None
        if year not in self.states:
            self.build(year)
        return self.states[year]


def factor_values(plan: Plan, park: Park) -> tuple[dict[str, float | None], list[FactorUsed]]:
    """The factor values this park uses: its overrides where given, else the table's."""
    values: dict[str, float | None] = {}
    used: list[FactorUsed] = []
    for factor_id, slot in plan.factors.items():
        override = park.factor_overrides.get(factor_id)
        value: float | None
        if override is not None:
            try:
                value = units.convert(override.value, override.unit, slot.unit)
            except units.UnitError as exc:
                raise ParkrulesError(str(exc), Location(park.file, override.line, f"factors.{factor_id}")) from exc
            used.append(
                FactorUsed(
                    factor_id,
                    value,
                    slot.unit,
                    f"park override ({override.table})" if override.table else "park override",
                    override.source,
                    True,
                    override.provisional,
                    slot.headline,
                )
            )
        else:
            value = slot.value
            used.append(
                FactorUsed(
                    factor_id,
                    value,
                    slot.unit,
                    slot.table,
                    slot.factor.source,
                    False,
                    slot.factor.provisional,
                    slot.headline,
                )
            )
        values[factor_id] = value
    return values, used


def evaluate_plan(
    plan: Plan,
    years: dict[int, Year],
    year: int,
    factors: dict[str, float | None],
    context: Context | None = None,
) -> tuple[list[DerivedResult], list[IndicatorResult]]:
    """Derived quantities and indicators of one year; other years are read only through period references."""
    state, derived_results = Timeline(plan, years, factors, context).build(year)
    indicator_results = [indicator_result(indicator, years[year], state) for indicator in plan.indicators]
    return derived_results, indicator_results


def evaluate_years(
    plan: Plan,
    years: dict[int, Year],
    wanted: list[int],
    factors: dict[str, float | None],
    context: Context | None = None,
) -> dict[int, list[IndicatorResult]]:
    """Indicators of several years on one timeline, so a year read by many (a base or lag year) is computed once."""
    timeline = Timeline(plan, years, factors, context)
    results = {}
    for year in wanted:
        state = timeline.state(year)
        assert state is not None, year  # a year of the park's own
        results[year] = [indicator_result(indicator, years[year], state) for indicator in plan.indicators]
    return results


@dataclass(frozen=True)
class YearValues:
    """Every name's value in one year, and why each unknown one is unknown (for `parkrules explain`)."""

    values: dict[str, object]
    missing: dict[str, frozenset[str]]
    errors: dict[str, str]


def values_by_year(
    plan: Plan, years: dict[int, Year], factors: dict[str, float | None], context: Context | None = None
) -> dict[int, YearValues]:
    """All derived quantities of every year, on one timeline."""
    timeline = Timeline(plan, years, factors, context)
    states = {year: timeline.state(year) for year in sorted(years)}
    return {year: YearValues(s.values, s.missing, s.errors) for year, s in states.items() if s is not None}


def evaluate_indicator(
    plan: Plan,
    years: dict[int, Year],
    year: int,
    factors: dict[str, float | None] | FactorSplit,
    context: Context | None,
    indicator: Indicator,
    needs: frozenset[str],
) -> IndicatorResult:
    """One indicator of one year, computing only the derived quantities in `needs` (for what-it-takes searches, which
    split the factors once: `split_factors`)."""
    state, _ = Timeline(plan, years, factors, context, needs).build(year)
    return indicator_result(indicator, years[year], state)


def derive(item: Derived, pack_ref: str, state: State) -> DerivedResult:
    if none_given(item, state):
        outcome = Outcome(status=Status.MISSING, missing=item.zero_if_absent)
    else:
        outcome = run(item.formula, state, item.zero_if_absent)
    value = None
    if outcome.status == Status.COMPUTED:
        try:
            value = float(outcome.value)  # type: ignore[arg-type]  # what is not a number is caught below
        except (TypeError, ValueError, OverflowError):  # text; a whole number past a float's range
            outcome = Outcome(status=Status.ERROR, message=not_a_number(item.formula.text))
    if outcome.status == Status.COMPUTED:
        state.values[item.id] = value
        state.assumed[item.id] = outcome.assumed
    elif outcome.status == Status.MISSING:
        state.missing[item.id] = outcome.missing
    else:
        state.errors[item.id] = outcome.message or ""
    return DerivedResult(
        id=item.id,
        name=item.name,
        pack=pack_ref,
        value=value,
        unit=item.unit,
        status=outcome.status,
        missing=tuple(sorted(outcome.missing)),
        assumed_zero=tuple(sorted(outcome.assumed)),
        message=outcome.message,
        clause=item.clause,
        headline=item.headline,
    )


def none_given(item: Derived, state: State) -> bool:
    """An inventory with not one line given (and not declared zero then): missing all its lines, not zero."""
    lines = item.zero_if_absent
    return (
        bool(lines)
        and not item.zero_when_all_absent
        and state.values.keys().isdisjoint(lines)  # the keys' own isdisjoint loops over `lines` in C
        and state.missing.keys().isdisjoint(lines)
        and state.errors.keys().isdisjoint(lines)
    )
