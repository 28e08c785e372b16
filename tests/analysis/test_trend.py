"""Trends: each point is what assessing that year alone gives; direction and first pass follow from the points."""

from __future__ import annotations

import shutil

from parkrules.analysis.assess import RunOptions, assess_parks, compile_standards
from parkrules.model.catalog import Catalog
from parkrules.model.result import RunResult
from tests.conftest import PARKS, STANDARDS


def _assessment(catalog, standard, *, period=None, base_year=None):
    run = RunResult()
    plans = compile_standards(catalog, [standard], run)
    assess_parks(catalog, plans, [PARKS / "west-hitech.yaml"], period, run, RunOptions(base_year=base_year))
    assert not run.errors
    return run.assessments[0]


def _run(catalog, standard, **options):
    return {r.id: r for r in _assessment(catalog, standard, **options).indicators}


def test_each_trend_point_is_that_year_assessed_alone(catalog):
    latest = _run(catalog, "park-transition-analysis")
    for year in (2017, 2018, 2019):
        alone = _run(catalog, "park-transition-analysis", period=year)
        for indicator_id, result in latest.items():
            point = next(p for p in result.trend.points if p.year == year)
            assert (point.value, point.status) == (alone[indicator_id].value, alone[indicator_id].status)
            assert point.state == (alone[indicator_id].state.id if alone[indicator_id].state else None)


def test_trend_stops_at_the_assessed_year_and_has_no_point_before_data(catalog):
    results = _run(catalog, "park-transition-analysis", period=2018)
    tapio = results["tapio_decoupling"].trend
    assert [p.year for p in tapio.points] == [2016, 2017, 2018]
    assert tapio.points[0].status == "missing"  # 2016 has no year before it in the file


def test_direction_and_first_pass_follow_the_threshold(catalog):
    core = _run(catalog, "cn-national-zero-carbon-park")["carbon_per_energy"]
    values = [p.value for p in core.trend.points]
    assert core.threshold.operator == "<="
    assert core.trend.direction == ("improving" if values[-1] < values[0] else "worsening")
    assert core.trend.first_passed is None and all(p.status == "fail" for p in core.trend.points)


def test_base_year_compares_any_two_years(catalog):
    """2016 → 2020: GDP 300 → 410 亿元 (+36.67 %); e = (C₂₀₂₀/C₂₀₁₆ − 1) / 0.3667, C from each year's accounting."""
    co2 = {
        year: next(
            d.value for d in _assessment(catalog, "park-transition-analysis", period=year).derived if d.id == "e_park"
        )
        for year in (2016, 2020)
    }
    span = _run(catalog, "park-transition-analysis", base_year=2016)
    expected = (co2[2020] / co2[2016] - 1) / (410 / 300 - 1)
    assert abs(span["tapio_decoupling"].value - round(expected, 4)) < 1e-12
    assert span["tapio_decoupling"].value != _run(catalog, "park-transition-analysis")["tapio_decoupling"].value
    assert span["development_type"].state.id == "intensive_expansion"


def _green_valley(catalog, standard, period=None):
    run = RunResult()
    plans = compile_standards(catalog, [standard], run)
    assess_parks(catalog, plans, [PARKS / "green-valley.yaml"], period, run, RunOptions(remedies=False))
    assert not run.errors
    return run.assessments[0]


def test_a_standard_scoring_three_years_shows_the_two_before_each_as_assessed_alone(catalog):
    latest = _green_valley(catalog, "cn-green-park@2016")  # score: years: 3; the park reports 2021-2024
    assert latest.period == 2024
    earlier = latest.verdict.score.earlier
    assert [y.year for y in earlier] == [2022, 2023]
    for point in earlier:
        alone = _green_valley(catalog, "cn-green-park@2016", period=point.year).verdict.score
        assert (point.total, point.upper) == (alone.total, alone.upper)
    assert latest.verdict.caveat is not None and "three years" in latest.verdict.caveat.en


def test_a_standard_scoring_one_year_shows_no_earlier_scores(tmp_path):
    root = tmp_path / "standards"
    shutil.copytree(STANDARDS, root)
    pack = root / "cn-green-park" / "2016.yaml"
    text = pack.read_text(encoding="utf-8")
    assert text.count("    years: 3\n") == 1
    pack.write_text(text.replace("    years: 3\n", ""), encoding="utf-8")
    scored = _green_valley(Catalog(root), "cn-green-park@2016").verdict.score
    assert scored is not None and scored.earlier == ()
