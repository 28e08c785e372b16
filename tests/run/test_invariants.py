"""Property tests over generated parks, evaluated with the real national pack."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from parkrules.base.names import Names
from parkrules.io.park import FactValue, Park, Year
from parkrules.model.plan import compile_plan
from parkrules.rules.verdict import decide
from parkrules.run.evaluate import evaluate_plan, factor_values

FUELS = ("fuel_raw_coal", "fuel_diesel", "fuel_natural_gas")
EMISSION_ONLY = ("ef_raw_coal", "ef_diesel", "cc_natural_gas", "ef_elec_fossil_national", "ef_heat_fossil_default")

share = st.floats(min_value=0.0, max_value=1.0)


def amount(high: float):
    return st.floats(min_value=0, max_value=high, allow_nan=False)


@st.composite
def parks(draw):
    """Mostly-green parks of 0.2–3 Mtce, so that many pass and the invariants are exercised."""
    facts = {
        "fuel_raw_coal": draw(amount(3e4)),
        "fuel_diesel": draw(amount(5e3)),
        "fuel_natural_gas": draw(amount(3e7)),
    }
    facts |= {
        "elec_grid_received": draw(amount(1.5e8)),
        "elec_direct_nonfossil_received": draw(st.floats(min_value=7e8, max_value=8e9)),
        "heat_fossil_received": draw(amount(3e5)),
        "feedstock_energy": draw(amount(1e6)),
    }
    for gate in ("bc_eligible_entity", "bc_clear_boundary", "bc_statistics_basis", "bc_no_major_incident_3y"):
        facts[gate] = True
    return facts


def _evaluated(catalog, facts, overrides=None):
    """The national pack over one generated park-year: plan, derived results, core indicator, indicators, factors."""
    plan = compile_plan(catalog, catalog.resolve("cn-national-zero-carbon-park"))
    year = Year(facts={k: FactValue(v, str(v), None) for k, v in facts.items()})
    park = Park("p", Names("p", "p"), "", "", "generated", {2024: year}, {})
    values, _ = factor_values(plan, park)
    values |= overrides or {}
    derived, indicators = evaluate_plan(plan, {2024: year}, 2024, values)
    core = next(i for i in indicators if i.id == "carbon_per_energy")
    return plan, derived, core, indicators, values


def _core(catalog, facts, overrides=None):
    plan, _, core, indicators, values = _evaluated(catalog, facts, overrides)
    return core, decide(plan.pack, plan.indicators, indicators), values


@settings(max_examples=150, deadline=None)
@given(facts=parks(), factor=st.sampled_from(EMISSION_ONLY), cut=share)
def test_lowering_an_emission_factor_never_turns_pass_into_fail(catalog, facts, factor, cut):
    before, verdict, values = _core(catalog, facts)
    assume(before.status == "pass")
    after, verdict_after, _ = _core(catalog, facts, {factor: values[factor] * cut})
    assert after.status == "pass"
    assert after.value <= before.value + 1e-12
    assert verdict_after.status == verdict.status


@settings(max_examples=150, deadline=None)
@given(facts=parks(), moved=share)
def test_moving_grid_power_to_green_power_never_turns_pass_into_fail(catalog, facts, moved):
    before, _, _ = _core(catalog, facts)
    assume(before.status == "pass")
    shifted = dict(facts)
    kwh = facts["elec_grid_received"] * moved
    shifted["elec_grid_received"] -= kwh
    shifted["elec_direct_nonfossil_received"] += kwh
    after, _, _ = _core(catalog, shifted)
    assert after.status == "pass"


@settings(max_examples=150, deadline=None)
@given(facts=parks(), fuel=st.sampled_from(FUELS + ("elec_grid_received", "heat_fossil_received")), cut=share)
def test_lowering_a_fossil_input_within_a_tier_never_turns_pass_into_fail(catalog, facts, fuel, cut):
    """Fossil inputs lower both CO2 and energy use; within one tier the ratio can only fall.

    Across the 1 000 000 tce boundary it can fail: see test_cutting_coal_can_drop_a_park_into_the_stricter_tier.
    """
    before, _, _ = _core(catalog, facts)
    assume(before.status == "pass")
    lowered = dict(facts, **{fuel: facts[fuel] * cut})
    after, _, _ = _core(catalog, lowered)
    assume(after.threshold is not None and after.threshold.value == before.threshold.value)
    assert after.status == "pass"


def test_cutting_coal_can_drop_a_park_into_the_stricter_tier(catalog):
    """A property of the standard itself, kept visible: at 0.277 t/tce a park just above 1 000 000 tce passes
    tier B (≤ 0.3); cutting coal takes it below 1 000 000 tce into tier A (≤ 0.2), where it fails."""
    gates = dict.fromkeys(
        ("bc_eligible_entity", "bc_clear_boundary", "bc_statistics_basis", "bc_no_major_incident_3y"), True
    )
    facts = gates | {"elec_grid_received": 0.0, "fuel_raw_coal": 150_000.0, "feedstock_energy": 900_000.0}
    before, _, _ = _core(catalog, facts)
    after, _, _ = _core(catalog, dict(facts, fuel_raw_coal=130_000.0))
    assert (before.threshold.value, before.status) == (0.3, "pass")
    assert (after.threshold.value, after.status) == (0.2, "fail")


@settings(max_examples=100, deadline=None)
@given(facts=parks(), dropped=st.sampled_from(("elec_grid_received", "elec_direct_nonfossil_received")))
def test_missing_input_is_never_taken_as_zero(catalog, facts, dropped):
    """Removing every electricity fact makes the core missing, whatever the other values are."""
    reduced = {k: v for k, v in facts.items() if not k.startswith("elec_")}
    core, verdict, _ = _core(catalog, reduced)
    assert core.status == "missing" and dropped in core.missing
    assert verdict.status == "incomplete"
    assert dataclasses.asdict(core)["value"] is None


def _fuel_ids(catalog) -> list[str]:
    return sorted(fact.id for fact in catalog.vocabulary.facts.values() if fact.group == "fuel")


@st.composite
def added_fuel(draw, catalog_fuels=None):
    """A fuel of any kind 附件4 names, a positive amount, and maybe the park's own factors for it: a fossil fuel's
    CO2 per tce (1.5–3.5 t/tce: natural gas about 1.6, coke about 3) at any energy content."""
    fuel = draw(st.sampled_from(catalog_fuels))
    extra = draw(st.floats(min_value=1e-3, max_value=1e7))
    sourced = draw(st.booleans())
    energy = draw(st.floats(min_value=1e-4, max_value=2.0))  # tce per unit
    carbon = energy * draw(st.floats(min_value=1.5, max_value=3.5))  # tCO2 per unit
    return fuel, extra, ({"tce": energy, "ef": carbon} if sourced else None)


def _assess_with(catalog, facts, own=None):
    """e_park, the core indicator and the verdict; `own` gives factors the table lacks (a park's sourced overrides)."""
    plan, derived, core, indicators, _ = _evaluated(catalog, facts, own)
    e_park = next(d for d in derived if d.id == "e_park")
    return e_park, core, decide(plan.pack, plan.indicators, indicators)


def _table(catalog) -> dict:
    """The factor table's values as the national pack reads them (None where the table has no value)."""
    plan = compile_plan(catalog, catalog.resolve("cn-national-zero-carbon-park"))
    return factor_values(plan, Park("p", Names("p", "p"), "", "", "generated", {}, {}))[0]


def _burned_needs(table: dict, kind: str) -> list[str]:
    """The factors a fuel burned lacks in the table: its parts where any part has a value (NCV × CC × OF × 44/12),
    else its whole factor."""
    parts = [f"{part}_{kind}" for part in ("ncv", "cc", "of")]
    if any(table.get(part) is not None for part in parts):
        return [part for part in parts if table.get(part) is None]
    return [] if table.get(f"ef_{kind}") is not None else [f"ef_{kind}"]


def _transformed_needs(table: dict, kind: str) -> list[str]:
    """The parts a transformation line lacks: NCV and CC always (oxidation 100 %, 附件4 §二(二)2)."""
    return [part for part in (f"ncv_{kind}", f"cc_{kind}") if table.get(part) is None]


@settings(max_examples=200, deadline=None)
@given(data=st.data(), facts=parks())
def test_adding_any_fossil_fuel_never_lowers_e_park_nor_turns_a_fail_into_a_pass(catalog, data, facts):
    """A fuel the park reports is counted with its factor, or leaves the accounting missing: never a silent zero.

    Within one size tier: a park pushed past 1 000 000 tce meets the looser threshold (the standard's own rule,
    test_cutting_coal_can_drop_a_park_into_the_stricter_tier)."""
    fuel, extra, factors = data.draw(added_fuel(_fuel_ids(catalog)))
    before, core_before, verdict_before = _assess_with(catalog, facts)
    part = fuel.removeprefix("fuel_")
    table = _table(catalog)
    needs = _burned_needs(table, part)
    own = {}
    if factors is not None and needs == [f"ef_{part}"]:
        own = {f"{kind}_{part}": value for kind, value in factors.items() if table.get(f"{kind}_{part}") is None}
    more = dict(facts, **{fuel: facts.get(fuel, 0.0) + extra})
    after, core_after, verdict_after = _assess_with(catalog, more, own)
    if needs and not own:
        assert after.status == "missing" and {f"factor:{name}" for name in needs} <= set(after.missing)
    if before.status == after.status == "computed":
        assert after.value >= before.value
    assume(
        core_before.threshold is None
        or core_after.threshold is None
        or core_after.threshold.value == core_before.threshold.value
    )
    if verdict_before.status != "pass":
        assert verdict_after.status != "pass"


def test_every_fuel_kind_is_counted_or_leaves_the_accounting_missing(catalog):
    """Each fuel 附件4 names, reported alone by a park: counted where the table has its factor, else e_park is
    missing and names it. None is ever read as zero (the false pass of an inventory line the formula lacks)."""
    facts = {"elec_direct_nonfossil_received": 1e9}
    base, _, _ = _assess_with(catalog, facts)
    table = _table(catalog)
    fuels = _fuel_ids(catalog)
    assert len(fuels) >= 27 + 4 - 1  # every 附件4 category, raw coal also in its four kinds, other fossil
    for fuel in fuels:
        after, _, _ = _assess_with(catalog, dict(facts, **{fuel: 1000.0}))
        needs = _burned_needs(table, fuel.removeprefix("fuel_").removeprefix("bunker_"))
        if needs:
            assert after.status == "missing" and {f"factor:{name}" for name in needs} <= set(after.missing), fuel
        else:
            assert after.value > base.value, fuel


def test_every_transformation_line_is_counted_or_leaves_the_accounting_missing(catalog):
    """Each input and output of energy transformation: an input adds carbon, an output takes it away (the carbon
    balance of 附件4 §二(二)2), or e_park is missing and names the factor; never read as zero."""
    facts = {"elec_direct_nonfossil_received": 1e9}
    base, _, _ = _assess_with(catalog, facts)
    table = _table(catalog)
    lines = sorted(fact.id for fact in catalog.vocabulary.facts.values() if fact.group == "transformation")
    assert len(lines) >= 29
    for line in lines:
        after, _, _ = _assess_with(catalog, dict(facts, **{line: 1000.0}))
        needs = _transformed_needs(table, line.removeprefix("transform_in_").removeprefix("transform_out_"))
        if needs:
            assert after.status == "missing" and {f"factor:{name}" for name in needs} <= set(after.missing), line
        elif line.startswith("transform_in_"):
            assert after.value > base.value, line
        else:
            assert after.value < base.value, line


def _readers(plan, name: str) -> set[str]:
    """Every derived quantity whose formula reads `name`, directly or through another derived quantity."""
    formulas = {item.id: {n.partition("@")[0] for n in item.formula.names} for item, _ in plan.derived}
    found: set[str] = set()
    pending = [name]
    while pending:
        current = pending.pop()
        for item_id, names in formulas.items():
            if current in names and item_id not in found:
                found.add(item_id)
                pending.append(item_id)
    return found


@settings(max_examples=150, deadline=None)
@given(facts=parks(), part=st.sampled_from(("ncv", "cc", "of")), scale=st.floats(min_value=0.5, max_value=1.5))
def test_overriding_a_factor_part_changes_exactly_the_lines_that_use_it(catalog, facts, part, scale):
    """A park's measured part of natural gas's factor (NCV, carbon content or oxidation rate): the lines that read
    it, and only they, change; natural gas burned changes its factor, its class line and e_park by the same ratio."""
    assume(abs(scale - 1.0) > 1e-3 and facts["fuel_natural_gas"] >= 1e4)  # a change a float can see
    name = f"{part}_natural_gas"
    plan, before, _, _, values = _evaluated(catalog, facts)
    _, after, _, _, _ = _evaluated(catalog, facts, {name: values[name] * scale})
    old = {d.id: d.value for d in before}
    new = {d.id: d.value for d in after}
    changed = {key for key in old if old[key] != new[key]}
    assert changed <= _readers(plan, name)
    assert {"ef_burned_natural_gas", "e_fuel_gas", "e_fuel", "e_park"} <= changed
    assert new["ef_burned_natural_gas"] == pytest.approx(old["ef_burned_natural_gas"] * scale)
    assert new["e_fuel_gas"] - old["e_fuel_gas"] == pytest.approx(new["e_park"] - old["e_park"], rel=1e-9, abs=1e-6)
    assert "energy_consumption_tce" not in changed  # the standard-coal coefficient is its own factor
