"""LMDI: effects add up to the change exactly, a hand-worked case, and a real park's years."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parkrules.analysis.assess import compile_standards
from parkrules.analysis.decompose import decompose, lmdi, logarithmic_mean
from parkrules.io.park import load_park
from parkrules.model.result import RunResult
from tests.conftest import PARKS


def test_hand_worked_single_line():
    # one fuel line: CO2 100 → 150 t, energy 50 → 60 tce, value added 10 → 12
    start = {"e_fuel": 100.0, "energy_fuel_tce": 50.0, "industrial_value_added": 10.0}
    end = {"e_fuel": 150.0, "energy_fuel_tce": 60.0, "industrial_value_added": 12.0}
    effects = {e.id: e.value for e in lmdi(start, end, 2020, 2021).effects}
    weight = 50 / math.log(1.5)  # the logarithmic mean of 150 and 100
    assert effects["output"] == pytest.approx(weight * math.log(1.2))  # 22.483
    assert effects["intensity"] == pytest.approx(0.0, abs=1e-9)  # 5 tce per unit in both years
    assert effects["mix"] == pytest.approx(0.0, abs=1e-9)  # one line: all of the energy
    assert effects["factor"] == pytest.approx(weight * math.log(1.25))  # 2 → 2.5 tCO2/tce: 27.517
    assert sum(effects.values()) == pytest.approx(50.0)


positive = st.floats(5e-324, 1e7, allow_nan=False)  # from the smallest float: no ratio may underflow
maybe_zero = st.one_of(st.just(0.0), positive)
year_values = st.fixed_dictionaries(
    {
        "e_fuel": maybe_zero,
        "energy_fuel_tce": maybe_zero,
        "e_elec": st.one_of(maybe_zero, st.floats(-1e6, -1.0)),
        "energy_elec_tce": maybe_zero,
        "e_heat": maybe_zero,
        "energy_heat_tce": maybe_zero,
        "e_process": maybe_zero,
        "e_transform": st.floats(-1e6, 1e6),
        "industrial_value_added": st.one_of(st.none(), positive),
    }
)


@given(year_values, year_values)
def test_effects_add_up_to_the_change(start, end):
    for values in (start, end):  # no CO2 without energy on a line
        for co2, energy in (("e_fuel", "energy_fuel_tce"), ("e_heat", "energy_heat_tce")):
            if values[energy] == 0:
                values[co2] = 0.0
    result = lmdi(start, end, 2020, 2024)
    total = sum(effect.value for effect in result.effects)
    assert all(math.isfinite(effect.value) for effect in result.effects)
    assert total == pytest.approx(result.end - result.start, rel=1e-9, abs=1e-6)


def test_a_real_park_between_its_first_and_last_year(catalog):
    plan = compile_standards(catalog, ["cn-national-zero-carbon-park"], RunResult())[0]
    park = load_park(PARKS / "green-valley.yaml", catalog.vocabulary, catalog.factor_table)[0]
    first, last = min(park.years), max(park.years)
    result = decompose(plan, park, first, park, last)
    assert result.end - result.start == pytest.approx(sum(e.value for e in result.effects))
    assert {e.id for e in result.effects} >= {"output", "intensity", "mix", "factor"}
    assert result.end < result.start  # green valley's CO2 fell, by buying green power: a negative factor effect
    assert next(e for e in result.effects if e.id == "factor").value < 0


def test_the_logarithmic_mean_of_values_one_bit_apart_is_finite():
    # found by the planner's property test: a growth of 2.2e-16 made two years differ in their last bit only
    a = 1.0e6
    b = math.nextafter(a, 2 * a)
    assert logarithmic_mean(a, b) == pytest.approx(a)
    assert logarithmic_mean(2.0, 1.0) == pytest.approx(1 / math.log(2))
