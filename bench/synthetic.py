"""Synthetic park-year tables for the benchmark: realistic magnitudes, drifting years, some facts missing.

Every fact the bundled packs read gets a column (units in the header). Magnitudes follow the
fact's canonical unit (a mid-sized park: 10^8 kWh of electricity, 10^5 t of coal, rates of
40–100 %); each park drifts a few per cent a year; about 5 % of cells are left empty and
about 40 % of the optional inventory lines (fuels, process outputs, transformation) are
absent altogether, as real inventories list only what a park uses. Lines the factor table
cannot count (a fuel kind with no factor, transformation without factor parts) are reported
by 2 % of parks, as few parks burn them; the kinds of a fact reported in total (raw coal's
four) by none, since a park gives the total or the split, never both.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from parkrules.io.frame import numeric_categories
from parkrules.io.vocabulary import Fact

YEARS = (2020, 2021, 2022, 2023, 2024)
MISSING_SHARE = 0.05
RARE_SHARE = 0.02  # parks reporting a line the factor table cannot count
_MEDIAN = {"kWh": 1e8, "t": 1e5, "tce": 1e5, "GJ": 1e6, "Nm3": 1e7, "m3": 1e6, "yuan": 1e9, "person": 2e4, "km2": 20}


def _magnitude(fact: Fact) -> float:
    for unit, median in _MEDIAN.items():
        if fact.unit.startswith(unit):
            return median
    return 10.0


def _numbers(fact: Fact, rng: np.random.Generator, parks: int) -> np.ndarray:
    """One value per park (the first year), in the fact's canonical unit."""
    if fact.maximum is not None and fact.maximum <= 100 and fact.unit == "%":
        return rng.uniform(40, 100, parks)
    if fact.kind == "count":
        return np.floor(rng.uniform(0, 20, parks))
    low = 0.0 if fact.minimum is None else fact.minimum
    return np.maximum(low, rng.lognormal(np.log(_magnitude(fact)), 1.0, parks))


def table(
    facts: list[Fact], parks: int, first_park: int, rng: np.random.Generator, rare: frozenset[str] = frozenset()
) -> pa.Table:
    """`parks` parks × the years, one row per park-year, a park's years together; `rare` facts in few parks."""
    rows = parks * len(YEARS)
    park_ids = np.repeat(np.array([f"P{first_park + i:07d}" for i in range(parks)], object), len(YEARS))
    years = np.tile(np.array(YEARS, np.int64), parks)
    columns: dict[str, pa.Array] = {"park.id": pa.array(park_ids, pa.string()), "year": pa.array(years)}
    split = {part for fact in facts for part in fact.parts}
    for fact in facts:
        optional = fact.id.startswith(("fuel_", "output_", "transform_", "bunker_", "heat_nonfossil"))
        absent = rng.random(rows) < MISSING_SHARE
        if optional:
            share_absent = 1.0 if fact.id in split else 1 - RARE_SHARE if fact.id in rare else 0.4
            absent |= np.repeat(rng.random(parks) < share_absent, len(YEARS))
        header = f"{fact.id} [{fact.unit}]" if fact.kind not in ("boolean", "category") else fact.id
        if fact.kind == "boolean":
            values = pa.array(np.where(absent, None, np.where(rng.random(rows) < 0.9, "true", "false")), pa.string())
        elif fact.kind == "category" and not numeric_categories(fact):
            chosen = rng.choice(np.array([str(c) for c in fact.categories], object), rows)
            values = pa.array(np.where(absent, None, chosen), pa.string())
        elif fact.kind == "category":
            chosen = rng.choice(np.array(fact.categories, np.float64), rows)
            values = pa.array(chosen, pa.float64(), mask=absent)
        else:
            drift = np.cumprod(rng.normal(1.0, 0.04, (parks, len(YEARS))), axis=1).ravel()
            values = np.repeat(_numbers(fact, rng, parks), len(YEARS)) * drift
            if fact.maximum is not None:
                values = np.minimum(values, fact.maximum)
            values = pa.array(values, pa.float64(), mask=absent)
        columns[header] = values
    return pa.table(columns)


def uncountable(factors: dict[str, float | None], facts: list[Fact]) -> frozenset[str]:
    """Inventory lines the factor table cannot count: a fuel with neither its factor's parts nor a whole factor,
    or no standard-coal coefficient; a transformation line without NCV and carbon content (100 % oxidation)."""
    known = {name for name, value in factors.items() if value is not None}
    lines = set()
    for fact in facts:
        kind = fact.id.removeprefix("fuel_").removeprefix("transform_in_").removeprefix("transform_out_")
        if kind == fact.id:
            continue
        parts = {f"ncv_{kind}", f"cc_{kind}", f"of_{kind}"}
        if fact.id.startswith("transform_"):
            countable = {f"ncv_{kind}", f"cc_{kind}"} <= known
        else:
            countable = parts <= known or (not parts & known and f"ef_{kind}" in known)
        if not countable or f"tce_{kind}" not in known:
            lines.add(fact.id)
    return frozenset(lines)


def write(
    path: Path,
    facts: list[Fact],
    park_years: int,
    seed: int = 7,
    parks_per_chunk: int = 20_000,
    rare: frozenset[str] = frozenset(),
) -> None:
    """A Parquet (or CSV) file of about `park_years` rows, written in chunks so memory stays flat."""
    rng = np.random.default_rng(seed)
    parks = max(1, park_years // len(YEARS))
    writer = None
    done = 0
    while done < parks:
        chunk = table(facts, min(parks_per_chunk, parks - done), done, rng, rare)
        if writer is None:
            if path.suffix == ".csv":
                import pyarrow.csv as pacsv

                writer = pacsv.CSVWriter(path, chunk.schema)
            else:
                writer = pq.ParquetWriter(path, chunk.schema, compression="zstd")
        writer.write_table(chunk)
        done += min(parks_per_chunk, parks - done)
    writer.close()
