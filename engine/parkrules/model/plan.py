"""Compiling a pack (and the packs it requires) into an evaluation plan, once per run.

Resolves every formula name to a fact, a factor or a derived quantity, orders derived
quantities by dependency (cycles are errors) and fixes the factor table and units.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from parkrules.base.errors import Location, ParkrulesError
from parkrules.formula.periods import PERIOD_MARK, special_reference, split_period
from parkrules.io import units
from parkrules.io.factors import Factor, FactorTable
from parkrules.io.vocabulary import Vocabulary, suggest
from parkrules.model.catalog import Catalog
from parkrules.model.pack import Derived, Indicator, Pack

CLASS_VALUE = "value"  # the name a class condition uses for its indicator's own value


@dataclass(frozen=True)
class FactorSlot:
    """A factor as one pack's formulas use it: the table's entry, converted once into the pack's unit."""

    factor: Factor
    table: str
    unit: str
    value: float | None  # the table value in `unit`; None where the table has no value
    headline: bool  # the report states it beside the result


@dataclass(frozen=True)
class Plan:
    pack: Pack
    packs: tuple[Pack, ...]  # required packs first, the assessed pack last
    derived: tuple[tuple[Derived, str], ...]  # (quantity, pack ref) in evaluation order
    indicators: tuple[Indicator, ...]
    factors: dict[str, FactorSlot]
    units: dict[str, str]  # the unit of every fact, factor and derived quantity a formula can read

    @cached_property
    def of_factors(self) -> frozenset[str]:
        """The derived quantities that read only factors this year (a fuel's factor from its parts): the same for
        every park-year with the same factors, so the engines work them out once, not row by row."""
        return frozenset(item.id for item, _ in self.derived if _reads_only(item, self.factors.keys()))

    @cached_property
    def reads_benchmark(self) -> bool:
        """Whether some formula reads `benchmark(x)`: only then does a park's own benchmark park change its results."""
        formulas = [item.formula for item, _ in self.derived]
        for indicator in self.indicators:
            formulas += [indicator.formula, *(t.when for t in indicator.thresholds if t.when)]
            formulas += [entry.when for entry in indicator.classes]
        return any(special_reference(name) == "bench" for each in formulas for name in each.names)


def _reads_only(item: Derived, factors) -> bool:
    if item.zero_if_absent or not item.formula.names:
        return False
    for name in item.formula.names:
        base = split_period(name)[0]
        if base not in factors or (PERIOD_MARK in name and special_reference(name) != "has"):
            return False
    return True


@dataclass(frozen=True)
class PlanSources:
    """What a plan is compiled from, resolved: the packs (required ones first, the assessed one last), every factor
    table they name, and the vocabulary. Made by `sources_for`, which reads the disk through the catalog;
    `build_plan` then reads nothing."""

    pack: Pack
    packs: tuple[Pack, ...]
    tables: dict[str, FactorTable]
    vocabulary: Vocabulary


def compile_plan(catalog: Catalog, pack: Pack) -> Plan:
    return build_plan(sources_for(catalog, pack))


def sources_for(catalog: Catalog, pack: Pack) -> PlanSources:
    """The packs `pack` requires and the factor tables they all name, each a located error if it cannot be read."""
    packs = _requires_closure(catalog, pack)
    tables: dict[str, FactorTable] = {}
    for member in packs:
        if member.factor_table is not None:
            location = Location(member.file, None, "factors.table")
            tables[member.factor_table] = catalog.factor_table(member.factor_table, location)
        for factor_id, (ref, _, line) in member.factor_sources.items():
            tables[ref] = catalog.factor_table(ref, Location(member.file, line, f"factors.from_tables.{factor_id}"))
    return PlanSources(pack, tuple(packs), tables, catalog.vocabulary)


def build_plan(sources: PlanSources) -> Plan:
    """The plan: factors converted into each pack's units, derived quantities in dependency order, every name
    checked. Reads no file."""
    pack, packs = sources.pack, sources.packs
    factors: dict[str, FactorSlot] = {}
    for member in packs:
        _collect_factors(sources, member, factors)
    for member in packs:  # the assessed pack last: its choice of table stands
        _take_from_tables(sources, member, factors)
    derived: dict[str, tuple[Derived, str]] = {}
    facts = sources.vocabulary.facts
    for member in packs:
        for item in member.derived:
            if item.id in derived:
                raise ParkrulesError(f"derived quantity {item.id!r} is defined twice", item.location, "PR140")
            if item.id in facts or item.id in factors:
                raise ParkrulesError(f"derived id {item.id!r} clashes with a fact or factor id", item.location, "PR140")
            derived[item.id] = (item, member.ref)
    known = set(facts) | set(factors) | set(derived)
    for item, _ in derived.values():
        _check_names(item.formula.names, known, item.location, "formula")
        unknown = item.zero_if_absent - set(facts)
        if unknown:
            raise ParkrulesError(f"zero_if_absent lists non-facts: {sorted(unknown)}", item.location, "PR101")
    for indicator in pack.indicators:
        _check_names(indicator.formula.names, known, indicator.location, "formula")
        for threshold in indicator.thresholds:
            if threshold.when is not None:
                _check_names(threshold.when.names, known, indicator.location, "thresholds.when")
        for entry in indicator.classes:  # a class condition may also read the indicator's own `value`
            _check_names(entry.when.names, known | {CLASS_VALUE}, indicator.location, "classes.when")
    _check_groups_and_selections(pack)
    return Plan(
        pack=pack,
        packs=packs,
        derived=tuple(derived[name] for name in _dependency_order(derived)),
        indicators=pack.indicators,
        factors=factors,
        units={fact_id: fact.unit for fact_id, fact in facts.items()}
        | {factor_id: slot.unit for factor_id, slot in factors.items()}
        | {name: item.unit for name, (item, _) in derived.items()},
    )


def _requires_closure(catalog: Catalog, pack: Pack) -> list[Pack]:
    ordered: list[Pack] = []
    visiting: list[str] = []

    def visit(member: Pack) -> None:
        if member.ref in visiting:
            cycle = " → ".join([*visiting[visiting.index(member.ref) :], member.ref])
            raise ParkrulesError(
                f"packs require each other in a cycle: {cycle}", Location(member.file, None, "requires"), "PR171"
            )
        if any(p.ref == member.ref for p in ordered):
            return
        visiting.append(member.ref)
        for spec in member.requires:
            visit(catalog.resolve(spec, Location(member.file, None, "requires")))
        visiting.pop()
        ordered.append(member)

    visit(pack)
    return ordered


def _collect_factors(sources: PlanSources, pack: Pack, factors: dict[str, FactorSlot]) -> None:
    if pack.factor_table is None:
        return
    location = Location(pack.file, None, "factors.table")
    table = sources.tables[pack.factor_table]
    for factor_id in sorted(pack.headline_factors - pack.factor_units.keys()):
        raise ParkrulesError(f"headline factor {factor_id!r} is not under factors.use", location, "PR190")
    for factor_id, unit in pack.factor_units.items():
        use = Location(pack.file, pack.factor_lines.get(factor_id), f"factors.use.{factor_id}")
        factor, value = _table_value(table, factor_id, unit, use)
        if factor_id in factors and factors[factor_id].unit != unit:
            raise ParkrulesError(f"factor {factor_id!r} is used in two different units", location, "PR190")
        if factor_id in sources.vocabulary.facts:  # a formula reading the name could mean either
            raise ParkrulesError(f"factor {factor_id!r} has the id of a fact in the vocabulary", use, "PR190")
        headline = factor_id in pack.headline_factors or (factor_id in factors and factors[factor_id].headline)
        factors[factor_id] = FactorSlot(factor, table.ref, unit, value, headline)


def _table_value(table: FactorTable, factor_id: str, unit: str, location: Location) -> tuple[Factor, float | None]:
    """A table's factor and its value in `unit` (None where the table has none); a located error otherwise."""
    factor = table.factors.get(factor_id)
    if factor is None:
        raise ParkrulesError(
            f"factor {factor_id!r} is not in table {table.ref}{suggest(factor_id, table.factors)}", location, "PR190"
        )
    try:
        value = None if factor.value is None else units.convert(factor.value, factor.unit, unit)
    except units.UnitError as exc:
        message = f"{exc} (table {table.ref} gives {factor_id} in {factor.unit})"
        raise ParkrulesError(message, location, "PR190") from exc
    return factor, value


def _take_from_tables(sources: PlanSources, pack: Pack, factors: dict[str, FactorSlot]) -> None:
    """`factors.from_tables`: a factor the plan uses, taken from another table's factor (a regional grid factor in
    a provincial pack) for this pack's assessments only; the report names that table, its version and factor."""
    for factor_id, (ref, source_id, line) in pack.factor_sources.items():
        location = Location(pack.file, line, f"factors.from_tables.{factor_id}")
        slot = factors.get(factor_id)
        if slot is None:
            raise ParkrulesError(
                f"factor {factor_id!r} is used by no pack of this plan{suggest(factor_id, factors)}", location, "PR190"
            )
        table = sources.tables[ref]
        factor, value = _table_value(table, source_id, slot.unit, location)
        factors[factor_id] = FactorSlot(factor, f"{table.ref}: {source_id}", slot.unit, value, slot.headline)


def _check_groups_and_selections(pack: Pack) -> None:
    """Groups and ids named by indicators and verdict rules must exist: a typo would silently select nothing."""
    for indicator in pack.indicators:
        if indicator.group is not None and indicator.group not in pack.groups:
            raise ParkrulesError(
                f"group {indicator.group!r} is not declared under `groups`{suggest(indicator.group, pack.groups)}",
                Location(indicator.location.file, indicator.location.line, f"{indicator.location.field}.group"),
                "PR180",
            )
    if pack.verdict is None:
        return
    ids = {indicator.id for indicator in pack.indicators} | {item.id for item in pack.not_encoded}
    for rule in pack.verdict.rules:
        if rule.selector is None:
            continue
        for name, known in ((rule.selector.groups, pack.groups), (rule.selector.ids, ids)):
            for unknown in sorted(name - set(known)):
                raise ParkrulesError(
                    f"rule selects unknown {unknown!r}{suggest(unknown, known)}", rule.location, "PR180"
                )
    for group in sorted(pack.verdict.score.weights.keys() - pack.groups.keys() if pack.verdict.score else ()):
        raise ParkrulesError(
            f"score weight for undeclared group {group!r}{suggest(group, pack.groups)}",
            Location(pack.file, None, "verdict.score.weights"),
            "PR180",
        )


def _check_names(names: frozenset[str], known: set[str], location: Location, part: str) -> None:
    bases = {split_period(name)[0] for name in names}
    for name in sorted(bases - known):
        raise ParkrulesError(
            f"{part} uses unknown name {name!r}{suggest(name, known)}",
            Location(location.file, location.line, f"{location.field}.{part}"),
            "PR101",
        )


def _dependency_order(derived: dict[str, tuple[Derived, str]]) -> list[str]:
    order: list[str] = []
    state: dict[str, str] = {}

    def visit(name: str, path: list[str]) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "active":
            cycle = " → ".join([*path[path.index(name) :], name])
            raise ParkrulesError(
                f"derived quantities depend on each other in a cycle: {cycle}", derived[name][0].location, "PR110"
            )
        state[name] = "active"
        for dependency in sorted(derived[name][0].formula.names & derived.keys()):
            visit(dependency, [*path, name])
        state[name] = "done"
        order.append(name)

    for name in derived:
        visit(name, [])
    return order
