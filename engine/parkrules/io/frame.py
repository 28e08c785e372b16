"""Park-years as columns: the unit of work of a batch run.

A frame holds a chunk of park-years, every park's years together in one frame (period
references such as prev(x) read another row of the same park). Both evaluation paths read
frames: the columnar path as arrays, the per-park path as `Park` objects rebuilt from them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import compress, repeat
from pathlib import Path
from typing import Any

import numpy as np

from parkrules.base.names import Names
from parkrules.io.park import FactorOverride, FactValue, Park, Year
from parkrules.io.vocabulary import Fact

_YEAR_BITS = 12  # years 1900–2100 fit, relative to _YEAR_ZERO, in the low bits of a row key
_YEAR_ZERO = 1800


@dataclass
class FactColumn:
    """One fact over a frame's rows, in the vocabulary's canonical unit; `present` is False where not given.

    Where not given, `values` holds the kind's zero (0.0, False or ""): what a zero-if-absent input reads, so
    the columnar path reads such a column as it is, once per frame for every pack."""

    values: np.ndarray
    present: np.ndarray

    def __post_init__(self) -> None:
        if self.present.all():
            return
        zero = zero_of(self.values)
        if (self.values[~self.present] != zero).any():
            self.values = np.where(self.present, self.values, zero).astype(self.values.dtype, copy=False)


def zero_of(values: np.ndarray) -> float | bool | str:
    """The zero of a column's kind: what an absent zero-if-absent input reads as."""
    return False if values.dtype == bool else ("" if values.dtype == object else 0.0)


@dataclass
class Frame:
    """Park-years in columns; row order is free, but every year of a park is in the same frame."""

    park: np.ndarray  # park id of each row (object)
    year: np.ndarray  # int64
    facts: dict[str, FactColumn]
    exclusions: dict[str, np.ndarray] = field(default_factory=dict)  # indicator → justification or None per row
    overrides: dict[str, dict[str, FactorOverride]] = field(default_factory=dict)  # park → its factor overrides
    files: dict[str, str] = field(default_factory=dict)  # park → the file it came from
    benchmarks: dict[str, Path] = field(default_factory=dict)  # park → the benchmark park file it names
    lines: np.ndarray | None = None  # a table's row number of each row (for messages)
    _keys: np.ndarray | None = field(default=None, repr=False)
    _order: np.ndarray | None = field(default=None, repr=False)
    _built: dict[str, Park] = field(default_factory=dict, repr=False)  # made by `parks`, for every pack
    _index: dict[tuple[str, int], int] | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.year)

    def take(self, rows: np.ndarray) -> Frame:
        """The frame's `rows` (indexes), in that order."""
        return Frame(
            park=self.park[rows],
            year=self.year[rows],
            facts={k: FactColumn(c.values[rows], c.present[rows]) for k, c in self.facts.items()},
            exclusions={k: v[rows] for k, v in self.exclusions.items()},
            overrides=self.overrides,
            files=self.files,
            benchmarks=self.benchmarks,
            lines=None if self.lines is None else self.lines[rows],
        )

    @staticmethod
    def concat(frames: list[Frame]) -> Frame:
        """Frames one after another; a fact absent from one frame is absent on its rows."""
        sizes = [len(f) for f in frames]
        facts: dict[str, FactColumn] = {}
        for name in {n for f in frames for n in f.facts}:
            parts = [f.facts.get(name) for f in frames]
            sample = next(p for p in parts if p is not None).values
            values = [
                p.values if p is not None else np.zeros(n, sample.dtype) for p, n in zip(parts, sizes, strict=True)
            ]
            present = [p.present if p is not None else np.zeros(n, bool) for p, n in zip(parts, sizes, strict=True)]
            facts[name] = FactColumn(np.concatenate(values), np.concatenate(present))
        exclusions = {}
        for name in {n for f in frames for n in f.exclusions}:
            exclusions[name] = np.concatenate(
                [f.exclusions.get(name, np.full(n, None, object)) for f, n in zip(frames, sizes, strict=True)]
            )
        lines = [f.lines if f.lines is not None else np.zeros(n, np.int64) for f, n in zip(frames, sizes, strict=True)]
        return Frame(
            park=np.concatenate([f.park for f in frames]),
            year=np.concatenate([f.year for f in frames]),
            facts=facts,
            exclusions=exclusions,
            overrides={k: v for f in frames for k, v in f.overrides.items()},
            files={k: v for f in frames for k, v in f.files.items()},
            benchmarks={k: v for f in frames for k, v in f.benchmarks.items()},
            lines=np.concatenate(lines),
        )

    def _row_keys(self) -> tuple[np.ndarray, np.ndarray]:
        if self._keys is None:
            _, codes = np.unique(self.park, return_inverse=True)
            keys = (codes.astype(np.int64) << _YEAR_BITS) | (self.year - _YEAR_ZERO)
            self._order = np.argsort(keys, kind="stable")
            self._keys = keys
        assert self._order is not None
        return self._keys, self._order

    def rows_in_year(self, years: np.ndarray) -> np.ndarray:
        """For each row, the row of the same park in `years[row]`, or -1 where the park has no such year."""
        keys, order = self._row_keys()
        inside = (years > _YEAR_ZERO) & (years < _YEAR_ZERO + (1 << _YEAR_BITS))
        wanted = (keys >> _YEAR_BITS << _YEAR_BITS) | np.where(inside, years - _YEAR_ZERO, 0)
        sorted_keys = keys[order]
        at = np.minimum(np.searchsorted(sorted_keys, wanted), len(keys) - 1)
        found = (sorted_keys[at] == wanted) & inside
        return np.where(found, order[at], -1)

    def row_index(self) -> dict[tuple[str, int], int]:
        """(park id, year) → row, made once per frame."""
        if self._index is None:
            keys = zip(map(str, self.park.tolist()), self.year.tolist(), strict=True)
            self._index = {key: row for row, key in enumerate(keys)}
        return self._index

    def parks(self, facts: dict[str, Fact], only: set[str] | None = None) -> dict[str, Park]:
        """The frame's parks (or those in `only`) as `Park` objects, each with all its years (per-park path).

        Each park is made once per frame and kept: every pack's per-park path reads the same rows, and the
        objects are only read. `facts` is the run's vocabulary, the same for every call on a frame."""
        park_ids = self.park.tolist()
        wanted = dict.fromkeys(str(park_id) for park_id in park_ids if only is None or park_id in only)
        new = {park_id for park_id in wanted if park_id not in self._built}
        if new:
            self._build(facts, park_ids, new)
        return {park_id: self._built[park_id] for park_id in wanted}

    def _build(self, facts: dict[str, Fact], park_ids: list, new: set[str]) -> None:
        """Columns are turned into Python values once, for the rows wanted, then each row's dict of present
        values is put together in C (`compress`), not cell by cell: this was most of the per-park path's cost
        on handed-over rows."""
        picked = [row for row, park_id in enumerate(park_ids) if str(park_id) in new]
        rows = np.array(picked, np.int64)
        fact_ids = list(self.facts)
        by_row: Iterator[tuple]
        present_by_row: Iterator[tuple]
        if fact_ids:
            by_row = zip(
                *(list(map(_converter(facts[f]), self.facts[f].values[rows].tolist())) for f in fact_ids), strict=True
            )
            present_by_row = zip(*(self.facts[f].present[rows].tolist() for f in fact_ids), strict=True)
        else:  # zip() of no columns would end at once
            by_row = present_by_row = repeat(())
        exclusions = [
            (indicator_id, justification[rows].tolist()) for indicator_id, justification in self.exclusions.items()
        ]
        built = self._built
        years = self.year[rows].tolist()
        rows_of_parks = zip(picked, years, by_row, present_by_row, strict=False)  # not strict: `repeat` is endless
        for at, (row, year_number, row_values, row_present) in enumerate(rows_of_parks):
            park_id = str(park_ids[row])
            park = built.get(park_id)
            if park is None:
                file = self.files.get(park_id, "")
                park = Park(park_id, Names(park_id, park_id), "", "", file, {}, self.overrides.get(park_id, {}))
                built[park_id] = park
            values = dict(compress(zip(fact_ids, row_values, strict=True), row_present))
            year = Year(
                facts=TableFacts(values),
                exclusions={
                    indicator_id: justification[at]
                    for indicator_id, justification in exclusions
                    if justification[at] is not None
                },
            )
            year.values = values
            park.years[int(year_number)] = year


class TableFacts(Mapping):
    """A year's facts as a table gives them: each `FactValue` made when asked (a cell has no source or text of
    its own), since the per-park path reads the plain values and making them all cost more than judging."""

    def __init__(self, values: dict[str, float | bool | str]) -> None:
        self._values = values

    def __getitem__(self, fact_id: str) -> FactValue:
        return FactValue(self._values[fact_id], "", None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


def _converter(fact: Fact) -> Callable[[Any], float | bool | str]:
    """The Python type a park file gives the fact's values: true/false, a category id, else a number."""
    if fact.kind == "boolean":
        return bool
    if fact.kind == "category" and not numeric_categories(fact):
        return str
    return float


def numeric_categories(fact: Fact) -> bool:
    """Categories that are all numbers (grades 1, 2, 3) are held as numbers: they are compared as numbers."""
    return all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in fact.categories)


def from_parks(parks: list[Park], facts: dict[str, Fact]) -> Frame:
    """Park files (already loaded and checked) as one frame."""
    rows = [(park, year, data) for park in parks for year, data in sorted(park.years.items())]
    count = len(rows)
    columns: dict[str, FactColumn] = {}
    exclusions: dict[str, np.ndarray] = {}
    for index, (_, _, data) in enumerate(rows):
        for fact_id, given in data.facts.items():
            column = columns.get(fact_id)
            if column is None:
                column = columns[fact_id] = FactColumn(empty_values(facts[fact_id], count), np.zeros(count, bool))
            column.values[index] = given.value
            column.present[index] = True
        for indicator_id, justification in data.exclusions.items():
            exclusions.setdefault(indicator_id, np.full(count, None, object))[index] = justification
    return Frame(
        park=np.array([park.id for park, _, _ in rows], dtype=object),
        year=np.array([year for _, year, _ in rows], dtype=np.int64),
        facts=columns,
        exclusions=exclusions,
        overrides={park.id: park.factor_overrides for park in parks if park.factor_overrides},
        files={park.id: park.file for park in parks},
        benchmarks={park.id: park.benchmark for park in parks if park.benchmark is not None},
    )


def empty_values(fact: Fact, count: int) -> np.ndarray:
    """A column of `count` placeholder values of the fact's kind (read only where `present`)."""
    if fact.kind == "boolean":
        return np.zeros(count, bool)
    if fact.kind == "category" and not numeric_categories(fact):
        return np.full(count, "", object)
    return np.zeros(count, np.float64)
