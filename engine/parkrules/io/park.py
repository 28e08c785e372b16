"""Park files: metadata, per-year facts with units, exclusions and factor overrides.

Every value is converted once, here, to the vocabulary's canonical unit; formulas then work on
plain numbers. All problems in one file are collected, so an assessor fixes them in one pass.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from parkrules.base.errors import Location, ParkrulesError, quoted
from parkrules.base.names import Names
from parkrules.io import parkio, schema, units
from parkrules.io.factors import FactorTable
from parkrules.io.parktable import Places
from parkrules.io.vocabulary import Fact, Vocabulary, counted_twice, suggest


@dataclass(frozen=True)
class FactValue:
    value: float | bool | str  # in the vocabulary's canonical unit
    given: str  # what the park file said, for provenance
    source: str | None


@dataclass(frozen=True)
class FactorOverride:
    value: float
    unit: str
    source: str
    line: int | None
    table: str | None = None  # `id@version` of the factor table the park named for it
    provisional: bool = False  # the named table's value is provisional


@dataclass
class Year:
    facts: Mapping[str, FactValue] = field(default_factory=dict)  # a dict, or a table's (frame.TableFacts)
    exclusions: dict[str, str] = field(default_factory=dict)
    exclusions_at: dict[str, Location] = field(default_factory=dict)  # where a park file gives each exclusion

    @cached_property
    def values(self) -> dict[str, object]:
        """The facts' plain values, which every plan's evaluation of the year starts from: made once, not once
        per pack (a frame sets them as it builds the year). Read only after the facts are complete."""
        return {fact_id: fact.value for fact_id, fact in self.facts.items()}


@dataclass
class Park:
    id: str
    name: Names
    province: str
    type: str
    file: str
    years: dict[int, Year]
    factor_overrides: dict[str, FactorOverride]
    benchmark: Path | None = None  # the benchmark park's file named in this file (catch-up decoupling)


# A factor table by `id@version`, else a located error (Catalog.factor_table): for overrides that name a table.
TableLookup = Callable[[str, Location], FactorTable]


def load_park(
    path: Path, vocabulary: Vocabulary, tables: TableLookup | None = None
) -> tuple[Park | None, list[ParkrulesError]]:
    """Load a park file (YAML, JSON, Excel or CSV); returns the park, or None and every problem found in it.
    `tables` finds the factor tables a factor override may name (the catalog's)."""
    places, errors = Places(), list[ParkrulesError]()
    try:
        document, places, errors = parkio.read(path)  # a table's row errors, then the document's own
        schema.validate(document, "park-1", str(path))
    except ParkrulesError as exc:
        return None, [*errors, places.locate(exc)]
    file = str(path)
    common = parse_facts(document.get("facts", {}), "facts", vocabulary, file, errors)
    years: dict[int, Year] = {}
    for year_key, raw_year in document["years"].items():
        prefix = f"years.{year_key}"
        own = parse_facts(raw_year.get("facts", {}), f"{prefix}.facts", vocabulary, file, errors)
        exclusions = raw_year.get("exclusions", {})
        at = {
            name: places.at(Location(file, exclusions.line_of(name), f"{prefix}.exclusions.{name}"))
            for name in exclusions
        }
        year = Year(facts={**common, **own}, exclusions=dict(exclusions), exclusions_at=at)
        years[int(year_key)] = year
        errors.extend(
            _counted_twice(year, vocabulary, raw_year.get("facts", {}), document.get("facts", {}), file, prefix)
        )
    overrides = parse_overrides(document.get("factors", {}), file, errors, tables)
    if errors:
        return None, [places.locate(error) for error in errors]
    meta = document["park"]
    park = Park(
        id=meta["id"],
        name=Names.of(meta["name"]),
        province=meta["province"],
        type=meta["type"],
        file=file,
        years=years,
        factor_overrides=overrides,
        benchmark=path.parent / document["benchmark"] if "benchmark" in document else None,
    )
    return park, []


def _counted_twice(year: Year, vocabulary: Vocabulary, own: Any, common: Any, file: str, prefix: str) -> list:
    """A fact reported both in total and split into its parts (raw coal and its four kinds) would be counted twice."""
    found = []
    for fact_id in year.facts:
        given = [part for part in vocabulary.facts[fact_id].parts if part in year.facts]
        if given:
            block, field = (own, f"{prefix}.facts") if fact_id in own else (common, "facts")
            location = Location(file, block.line_of(fact_id), f"{field}.{fact_id}")
            message = counted_twice(fact_id, given)
            found.append(ParkrulesError(message, location))
    return found


def parse_overrides(
    raw_overrides: Any, file: str, errors: list, tables: TableLookup | None = None
) -> dict[str, FactorOverride]:
    """Factor overrides (`factors:`), each with the source an assessor must cite: a value, unit and source, or a
    factor of a named table (`table: cn-grid-electricity@2023, factor: ef_grid_north_china`), whose source then
    names the table and its version, so a report says which table and vintage decided the number."""
    overrides = {}
    for factor_id, raw in raw_overrides.items():
        location = Location(file, raw_overrides.line_of(factor_id), f"factors.{factor_id}")
        try:
            if "table" in raw:
                overrides[factor_id] = _from_table(raw["table"], raw["factor"], tables, location)
                continue
            units.check_unit(raw["unit"])
        except (units.UnitError, ParkrulesError) as exc:
            errors.append(exc if isinstance(exc, ParkrulesError) else ParkrulesError(str(exc), location))
            continue
        overrides[factor_id] = FactorOverride(float(raw["value"]), raw["unit"], raw["source"], location.line)
    return overrides


def _from_table(ref: str, factor_id: str, tables: TableLookup | None, location: Location) -> FactorOverride:
    if tables is None:
        raise ParkrulesError(
            "a factor taken from a table needs the standards folder, which this command does not read", location
        )
    table = tables(ref, location)
    factor = table.factors.get(factor_id)
    if factor is None:
        raise ParkrulesError(
            f"table {table.ref} has no factor {quoted(factor_id)}{suggest(factor_id, table.factors)}", location
        )
    if factor.value is None:
        raise ParkrulesError(f"factor {factor_id} of table {table.ref} has no value", location)
    source = f"{table.ref} {factor_id} ({factor.name.en}): {factor.source}"
    return FactorOverride(float(factor.value), factor.unit, source, location.line, table.ref, factor.provisional)


def parse_facts(raw_facts: Any, prefix: str, vocabulary: Vocabulary, file: str, errors: list) -> dict:
    """Facts of one block, converted to canonical units; problems are appended to `errors`."""
    parsed: dict[str, FactValue] = {}
    for fact_id, raw in raw_facts.items():
        location = Location(file, raw_facts.line_of(fact_id), f"{prefix}.{fact_id}")
        try:
            fact = vocabulary.get(fact_id, location)
            parsed[fact_id] = parse_fact_value(fact, raw, location)
        except ParkrulesError as exc:
            errors.append(exc)
    return parsed


def parse_fact_value(fact: Fact, raw: Any, location: Location) -> FactValue:
    """Turn one park-file entry into a canonical value, or raise a located error."""
    source = None
    unit: str | None = None
    value = raw
    if isinstance(raw, dict):
        value, unit, source = raw.get("value"), raw.get("unit"), raw.get("source")
    if fact.kind == "boolean":
        if not isinstance(value, bool):
            raise ParkrulesError(f"expected true or false, got {quoted(value)}", location)
        return FactValue(value, str(value).lower(), source)
    if fact.kind == "category":
        if value not in fact.categories:
            raise ParkrulesError(f"expected one of {list(fact.categories)}, got {quoted(value)}", location)
        return FactValue(value, str(value), source)
    number, unit = _number_and_unit(value, unit, location)
    if unit is None:
        if fact.kind != "count":
            raise ParkrulesError(
                f'a unit is required (canonical unit: {fact.unit}); write e.g. "{number} {fact.unit}"',
                location,
            )
        unit = fact.unit
    try:
        canonical = units.convert(number, unit, fact.unit)
    except units.UnitError as exc:
        at_unit = replace(location, field=f"{location.field}.unit")
        raise ParkrulesError(f"{exc} (this fact is in {fact.unit})", at_unit) from exc
    if not math.isfinite(canonical):
        raise ParkrulesError(f"{number:g} {unit} is beyond the range of a float in {fact.unit}", location)
    if fact.minimum is not None and canonical < fact.minimum:
        raise ParkrulesError(f"value {canonical:g} {fact.unit} is below the minimum {fact.minimum:g}", location)
    if fact.maximum is not None and canonical > fact.maximum:
        raise ParkrulesError(f"value {canonical:g} {fact.unit} is above the maximum {fact.maximum:g}", location)
    return FactValue(canonical, f"{number:g} {unit}", source)


def _number_and_unit(value: Any, unit: str | None, location: Location) -> tuple[float, str | None]:
    if isinstance(value, bool) or value is None:
        raise ParkrulesError(f"expected a number, got {quoted(value)}", location)
    if isinstance(value, (int, float)):
        return float(value), unit  # the YAML loader refused what is not finite or does not fit a float
    if isinstance(value, str):
        match = units.NUMBER_WITH_UNIT.match(value)
        if match is None:
            raise ParkrulesError(f"expected a number with a unit, got {quoted(value)}", location)
        try:
            number = units.finite_number(match.group(1))
        except ValueError as exc:
            raise ParkrulesError(str(exc), location) from exc
        inline_unit = match.group(2) or None
        if inline_unit and unit:
            raise ParkrulesError("give the unit once: inside the value or in `unit`, not both", location)
        return number, inline_unit or unit
    raise ParkrulesError(f"expected a number, got {quoted(value)}", location)
