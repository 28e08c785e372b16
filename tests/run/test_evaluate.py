"""Evaluating the national pack on the bundled parks, checked against hand computations."""

from __future__ import annotations

import pytest

from parkrules.analysis.assess import assess_parks, compile_standards
from parkrules.model.result import RunResult
from tests.conftest import PARKS


def _assess(catalog, park_file, period=None):
    run = RunResult()
    plans = compile_standards(catalog, ["cn-national-zero-carbon-park"], run)
    assess_parks(catalog, plans, [PARKS / park_file], period, run)
    assert run.errors == []
    (assessment,) = run.assessments
    return assessment


def _by_id(items):
    return {item.id: item for item in items}


def test_failing_park_core_indicator_by_hand(catalog):
    """coal-town.yaml, recomputed with the factor table cn-park-accounting@2025.07 and the park's override.

    CO2 (附件4):
      raw coal      1 200 000 t   × 1.86 tCO2/t        = 2 232 000 t
      natural gas   5e7 Nm3       × 0.002140348518     =   107 017.4259 t
                    (from its parts: 389.31 GJ/万Nm3 × 15.3 tC/TJ × 98 % × 44/12)
      grid power    2e9 kWh       × 0.0008325 tCO2/kWh = 1 665 000 t
      fossil heat   2 000 000 GJ  × 0.095 tCO2/GJ      =   190 000 t   (park override of the 0.11 default)
      E_park                                           = 4 194 017.4259 t
    Energy (附件3 指标解释1, electricity at the equivalent value 0.3007 kgce/kWh):
      raw coal      1 200 000 t   × 0.7143 tce/t       =   857 160 tce
      natural gas   5e7 Nm3       × 0.00133 tce/Nm3    =    66 500 tce
      grid power    2e9 kWh       × 0.0003007 tce/kWh  =   601 400 tce
      heat          2 000 000 GJ  × 0.034121 tce/GJ    =    68 242 tce
      total                                            = 1 593 302 tce  (≥ 1 000 000 → tier B, ≤ 0.3)
    单位能耗碳排放 = 4 194 017.4259 / 1 593 302 = 2.63227… tCO2/tce → fail, gap 2.33227… over 0.3.
    """
    a = _assess(catalog, "coal-town.yaml")
    derived = _by_id(a.derived)
    assert derived["e_park"].value == pytest.approx(2_232_000 + 107_017.4259 + 1_665_000 + 190_000)
    assert derived["energy_consumption_tce"].value == pytest.approx(857_160 + 66_500 + 601_400 + 68_242)
    core = _by_id(a.indicators)["carbon_per_energy"]
    expected = 4_194_017.4259 / 1_593_302
    assert core.value == pytest.approx(expected, rel=1e-12)
    assert core.status == "fail"
    assert core.threshold.value == 0.3
    assert core.threshold.why == "energy_consumption_tce >= 1000000 (with energy_consumption_tce = 1.5933e+06 tce)"
    assert core.gap.absolute == pytest.approx(expected - 0.3)
    assert a.verdict.status == "fail"
    override = _by_id(a.factors)["ef_heat_fossil_default"]
    assert override.overridden and override.value == 0.095


def test_green_park_passes_tier_a(catalog):
    a = _assess(catalog, "green-valley.yaml")
    core = _by_id(a.indicators)["carbon_per_energy"]
    # CO2: gas 5e6 × 0.002140348518 = 10 701.74259; diesel 500 × 3.1 = 1 550; grid 2e7 kWh × 0.0008325 = 16 650
    # → 28 901.74259; tce: gas 6 650; diesel 728.55; electricity 8e8 kWh × 0.0003007 = 240 560 → 247 938.55
    assert core.value == pytest.approx(28_901.74259 / 247_938.55)
    assert (core.status, core.threshold.value, a.verdict.status) == ("pass", 0.2, "pass")


def test_earlier_year_can_be_chosen(catalog):
    a = _assess(catalog, "green-valley.yaml", period=2023)
    assert a.period == 2023
    assert _by_id(a.derived)["elec_consumption_kwh"].value == pytest.approx(6.9e8)


def test_missing_data_is_listed_never_zero(catalog):
    a = _assess(catalog, "river-port.yaml")
    indicators = _by_id(a.indicators)
    assert indicators["carbon_per_energy"].status == "missing"
    assert "elec_grid_received" in indicators["carbon_per_energy"].missing
    assert indicators["carbon_per_energy"].value is None
    assert indicators["bc_statistics_basis"].missing == ("bc_statistics_basis",)
    assert a.verdict.status == "incomplete"


def test_small_park_has_no_tier(catalog):
    a = _assess(catalog, "small-hitech.yaml")
    core = _by_id(a.indicators)["carbon_per_energy"]
    assert core.status == "not_applicable" and core.threshold is None
    assert "200 000" in core.message
    excluded = _by_id(a.indicators)["waste_energy_utilisation"]
    assert excluded.status == "not_applicable" and "excluded by the park" in excluded.message
    assert a.verdict.status == "not_applicable"
