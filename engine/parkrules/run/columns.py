"""The columns a frame gives one plan: facts, factors and derived quantities over every park-year, each with its
value, whether it is unavailable, and the leaf set of what is absent behind it (the columnar path, `columnar.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import cast

import numpy as np

from parkrules.formula import formula, periods
from parkrules.io import units
from parkrules.io.frame import Frame
from parkrules.model.plan import Plan
from parkrules.run.evaluate import YearValues
from parkrules.run.leafsets import LeafSets
from parkrules.run.lookup import NO_BENCHMARK, in_year


@dataclass
class Col:
    """One name or sub-formula over the rows: value (1.0 where unavailable), and per-row flags.

    A row's path through a formula is what Python's order gives it (`column_formula._Path`): an
    evaluation error before anything was unavailable (`error`, with the exception in `why`), or
    some names unavailable (`unavailable`), of which some could not be computed (`failed`, with
    the (name, why) pairs read in `reasons`), and maybe an error after that (`stopped`)."""

    value: np.ndarray
    unavailable: np.ndarray | None = None  # bool; None: available on every row
    leaves: np.ndarray | None = None  # leaf-set codes of the unavailable rows
    error: np.ndarray | None = None  # bool: an evaluation error before anything was unavailable
    why: np.ndarray | None = None  # object: on error rows, the exception (worded with the formula's text at the end)
    stopped: np.ndarray | None = None  # bool: an evaluation error after something was unavailable: the row is
    # missing what was found unavailable so far (the per-park evaluator stops looking there)
    failed: np.ndarray | None = None  # bool, within `unavailable`: something read could not be computed
    reasons: np.ndarray | None = None  # object: on failed rows, a tuple of (name, why) in the order first read


def either(first: np.ndarray | None, second: np.ndarray | None) -> np.ndarray | None:
    if first is None:
        return second
    if second is None:
        return first
    return first | second


def _where(mask: np.ndarray, first: np.ndarray | None, second: np.ndarray | None, fill) -> np.ndarray | None:
    if first is None and second is None:
        return None
    count = len(mask)
    first = np.full(count, fill) if first is None else first
    second = np.full(count, fill) if second is None else second
    return np.where(mask, first, second)


def truth(value: np.ndarray) -> np.ndarray:
    """Python's truth of each value."""
    if value.dtype == bool:
        return value
    if value.dtype == object:
        return np.frompyfunc(bool, 1, 1)(value).astype(bool)
    return value != 0


def merge_values(mask: np.ndarray, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """`first` where mask else `second`, keeping Python's types when the two differ (True is not 1.0)."""
    if first.dtype != second.dtype and {first.dtype.kind, second.dtype.kind} & {"b", "O"}:
        first, second = as_objects(first), as_objects(second)
    return np.where(mask, first, second)


def _stand_in(values: np.ndarray) -> bool | float:
    """The per-park evaluator's stand-in 1.0 for an unavailable name; True for a yes/no column,
    which behaves as 1.0 in every operation and keeps the column's type."""
    return True if values.dtype == bool else 1.0


def as_objects(value: np.ndarray) -> np.ndarray:
    return value if value.dtype == object else value.astype(object)


class Rows:
    """What a frame gives one plan: facts, factors per row, derived columns as computed, the row lookup."""

    def __init__(self, plan: Plan, frame: Frame, leafsets: LeafSets, base: int | None, bench: dict | None):
        self.plan = plan
        self.frame = frame
        self.count = len(frame)
        self.leafsets = leafsets
        self.base = base
        self.bench = bench  # year → YearValues of the benchmark park, or None when there is none
        self.derived: dict[str, Col] = {}
        self._row_cache: dict[tuple[str, int], np.ndarray] = {}
        self._facts: dict[tuple[str, bool], Col] = {}
        self._constants: dict[tuple[type, object], np.ndarray] = {}
        self._factors: dict[str, Col] = {}  # built as read: a pack may use a hundred factors and read a few

    def of_table_factors(self, item) -> bool:
        """Whether a derived quantity reads only factors (`Plan.of_factors`), none of them overridden by a park of the
        frame: then it is the same on every row."""
        if self.count <= 1 or item.id not in self.plan.of_factors:
            return False
        bases = {periods.split_period(name)[0] for name in item.formula.names}
        return not any(bases & overrides.keys() for overrides in self.frame.overrides.values())

    @cached_property
    def one_row(self) -> Rows:
        """The frame's first row alone, with no park's overrides: where quantities of table factors are worked out."""
        first = Frame(park=self.frame.park[:1], year=self.frame.year[:1], facts={})
        return Rows(self.plan, first, self.leafsets, self.base, self.bench)

    def constant(self, value: object) -> np.ndarray:
        """The value on every row: one read-only array per frame, shared by every formula that writes it."""
        key = (type(value), value)  # True == 1 == 1.0, but their columns differ
        column = self._constants.get(key)
        if column is None:
            column = np.full(self.count, value, dtype=object if isinstance(value, str) else None)
            column.flags.writeable = False
            self._constants[key] = column
        return column

    def factor(self, factor_id: str) -> Col | None:
        """A factor's column (its table value, or a park's override on that park's rows); None for a non-factor."""
        column = self._factors.get(factor_id)
        if column is None and factor_id in self.plan.factors:
            column = self._factors[factor_id] = self._factor_column(factor_id)
        return column

    def _factor_column(self, factor_id: str) -> Col:
        slot = self.plan.factors[factor_id]
        overriding = [
            (park_id, overrides[factor_id])
            for park_id, overrides in self.frame.overrides.items()
            if overrides.get(factor_id) is not None
        ]
        if not overriding and slot.value is not None:  # the common case: the table's value on every row
            return Col(self.constant(float(slot.value)))
        values = np.full(self.count, np.nan if slot.value is None else slot.value)
        given = np.full(self.count, slot.value is not None)
        for park_id, override in overriding:
            rows = self.frame.park == park_id
            values[rows] = units.convert(override.value, override.unit, slot.unit)
            given[rows] = True
        leaf = self.leafsets.code(frozenset({("r", f"factor:{factor_id}", 0)}))
        unavailable = None if given.all() else ~given
        leaves = None if unavailable is None else np.where(unavailable, leaf, 0).astype(np.int32)
        return Col(np.where(given, values, 1.0), unavailable, leaves)

    def rows(self, kind: str, amount: int) -> np.ndarray:
        """Rows `amount` years back (kind "r") or in year `amount` (kind "a"), -1 where absent."""
        key = (kind, amount)
        if key not in self._row_cache:
            years = self.frame.year + amount if kind == "r" else np.full(self.count, amount, np.int64)
            self._row_cache[key] = self.frame.rows_in_year(years)
        return self._row_cache[key]

    def current(self, name: str, zero_if_absent: frozenset[str]) -> Col:
        """A name in the row's own year."""
        if name in self.derived:
            return self.derived[name]
        factor = self.factor(name)
        if factor is not None:
            return factor
        key = (name, name in zero_if_absent)
        col = self._facts.get(key)
        if col is None:  # a fact is read by many formulas: its column is made once per frame
            col = self._facts[key] = self._fact(name, key[1])
        return col

    def _fact(self, name: str, zero_if_absent: bool) -> Col:
        column = self.frame.facts.get(name)
        if column is None and zero_if_absent:  # given on no row of the frame
            return Col(self.constant(0.0))
        if column is None:
            present = np.zeros(self.count, bool)
            values = np.ones(self.count)
        else:
            present, values = column.present, column.values
        if present.all() or zero_if_absent:  # absent cells already hold the kind's zero (FactColumn)
            return Col(values)
        stand_in = np.where(present, values, _stand_in(values))
        leaf = self.leafsets.code(frozenset({("r", name, 0)}))
        leaves = np.where(present, 0, leaf).astype(np.int32)
        leaves.flags.writeable = False  # kept for the frame and taken as they are by formulas (_Path.then)
        return Col(stand_in, ~present, leaves)

    def present(self, name: str) -> np.ndarray:
        """`has(x)`: the name has a value in the row's own year."""
        col = self.derived.get(name) or self.factor(name)
        if col is not None:
            return np.ones(self.count, bool) if col.unavailable is None else ~col.unavailable
        column = self.frame.facts.get(name)
        return np.zeros(self.count, bool) if column is None else column.present.copy()

    def other_year(self, name: str, zero_if_absent: frozenset[str]) -> Col:
        base, relative, absolute = periods.split_period(name)
        special = periods.special_reference(name)
        if special == "has":
            return Col(self.present(base))
        if special == "bench":
            return self._benchmark(name, base, zero_if_absent)
        year = self.frame.year
        if special == "base":
            kind, amount = ("a", self.base) if self.base is not None else ("r", -1)
        elif absolute is not None:
            kind, amount = "a", absolute
        else:
            kind, amount = "r", relative or 0
        target = year + amount if kind == "r" else np.full(self.count, amount, np.int64)
        later = (target > year) | ((target == year) if special == "base" else False)
        col = self._gather(
            self.current(base, zero_if_absent), self.rows(kind, amount), target - year, name, base, kind, amount
        )
        if np.any(later):  # refused before anything is read
            rows = np.flatnonzero(later)
            col.error, col.why = later, np.empty(self.count, object)
            col.why[rows] = [
                formula.FormulaError(f"{name!r} refers to {to}, not before the assessed year {at}")
                for to, at in zip(target[rows].tolist(), year[rows].tolist(), strict=True)
            ]
            if col.unavailable is not None:
                col.unavailable = col.unavailable & ~later
                col.failed = None if col.failed is None else col.failed & ~later
        return col

    def _gather(
        self, col: Col, rows: np.ndarray, offsets: np.ndarray, name: str, base: str, kind: str, amount: int
    ) -> Col:
        """A column as another row has it; a park without that year misses `base@year`, and what could not be
        computed there is read as `name`, why with its year (the row's own year: as `base` itself)."""
        absent = rows < 0
        at = np.where(absent, 0, rows)
        value = col.value[at]
        unavailable = absent.copy() if col.unavailable is None else col.unavailable[at] | absent
        leaves = np.zeros(self.count, np.int32) if col.leaves is None else self.leafsets.shift(col.leaves[at], offsets)
        if absent.any():
            leaf = ("r", base, amount) if kind == "r" else ("a", base, amount)
            leaves = np.where(absent, self.leafsets.code(frozenset({leaf})), leaves).astype(np.int32)
            value = np.where(absent, _stand_in(value), value)
        if not unavailable.any():
            return Col(value)
        failed = reasons = None
        if col.failed is not None:
            assert col.reasons is not None
            failed = col.failed[at] & ~absent
            reasons = np.empty(self.count, object)
            for row in np.flatnonzero(failed).tolist():  # rare: an error in another year
                ((_, why),) = col.reasons[at[row]]
                there = int(self.frame.year[at[row]])
                own = there == int(self.frame.year[row])
                reasons[row] = ((base, why),) if own else ((name, f"{why} (in {there})"),)
        return Col(
            value, unavailable, leaves, failed=failed if failed is not None and failed.any() else None, reasons=reasons
        )

    def _benchmark(self, name: str, base: str, zero_if_absent: frozenset[str]) -> Col:
        count = self.count
        if self.bench is None:
            code = self.leafsets.code(frozenset({("l", NO_BENCHMARK)}))
            return Col(np.ones(count), np.ones(count, bool), np.full(count, code, np.int32))
        values = np.ones(count)
        unavailable, failed = np.zeros(count, bool), np.zeros(count, bool)
        leaves = np.zeros(count, np.int32)
        reasons = np.empty(count, object)
        for year in np.unique(self.frame.year):
            rows = self.frame.year == year
            state: YearValues | None = self.bench.get(int(year))
            if state is None:
                leaf = frozenset({("l", f"benchmark:{base}@{year}")})
                unavailable[rows], leaves[rows] = True, self.leafsets.code(leaf)
            elif base in state.values:
                values[rows] = cast(float, state.values[base])  # read by formulas as a number
            elif base in zero_if_absent and base not in state.missing and base not in state.errors:
                values[rows] = 0.0
            elif base in state.errors:  # the benchmark park's quantity could not be computed
                unavailable[rows], failed[rows] = True, True
                reason = ((name, f"{state.errors[base]} (in {year})"),)
                reasons[rows] = np.fromiter((reason for _ in range(int(rows.sum()))), object)
            else:
                named = state.missing.get(base, frozenset({base}))
                leaf = frozenset(("l", in_year(f"benchmark:{name}", int(year))) for name in named)
                unavailable[rows], leaves[rows] = True, self.leafsets.code(leaf)
        if not failed.any():
            return Col(values, unavailable, leaves)
        return Col(values, unavailable, leaves, failed=failed, reasons=reasons)
