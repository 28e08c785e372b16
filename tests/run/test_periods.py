"""Period references (prev, lag, at) over a multi-year park, with a small real test pack."""

from __future__ import annotations

import shutil

import pytest

from parkrules.analysis.assess import assess_parks, compile_standards
from parkrules.model.catalog import Catalog
from parkrules.model.result import RunResult
from tests.conftest import ROOT, STANDARDS

PARK = """park:
  id: growing
  name: {{zh: 增长园区, en: Growing park}}
  province: x
  type: y
years:
{years}
"""


@pytest.fixture
def catalog_with_growth_pack(tmp_path):
    root = tmp_path / "standards"
    shutil.copytree(STANDARDS, root)
    shutil.copytree(ROOT / "tests" / "data" / "growth-pack", root / "growth-pack")
    return Catalog(root)


def _assess(catalog, write, outputs: dict[int, float], period=None):
    years = "\n".join(f'  {y}:\n    facts:\n      gross_industrial_output: "{v} 亿元"' for y, v in outputs.items())
    path = write("park.yaml", PARK.format(years=years))
    run = RunResult()
    plans = compile_standards(catalog, ["growth-pack"], run)
    assess_parks(catalog, plans, [path], period, run)
    assert run.errors == []
    (assessment,) = run.assessments
    return {r.id: r for r in (*assessment.derived, *assessment.indicators)}


def test_three_year_compound_growth(catalog_with_growth_pack, write):
    results = _assess(catalog_with_growth_pack, write, {2020: 100, 2021: 110, 2022: 130, 2023: 172.8})
    # (172.8 / 100) ** (1/3) = 1.2 → 20 % a year
    assert results["output_growth_3y"].value == pytest.approx(20.0)
    assert results["growth"].status == "pass"
    assert results["year_on_year"].value == pytest.approx(100 * (172.8 / 130 - 1))
    assert results["output_change_vs_2020"].value == pytest.approx(72.8e4)  # 亿元 → 万元
    assert results["output_two_year_sum"].value == pytest.approx((172.8 + 130) * 1e4)


def test_names_read_after_a_period_reference_keep_their_year(catalog_with_growth_pack, write):
    """The previous year is computed in the middle of this formula; the current year's value must survive it."""
    results = _assess(catalog_with_growth_pack, write, {2022: 130, 2023: 172.8})
    assert results["output_step"].value == pytest.approx((172.8 - 130) * 1e4)


def test_absent_year_is_missing_and_named(catalog_with_growth_pack, write):
    results = _assess(catalog_with_growth_pack, write, {2021: 110, 2022: 130, 2023: 150})
    assert results["output_growth_3y"].status == "missing"
    assert results["output_growth_3y"].missing == ("gross_industrial_output@2020",)
    assert results["growth"].status == "missing"
    assert results["year_on_year"].status == "pass"  # only needs 2022


def test_earlier_period_uses_its_own_history(catalog_with_growth_pack, write):
    results = _assess(catalog_with_growth_pack, write, {2020: 100, 2021: 110, 2022: 130, 2023: 172.8}, period=2021)
    assert results["year_on_year"].value == pytest.approx(10.0)
    assert results["output_growth_3y"].missing == ("gross_industrial_output@2018",)


def test_zero_growth_base_is_an_error_not_a_crash(catalog_with_growth_pack, write):
    results = _assess(catalog_with_growth_pack, write, {2022: 0, 2023: 10})
    assert results["year_on_year"].status == "error"
    assert "division by zero" in results["year_on_year"].message
