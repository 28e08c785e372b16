"""Reading names in a formula with their rules: this year, other years, the benchmark park, zero-if-absent
inventories, and every missing input recorded (the evaluator's lookups, also the per-park path's)."""

from __future__ import annotations

import contextlib
import math
import operator
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol

from parkrules.base.status import Status
from parkrules.formula import formula, periods


class YearView(Protocol):
    """What a name lookup reads of a year's state (`evaluate.State`): its values, what is missing or failed and
    why, and the timeline that gives other years and the benchmark park."""

    year: int
    timeline: Any  # evaluate.Timeline: `benchmark`, `base_year(year)` and `state(year)` are what a lookup reads
    values: dict[str, object]
    missing: dict[str, frozenset[str]]
    errors: dict[str, str]
    assumed: dict[str, frozenset[str]]

    def leaves(self, name: str) -> frozenset[str]: ...


NO_BENCHMARK = "benchmark park"  # the missing input when a formula reads benchmark(x) and none is given
_PERIOD_MARK = periods.PERIOD_MARK
_FIRST = operator.itemgetter(0)
_EVAL_ERRORS = (ZeroDivisionError, OverflowError, formula.FormulaError, TypeError, ValueError)


class _Names(Mapping):
    """The names a formula sees; records what it read, assumed zero or could not find."""

    def __init__(
        self,
        state: YearView,
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
        if periods.PERIOD_MARK in name:
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
        base, relative, absolute = periods.split_period(name)
        special = periods.special_reference(name)
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
            year = absolute if absolute is not None else self.state.year + (relative or 0)
        if year > self.state.year or (special == "base" and year == self.state.year):
            raise formula.FormulaError(f"{name!r} refers to {year}, not before the assessed year {self.state.year}")
        if year == self.state.year:
            return self[base]
        return self._read_from(timeline.state(year), year, name, base, "")

    def _read_from(self, other: YearView | None, year: int, name: str, base: str, prefix: str) -> object:
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
class Outcome:
    value: object = None
    status: str = Status.COMPUTED  # computed | missing | error
    missing: frozenset[str] = frozenset()
    assumed: frozenset[str] = frozenset()
    message: str | None = None
    read: Mapping[str, object] = field(default_factory=dict)


def run(
    expr: formula.Formula,
    state: YearView,
    zero_if_absent: frozenset[str] = frozenset(),
    own: Mapping[str, object] | None = None,
) -> Outcome:
    """Evaluate once; if inputs are unavailable, find all of them on the path the formula takes."""
    names = _Names(state, zero_if_absent, own)
    try:
        value = formula.evaluate(expr, names)
        if value.__class__ is float and not math.isfinite(value):
            raise OverflowError(NOT_FINITE)
        return Outcome(value=value, assumed=frozenset(names.assumed), read=names.read)
    except formula.Unavailable:
        reads = Reads(state, zero_if_absent, own)
        # an error on the stand-ins' path stops the search: the inputs found so far are what is missing
        with contextlib.suppress(*_EVAL_ERRORS):
            formula.evaluate(expr, reads)
        return reads.outcome()
    except _EVAL_ERRORS as exc:
        return Outcome(status=Status.ERROR, message=error_text(expr.text, exc), assumed=frozenset(names.assumed))


class Reads:
    """A formula's names read so that every unavailable one is recorded and stands in as 1.0.

    One evaluation finds every input missing on the path the formula takes: it is what
    re-running with stand-ins until no new name is missing would find, since each re-run
    replays the same values up to the next absent name. The first unavailable read of a name
    is the one recorded, as `_Names` would raise it. The columnar engine follows the same rules over
    arrays (`column_formula._Path`).
    """

    def __init__(
        self, state: YearView, zero_if_absent: frozenset[str] = frozenset(), own: Mapping[str, object] | None = None
    ) -> None:
        self.state = state
        self.zero_if_absent = zero_if_absent
        self.own = own or {}
        # name → (its absent leaves, whether it failed to compute, why): what `_Names` would raise for it
        self.found: dict[str, tuple[frozenset[str], bool, str | None]] = {}
        self.failing = False  # some name found failed to compute

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

    def error(self) -> str | None:
        """Why the formula cannot be computed when something it read could not be (an error upstream), else None."""
        if not self.failing:
            return None
        return depends_on((name, reason) for name, (_, fails, reason) in self.found.items() if fails)

    def leaves(self) -> frozenset[str]:
        """Every absent input behind what was found."""
        if len(self.found) == 1:  # the common case (a quantity read its one missing input): no new set
            return next(iter(self.found.values()))[0]
        return _union(tuple(map(_FIRST, self.found.values())))

    def outcome(self) -> Outcome:
        """Missing what was found; an error if some of it could not be computed."""
        message = self.error()
        if message is not None:
            return Outcome(status=Status.ERROR, message=message)
        return Outcome(status=Status.MISSING, missing=self.leaves())


@lru_cache(maxsize=4096)  # the same few sets recur from park to park (process factors no table gives)
def _union(parts: tuple[frozenset[str], ...]) -> frozenset[str]:
    return frozenset().union(*parts)


def in_year(leaf: str, year: int) -> str:
    """`fact@year` for an absent input of another year; the benchmark park itself has no year."""
    return leaf if leaf == NO_BENCHMARK or "@" in leaf else f"{leaf}@{year}"


def error_text(text: str, exc: Exception) -> str:
    """How an error evaluating the formula `text` is worded in results (both engines)."""
    exc = formula.evaluation_error(text, exc)
    if isinstance(exc, ZeroDivisionError):
        return f"division by zero in {text!r}"
    return f"cannot compute {text!r}: {exc}"


def not_a_number(text: str) -> str:
    """A derived quantity whose formula gave something that is not a number (text, a whole number past a float)."""
    return f"{text!r} did not give a number"


def depends_on(failed: Iterable[tuple[str, str | None]]) -> str:
    """The error of a formula that read names which could not be computed: each name, with why, in the order read."""
    reasons = "; ".join(f"{name}: {reason}" if reason else name for name, reason in failed)
    return f"depends on what could not be computed — {reasons}"


NOT_FINITE = "the result is not a finite number"  # an overflow: never a value, never in JSON
