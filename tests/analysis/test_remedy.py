"""What it takes: every suggested change, applied to the park and re-assessed, makes the indicator pass."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from parkrules.analysis.remedy import with_remedies
from parkrules.base.names import Names
from parkrules.io import units
from parkrules.io.park import FactValue, Park, Year
from parkrules.model.plan import compile_plan
from parkrules.run.evaluate import Context, evaluate_plan, factor_values

YEAR = 2024


@st.composite
def failing_parks(draw):
    """Coal- and grid-heavy parks of 0.2–3 Mtce that mostly fail the national indicators."""
    facts = {
        "fuel_raw_coal": draw(st.floats(min_value=0, max_value=1.5e6)),
        "fuel_natural_gas": draw(st.floats(min_value=0, max_value=3e8)),
        "elec_grid_received": draw(st.floats(min_value=1e8, max_value=3e9)),
        "elec_direct_nonfossil_received": draw(st.floats(min_value=0, max_value=3e9)),
        "industrial_water_reuse_rate": draw(st.floats(min_value=0, max_value=100)),
    }
    if draw(st.booleans()):
        facts["elec_green_trade_received"] = draw(st.floats(min_value=0, max_value=1e9))
    return facts


def _assess(catalog, facts):
    plan = compile_plan(catalog, catalog.resolve("cn-national-zero-carbon-park"))
    years = {YEAR: Year(facts={k: FactValue(v, f"{v:g} {_unit(catalog, k)}", None) for k, v in facts.items()})}
    park = Park("p", Names("p", "p"), "", "", "generated", years, {})
    factors, _ = factor_values(plan, park)
    _, results = evaluate_plan(plan, years, YEAR, factors, Context())
    return plan, park, factors, results


def _unit(catalog, fact_id):
    return catalog.vocabulary.facts[fact_id].unit


def _status(catalog, facts, indicator_id):
    return next(r.status for r in _assess(catalog, facts)[3] if r.id == indicator_id)


def _canonical(catalog, remedy, value):
    fact_id = remedy.source if remedy.kind == "shift" else remedy.lever
    return units.convert(value, remedy.unit, _unit(catalog, fact_id))


@settings(max_examples=40, deadline=None)
@given(facts=failing_parks())
def test_every_suggested_change_makes_the_indicator_pass(catalog, facts):
    plan, park, factors, results = _assess(catalog, facts)
    remedied = with_remedies(plan, park, YEAR, factors, Context(), catalog.vocabulary, results)
    for result in remedied:
        assert bool(result.remedies) == (result.status == "fail")
        for remedy in result.remedies:
            changed = dict(facts)
            if remedy.kind == "shift":
                moved = _canonical(catalog, remedy, remedy.target) if remedy.target is not None else None
                amount = moved if moved is not None else facts[remedy.source]  # all of it: still failing
                changed[remedy.source] = facts[remedy.source] - amount
                changed[remedy.destination] = facts.get(remedy.destination, 0.0) + amount
            else:
                lever = catalog.vocabulary.facts[remedy.lever].lever
                bound = 0.0 if lever == "reduce" else None
                if remedy.target is None and bound is None:
                    continue  # no upper bound to try: "cannot alone" is the search's finding
                value = _canonical(catalog, remedy, remedy.target) if remedy.target is not None else bound
                changed[remedy.lever] = value
            status = _status(catalog, changed, result.id)
            if remedy.target is not None:
                assert status == "pass", (result.id, remedy)
            else:
                assert status != "pass", (result.id, remedy)


def test_the_suggested_change_is_the_smallest_that_passes(catalog):
    """Just short of the suggested amount, the indicator still fails: the search does not overshoot."""
    facts = {"elec_grid_received": 2e9, "elec_direct_nonfossil_received": 2e8, "fuel_natural_gas": 1e8}
    plan, park, factors, results = _assess(catalog, facts)
    result = next(r for r in results if r.id == "green_power_direct_supply_share")
    assert result.status == "fail"
    [remedied] = [r for r in with_remedies(plan, park, YEAR, factors, Context(), catalog.vocabulary, [result])]
    shift = next(r for r in remedied.remedies if r.lever == "grid_to_direct_green")
    moved = _canonical(catalog, shift, shift.target)
    short = dict(facts, elec_grid_received=2e9 - moved * 0.999, elec_direct_nonfossil_received=2e8 + moved * 0.999)
    assert _status(catalog, short, result.id) == "fail"


def test_a_lever_that_cannot_close_the_gap_says_so(catalog):
    """Grid-heavy with gas: neither cutting gas nor cutting grid power alone gets CO2 per tce under 0.2
    (grid power alone is 2.77 t/tce, gas alone 1.62 t/tce)."""
    facts = {"elec_grid_received": 2e9, "fuel_natural_gas": 1e8}
    core = _core_remedies(catalog, facts)
    targets = {r.lever: r.target for r in core.remedies if r.kind == "input"}
    assert targets["fuel_natural_gas"] is None and targets["elec_grid_received"] is None


def test_levers_move_only_in_their_direction(catalog):
    """1 TWh grid, 5 TWh direct green power, 1e8 m³ gas: 0.54 t/tce. Cutting grid power closes it (gas alone is
    0.13 t/tce); cutting gas does not (grid power alone is 0.46). Reduce-levers are only ever cut."""
    facts = {"elec_grid_received": 1e9, "elec_direct_nonfossil_received": 5e9, "fuel_natural_gas": 1e8}
    core = _core_remedies(catalog, facts)
    by_lever = {r.lever: r for r in core.remedies}
    assert by_lever["elec_grid_received"].change < 0 and by_lever["fuel_natural_gas"].target is None
    raised = [r for r in core.remedies if r.kind == "input" and r.change is not None and r.change > 0]
    assert all(catalog.vocabulary.facts[r.lever].lever == "raise" for r in raised)


def _core_remedies(catalog, facts):
    plan, park, factors, results = _assess(catalog, facts)
    core = next(r for r in results if r.id == "carbon_per_energy")
    assert core.status == "fail"
    return with_remedies(plan, park, YEAR, factors, Context(), catalog.vocabulary, [core])[0]
