"""STIRPAT by ridge regression: it recovers known elasticities, and says nothing with too few years."""

from __future__ import annotations

import numpy as np
import pytest

from parkrules.analysis.stirpat import MIN_YEARS, fit, park_rows


def _rows(years: int, seed: int = 3) -> dict[int, dict[str, float]]:
    rng = np.random.default_rng(seed)
    rows = {}
    for index in range(years):
        ln_output, ln_energy = 10 + 0.08 * index + rng.normal(0, 0.05), 12 + rng.normal(0, 0.1)
        coal, industry = 0.6 - 0.03 * index + rng.normal(0, 0.02), 0.5 + rng.normal(0, 0.03)
        ln_co2 = 1.0 + 0.4 * ln_output + 0.9 * ln_energy + 1.5 * coal - 0.8 * industry
        rows[2010 + index] = {
            "ln_co2": ln_co2,
            "ln_output": ln_output,
            "ln_energy": ln_energy,
            "coal_share": coal,
            "industry_share": industry,
        }
    return rows


def test_recovers_the_elasticities_of_an_exact_relation():
    result = fit(_rows(12))
    assert result is not None and result.r_squared > 0.999
    assert result.coefficients["ln_output"] == pytest.approx(0.4, abs=0.05)
    assert result.coefficients["ln_energy"] == pytest.approx(0.9, abs=0.05)
    assert result.coefficients["coal_share"] == pytest.approx(1.5, abs=0.15)


def test_too_few_years_give_no_answer():
    assert fit(_rows(MIN_YEARS - 1)) is None


def test_rows_from_quantities_skip_years_without_every_input():
    quantities = {
        2020: {"e_park": 100.0, "energy_consumption_tce": 50.0, "energy_fuel_coal_tce": 30.0,
               "industrial_value_added": 80.0, "park_gdp": 160.0},
        2021: {"e_park": 90.0, "energy_consumption_tce": None, "energy_fuel_coal_tce": 30.0,
               "industrial_value_added": 85.0, "park_gdp": 170.0},
    }  # fmt: skip
    rows = park_rows(quantities)
    assert list(rows) == [2020]
    assert rows[2020]["coal_share"] == pytest.approx(0.6) and rows[2020]["industry_share"] == pytest.approx(0.5)
    assert rows[2020]["ln_co2"] == pytest.approx(np.log(100.0))
