"""Evaluating a compiled plan for one park and one year.

Missing data is never zero: a formula that reads an absent input is `missing` and names the
absent facts, unless the pack lists that input under `zero_if_absent` (an inventory lists
only the fuels a park uses); such assumed zeros are carried into the result so a reader sees
them. Names are read lazily, so an input on a branch not taken (a process factor for a
product the park does not make) is never demanded. Evaluation errors (e.g. division by zero)
become an `error` status with a message.
"""

from __future__ import annotations

import contextlib
import math
import operator
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from parkrules.base import operators
from parkrules.base.errors import Location, ParkrulesError
from parkrules.base.status import Status
from parkrules.formula import formula
from parkrules.io import units
from parkrules.io.park import Park, Year
from parkrules.model.pack import Derived, Indicator
from parkrules.model.plan import CLASS_VALUE, Plan
from parkrules.model.result import ClassApplied, DerivedResult, FactorUsed, IndicatorResult, ThresholdApplied
from parkrules.rules import compare
from parkrules.rules.score import points_for

NO_BENCHMARK = "benchmark park"  # the missing input when a formula reads benchmark(x) and none is given
_PERIOD_MARK = formula.PERIOD_MARK
_FIRST = operator.itemgetter(0)
_EVAL_ERRORS = (ZeroDivisionError, OverflowError, formula.FormulaError, TypeError, ValueError)


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
    # factor values not yet in `values`: the per-park path reads them as constants (`yearcode.py`)
    pending: dict[str, object] | None = None

    def leaves(self, name: str) -> frozenset[str]:
        """The absent inputs behind an unavailable name of this year."""
        return self.missing.get(name, frozenset({name}))

    def complete(self) -> None:
        """Every factor value in `values`, as the evaluator's lookups read them."""
        if self.pending is not None:
            self.values.update(self.pending)
            self.pending = None


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

    def start(self, year: int, factors_later: bool = False) -> State:
        """The year's state before any derived quantity: its facts and the factors (`factors_later`: pending, for
        `State.complete`), registered on the timeline."""
        facts = self.years[year].values
        if factors_later:
            state = State(year, self, dict(facts), dict(self.factors_missing), {}, {}, self.factor_values)
        else:
            state = State(year, self, {**facts, **self.factor_values}, dict(self.factors_missing))
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


class _Names(Mapping):
    """The names a formula sees; records what it read, assumed zero or could not find."""

    def __init__(
        self,
        state: State,
        zero_if_absent: frozenset[str],
        own: Mapping[str, object] | None = None,
    ) -> None:
        self.state = state
        self.zero_if_absent = zero_if_absent
        self.own = own or {}  # names bound by the caller: a class condition's `value`
        self.read: dict[str, object] = {}
        self.assumed: set[str] = set()

    def __getitem__(self, name: str) -> object:
        state = self.state
        if name in self.own:
            self.read[name] = self.own[name]
            return self.own[name]
        if formula.PERIOD_MARK in name:
            return self._other_year(name)
        if name in state.values:
            self.assumed |= state.assumed.get(name, frozenset())
            value = state.values[name]
        elif name in self.zero_if_absent and name not in state.missing and name not in state.errors:
            self.assumed.add(name)
            value = 0.0
        else:
            raise formula.Unavailable(name, state.leaves(name), name in state.errors, state.errors.get(name))
        self.read[name] = value
        return value

    def _other_year(self, name: str) -> object:
        base, relative, absolute = formula.split_period(name)
        special = formula.special_reference(name)
        timeline = self.state.timeline
        if special == "has":
            present = base in self.state.values
            self.read[name] = present
            return present
        if special == "bench":
            if timeline.benchmark is None:
                raise formula.Unavailable(name, frozenset({NO_BENCHMARK}))
            year = self.state.year
            return self._read_from(timeline.benchmark.state(year), year, name, base, "benchmark:")
        if special == "base":
            year = timeline.base_year(self.state.year)
        else:
            year = absolute if absolute is not None else self.state.year + relative
        if year > self.state.year or (special == "base" and year == self.state.year):
            raise formula.FormulaError(f"{name!r} refers to {year}, not before the assessed year {self.state.year}")
        if year == self.state.year:
            return self[base]
        return self._read_from(timeline.state(year), year, name, base, "")

    def _read_from(self, other: State | None, year: int, name: str, base: str, prefix: str) -> object:
        """`base` as another year's state (or the benchmark park's) has it; absent inputs are named with that year."""
        if other is None:
            raise formula.Unavailable(name, frozenset({f"{prefix}{base}@{year}"}))
        if base in other.values:
            self.assumed |= {f"{prefix}{leaf}@{year}" for leaf in other.assumed.get(base, frozenset())}
            value = other.values[base]
        elif base in self.zero_if_absent and base not in other.missing and base not in other.errors:
            self.assumed.add(f"{prefix}{base}@{year}")
            value = 0.0
        elif base in other.errors:
            raise formula.Unavailable(name, failed=True, reason=f"{other.errors[base]} (in {year})")
        else:
            leaves = other.leaves(base)
            raise formula.Unavailable(name, frozenset(in_year(f"{prefix}{leaf}", year) for leaf in leaves))
        self.read[name] = value
        return value

    def __iter__(self):
        return iter(self.state.values)

    def __len__(self) -> int:
        return len(self.state.values)


@dataclass(frozen=True)
class _Outcome:
    value: object = None
    status: str = Status.COMPUTED  # computed | missing | error
    missing: frozenset[str] = frozenset()
    assumed: frozenset[str] = frozenset()
    message: str | None = None
    read: Mapping[str, object] = field(default_factory=dict)


def _run(
    expr: formula.Formula,
    state: State,
    zero_if_absent: frozenset[str] = frozenset(),
    own: Mapping[str, object] | None = None,
) -> _Outcome:
    """Evaluate once; if inputs are unavailable, find all of them on the path the formula takes."""
    names = _Names(state, zero_if_absent, own)
    try:
        value = formula.evaluate(expr, names)
        if value.__class__ is float and not math.isfinite(value):  # an overflow: never a value, never in JSON
            raise OverflowError("the result is not a finite number")
        return _Outcome(value=value, assumed=frozenset(names.assumed), read=names.read)
    except formula.Unavailable:
        reads = Reads(state, zero_if_absent, own)
        # an error on the stand-ins' path stops the search: the inputs found so far are what is missing
        with contextlib.suppress(*_EVAL_ERRORS):
            formula.evaluate(expr, reads)
        return reads.outcome()
    except _EVAL_ERRORS as exc:
        return _Outcome(status=Status.ERROR, message=_error_text(expr.text, exc), assumed=frozenset(names.assumed))


class Reads:
    """A formula's names read so that every unavailable one is recorded and stands in as 1.0.

    One evaluation finds every input missing on the path the formula takes: it is what
    re-running with stand-ins until no new name is missing would find, since each re-run
    replays the same values up to the next absent name. The first unavailable read of a name
    is the one recorded, as `_Names` would raise it.

    Also the per-park fast path's lookup for names absent from a year's values (`fastplan.py`,
    `yearcode.py`): one per park-year, cleared after each item that found something, so the
    common cases (a name already known missing, an absent fact) cost a few dict lookups and no
    exception.
    """

    def __init__(
        self, state: State, zero_if_absent: frozenset[str] = frozenset(), own: Mapping[str, object] | None = None
    ) -> None:
        self.state = state
        self.zero_if_absent = zero_if_absent
        self.own = own or {}
        # name → (its absent leaves, whether it failed to compute, why): what `_Names` would raise for it
        self.found: dict[str, tuple[frozenset[str], bool, str | None]] = {}
        self.failing = False  # some name found failed to compute

    def clear(self) -> None:
        """Nothing found: ready for the next item (`found` is emptied in place: the per-park path holds it)."""
        self.found.clear()
        self.failing = False

    def restart(self, zero_if_absent: frozenset[str]) -> None:
        """Ready for the next item of the same year."""
        self.zero_if_absent = zero_if_absent
        self.clear()

    def __getitem__(self, name: str) -> object:
        if name in self.own or _PERIOD_MARK in name:
            try:  # other years, the benchmark park, has(x): _Names knows their rules
                return _Names(self.state, self.zero_if_absent, self.own)[name]
            except formula.Unavailable as unavailable:
                if unavailable.name not in self.found:
                    self.found[unavailable.name] = (unavailable.leaves, unavailable.failed, unavailable.reason)
                    self.failing |= unavailable.failed
                return 1.0
        state = self.state
        if name in state.values:
            return state.values[name]
        if name in self.found:
            return 1.0
        missing, errors = state.missing, state.errors
        leaves = missing.get(name)
        if leaves is None:
            if name in self.zero_if_absent and name not in errors:
                return 0.0
            leaves = frozenset((name,))
        if name in errors:
            self.found[name] = (leaves, True, errors[name])  # what _Names would raise, recorded
            self.failing = True
        else:
            self.found[name] = (leaves, False, None)
        return 1.0

    __call__ = __getitem__

    def error(self) -> str | None:
        """Why the formula cannot be computed when something it read could not be (an error upstream), else None."""
        if not self.failing:
            return None
        failed = [(name, reason) for name, (_, fails, reason) in self.found.items() if fails]
        reasons = "; ".join(f"{name}: {reason}" if reason else name for name, reason in failed)
        return f"depends on what could not be computed — {reasons}"

    def leaves(self) -> frozenset[str]:
        """Every absent input behind what was found."""
        if len(self.found) == 1:  # the common case (a quantity read its one missing input): no new set
            return next(iter(self.found.values()))[0]
        return _union(tuple(map(_FIRST, self.found.values())))

    def outcome(self) -> _Outcome:
        """Missing what was found; an error if some of it could not be computed."""
        message = self.error()
        if message is not None:
            return _Outcome(status=Status.ERROR, message=message)
        return _Outcome(status=Status.MISSING, missing=self.leaves())


@lru_cache(maxsize=4096)  # the same few sets recur from park to park (process factors no table gives)
def _union(parts: tuple[frozenset[str], ...]) -> frozenset[str]:
    return frozenset().union(*parts)


def factor_values(plan: Plan, park: Park) -> tuple[dict[str, float | None], list[FactorUsed]]:
    """The factor values this park uses: its overrides where given, else the table's."""
    values: dict[str, float | None] = {}
    used: list[FactorUsed] = []
    for factor_id, slot in plan.factors.items():
        override = park.factor_overrides.get(factor_id)
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
    return {
        year: [indicator_result(indicator, years[year], timeline.state(year)) for indicator in plan.indicators]
        for year in wanted
    }


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
    factors: dict[str, float | None],
    context: Context | None,
    indicator: Indicator,
    needs: frozenset[str],
) -> IndicatorResult:
    """One indicator of one year, computing only the derived quantities in `needs` (for what-it-takes searches)."""
    state, _ = Timeline(plan, years, factors, context, needs).build(year)
    return indicator_result(indicator, years[year], state)


def derive(item: Derived, pack_ref: str, state: State) -> DerivedResult:
    if none_given(item, state):
        outcome = _Outcome(status=Status.MISSING, missing=item.zero_if_absent)
    else:
        outcome = _run(item.formula, state, item.zero_if_absent)
    value = None
    if outcome.status == Status.COMPUTED:
        try:
            value = float(outcome.value)
        except (TypeError, ValueError):
            outcome = _Outcome(status=Status.ERROR, message=f"{item.formula.text!r} did not give a number")
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


def in_year(leaf: str, year: int) -> str:
    """`fact@year` for an absent input of another year; the benchmark park itself has no year."""
    return leaf if leaf == NO_BENCHMARK or "@" in leaf else f"{leaf}@{year}"


def _error_text(text: str, exc: Exception) -> str:
    if isinstance(exc, ZeroDivisionError):
        return f"division by zero in {text!r}"
    return f"cannot compute {text!r}: {exc}"


def _better(applied: ThresholdApplied | None) -> operators.Better | None:
    return operators.of(applied.operator).better if applied is not None else None


def indicator_result(indicator: Indicator, year: Year, state: State) -> IndicatorResult:
    def result(status: str, outcome: _Outcome | None = None, **fields) -> IndicatorResult:
        """Fields every status shares, with the defaults of a result that has no value."""
        assumed = tuple(sorted(outcome.assumed)) if outcome else ()
        read = sorted(outcome.read) if outcome else []
        evidence = tuple(f"{name}: {year.facts[name].source}" for name in read if _sourced(year, name))
        fields = {"value": None, "threshold": None, "gap": None, "missing": (), "assumed_zero": assumed, **fields}
        return IndicatorResult(
            **fields,
            id=indicator.id,
            name=indicator.name,
            role=indicator.role,
            unit=indicator.unit,
            status=status,
            clause=indicator.clause,
            provisional=indicator.verification.provisional,
            rests_on=indicator.verification.rests_on,
            group=indicator.group,
            points=points_for(indicator, status, fields["value"], _better(fields["threshold"])),
            points_possible=indicator.score.points if indicator.score else None,
            evidence=evidence,
        )

    note = None
    justification = year.exclusions.get(indicator.id)
    if justification is not None:
        if indicator.excludable:
            return result(Status.NOT_APPLICABLE, message=f"excluded by the park: {justification}")
        note = f"exclusion ignored: a {indicator.role} indicator cannot be excluded"
    outcome = _run(indicator.formula, state)
    if indicator.classes and outcome.status == Status.COMPUTED:
        return _classify(indicator, outcome, state, result, note)
    applied = None
    if outcome.status == Status.COMPUTED:
        outcome, applied = _choose_tier(indicator, outcome, state)
    if outcome.status != Status.COMPUTED:
        missing = tuple(sorted(outcome.missing))
        return result(outcome.status, outcome, missing=missing, message=_join(note, outcome.message))
    value = outcome.value
    if isinstance(value, float):
        value = compare.rounded(value, indicator.decimals)
    if applied is None:
        reason = indicator.otherwise.en if indicator.otherwise else "no threshold tier applies"
        return result(Status.NOT_APPLICABLE, outcome, value=value, message=_join(note, reason))
    try:
        passed = compare.meets(value, applied.operator, applied.value)
    except (TypeError, ValueError) as exc:  # e.g. a true/false formula result against a numeric limit
        message = f"{value!r} cannot be compared with {applied.operator} {applied.value!r}: {exc}"
        return result(Status.ERROR, outcome, value=value, threshold=applied, message=_join(note, message))
    gap = compare.gap(value, applied.operator, applied.value)
    return result(
        Status.PASS if passed else Status.FAIL, outcome, value=value, threshold=applied, gap=gap, message=note
    )


def _classify(indicator: Indicator, outcome: _Outcome, state: State, result, note: str | None) -> IndicatorResult:
    """The first class whose condition holds, with the values that decided it; `not_applicable` if none does."""
    value = outcome.value
    if isinstance(value, float):
        value = compare.rounded(value, indicator.decimals)
    for entry in indicator.classes:
        condition = _run(entry.when, state, own={CLASS_VALUE: value})
        if condition.status != Status.COMPUTED:
            missing = tuple(sorted(condition.missing))
            return result(condition.status, condition, missing=missing, message=_join(note, condition.message))
        if condition.value:
            shown = ", ".join(_shown(name, read, state) for name, read in sorted(condition.read.items()))
            why = f"{entry.when.text} (with {shown})"
            applied = ClassApplied(entry.id, entry.name, why, entry.clause, entry.meaning)
            return result(Status.CLASSIFIED, outcome, value=value, state=applied, message=note)
    reason = indicator.otherwise.en if indicator.otherwise else "no class applies"
    return result(Status.NOT_APPLICABLE, outcome, value=value, message=_join(note, reason))


def _sourced(year: Year, name: str) -> bool:
    fact = year.facts.get(name)
    return fact is not None and fact.source is not None


def _choose_tier(indicator: Indicator, outcome: _Outcome, state: State) -> tuple[_Outcome, ThresholdApplied | None]:
    """The first tier whose condition holds; conditions can themselves be missing."""
    assumed = set(outcome.assumed)
    for threshold in indicator.thresholds:
        if threshold.when is None:
            return outcome, ThresholdApplied(
                threshold.operator, threshold.value, threshold.tier, "applies to every park", threshold.clause
            )
        condition = _run(threshold.when, state)
        if condition.status != Status.COMPUTED:
            return condition, None
        assumed |= condition.assumed
        if condition.value:
            shown = ", ".join(_shown(name, value, state) for name, value in sorted(condition.read.items()))
            why = f"{threshold.when.text} (with {shown})"
            applied = ThresholdApplied(threshold.operator, threshold.value, threshold.tier, why, threshold.clause)
            return _Outcome(value=outcome.value, assumed=frozenset(assumed), read=outcome.read), applied
    return _Outcome(value=outcome.value, assumed=frozenset(assumed), read=outcome.read), None


def _shown(name: str, value: object, state: State) -> str:
    """`name = value unit` for the reason a tier applies; category and yes/no values as they are."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"{name} = {value}"
    unit = state.timeline.plan.units.get(formula.split_period(name)[0], "")
    return f"{name} = {value:,.6g} {unit}".rstrip()


def _join(first: str | None, second: str | None) -> str | None:
    return "; ".join(part for part in (first, second) if part) or None
