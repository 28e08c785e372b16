"""The planner on verdict rules that count: "at least 1 of these 2" (HJ 274's industrial-symbiosis rule) is met by
making the cheaper indicator pass, and a score's pass line (the green-park index) is planned at the cost an
exhaustive search finds. Parks are the bundled green-valley with some rates lowered; the measures and their
made-up costs are in tests/data/measures/test-rates.yaml."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pytest

from parkrules.analysis.assess import assess_parks, compile_standards
from parkrules.analysis.planner import PlanRequest, make_plan
from parkrules.analysis.projection import project, with_changes
from parkrules.io.measure_library import Cost, MeasureLibrary, load_library
from parkrules.io.park import FactValue, Park, load_park
from parkrules.io.parkwrite import write_park
from parkrules.model.result import RunResult
from parkrules.rules.verdict import decide
from parkrules.run.evaluate import Context, evaluate_plan, factor_values
from tests.conftest import PARKS, ROOT

RATES = ROOT / "tests" / "data" / "measures" / "test-rates.yaml"
SOLID, RECYCLING = "industrial_solid_waste_utilisation_rate", "renewable_resource_recycling_rate"


def _lowered(catalog, **rates: float) -> Park:
    park = load_park(PARKS / "green-valley.yaml", catalog.vocabulary, catalog.factor_table)[0]
    latest = max(park.years)
    facts = dict(park.years[latest].facts)
    for fact_id, value in rates.items():
        facts[fact_id] = FactValue(value, "lowered for the test", None)
    return replace(park, years={**park.years, latest: replace(park.years[latest], facts=facts)})


def _priced(library: MeasureLibrary, solid: float, recycling: float) -> MeasureLibrary:
    prices = {"solid_waste_utilisation": solid, "renewable_resource_recycling": recycling}
    return replace(
        library,
        measures=tuple(replace(m, capex=Cost(prices[m.id], m.capex.basis)) for m in library.measures),
    )


def _threshold(plan, indicator_id: str) -> float:
    indicator = next(i for i in plan.indicators if i.id == indicator_id)
    return float(indicator.thresholds[0].value)


@pytest.mark.parametrize(("solid", "recycling"), [(1000.0, 1000.0), (1000.0, 6000.0)])
def test_at_least_one_of_two_is_met_by_the_cheaper_indicator(catalog, tmp_path, solid, recycling):
    plans = compile_standards(catalog, ["hj-274"], RunResult())
    park = _lowered(catalog, **{SOLID: 60.0})
    latest = max(park.years)
    library = _priced(load_library(RATES, catalog.vocabulary), solid, recycling)
    outcome = make_plan(plans, park, library, PlanRequest(latest + 2), catalog.vocabulary)
    assert outcome.verified
    # raising either rate to its threshold meets the rule; the plan pays for the cheaper one only
    facts = park.years[latest].facts
    gaps = {
        "solid_waste_utilisation": _threshold(plans[0], "industrial_solid_waste_utilisation") - facts[SOLID].value,
        "renewable_resource_recycling": _threshold(plans[0], "renewable_resource_recycling") - facts[RECYCLING].value,
    }
    prices = {"solid_waste_utilisation": solid, "renewable_resource_recycling": recycling}
    costs = {measure: prices[measure] * gap for measure, gap in gaps.items()}
    cheaper = min(costs, key=costs.__getitem__)
    assert [step.measure.id for step in outcome.steps] == [cheaper]
    assert outcome.discounted_cost == pytest.approx(costs[cheaper], rel=1e-4)
    written = tmp_path / "planned.yaml"
    write_park(outcome.park, catalog.vocabulary, written, "test")
    run = RunResult()
    assess_parks(catalog, plans, [written], latest + 2, run)
    assert [a.verdict.status for a in run.assessments] == ["pass"]


def test_an_unreachable_count_names_the_rule(catalog):
    plans = compile_standards(catalog, ["hj-274"], RunResult())
    park = _lowered(catalog, **{SOLID: 60.0, RECYCLING: 50.0})
    library = load_library(RATES, catalog.vocabulary)
    library = replace(library, measures=tuple(replace(m, max_size=5.0) for m in library.measures))
    outcome = make_plan(plans, park, library, PlanRequest(max(park.years) + 2), catalog.vocabulary)
    assert not outcome.verified
    assert any("at least 1 of" in why and "not met" in why for why in outcome.unmet)


def test_a_score_pass_line_costs_what_an_exhaustive_search_finds(catalog):
    plans = compile_standards(catalog, ["cn-green-park@2016"], RunResult())
    park = _lowered(catalog, **{SOLID: 5.0, RECYCLING: 5.0, "industrial_water_reuse_rate": 5.0})
    year = max(park.years) + 1
    library = _priced(load_library(RATES, catalog.vocabulary), 1000.0, 1500.0)
    outcome = make_plan(plans, park, library, PlanRequest(year), catalog.vocabulary)
    assert outcome.verified
    plan = plans[0]

    def score(version: Park) -> tuple[str, float]:
        _, results = evaluate_plan(plan, version.years, year, factor_values(plan, version)[0], Context())
        verdict = decide(plan.pack, plan.indicators, results)
        assert verdict.score is not None
        return verdict.status, verdict.score.total

    assert score(outcome.baseline)[1] < 80 <= score(outcome.park)[1]
    baseline = project(park, catalog.vocabulary, year, {})
    steps, top = 24, 95.0  # each rate can rise by up to 95 points
    best = np.inf
    for i, j in itertools.product(range(steps + 1), repeat=2):
        sizes = (top * i / steps, top * j / steps)
        moved = with_changes(baseline, {year: {SOLID: sizes[0], RECYCLING: sizes[1]}})
        if score(moved)[0] == "pass":
            best = min(best, 1000.0 * sizes[0] + 1500.0 * sizes[1])
    assert np.isfinite(best)
    assert outcome.discounted_cost <= best + 1e-6
    assert outcome.discounted_cost >= best - 1500.0 * top / steps  # the grid is within its resolution of it


def test_a_count_no_plan_can_reach_blocks_the_pack_and_says_why(catalog):
    plans = compile_standards(catalog, ["hj-274"], RunResult())
    park = _lowered(catalog)
    latest = max(park.years)
    facts = {k: v for k, v in park.years[latest].facts.items() if k not in (SOLID, RECYCLING)}
    park = replace(park, years={**park.years, latest: replace(park.years[latest], facts=facts)})
    library = load_library(RATES, catalog.vocabulary)
    outcome = make_plan(plans, park, library, PlanRequest(latest + 2), catalog.vocabulary)
    assert not outcome.verified and outcome.blocked == ("hj-274@2015",)
    assert any(
        "at least 1 of industrial_solid_waste_utilisation, renewable_resource_recycling pass: only 0" in why
        for why in outcome.unmet
    )
