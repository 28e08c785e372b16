"""STIRPAT elasticities of park CO2 over a park's years, by ridge regression (as the Ganzhou study does):

    ln C = a + b1 ln Y + b2 ln E + b3 S_energy + b4 S_industry

Y output (value added), E energy (tce), S_energy the share of coal in energy, S_industry the share of industry in
GDP. b1, b2 are elasticities: a 1 % rise in Y goes with b1 % more CO2, the others held. Descriptive only, over
few years: the answer says how many years it rests on and is left out with fewer than `MIN_YEARS`. The ridge
penalty is chosen by generalised cross-validation over the standardised regressors; numpy's least squares does the
fitting (a handful of years: no library needed beyond it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

MIN_YEARS = 6  # four regressors and an intercept need more years than parameters
REGRESSORS = ("ln_output", "ln_energy", "coal_share", "industry_share")
PENALTIES = tuple(10.0**k for k in range(-4, 3))


@dataclass(frozen=True)
class Stirpat:
    years: tuple[int, ...]
    coefficients: dict[str, float]  # per regressor, in the units of the equation above
    penalty: float  # the ridge penalty chosen (on standardised regressors)
    r_squared: float


def fit(rows: Mapping[int, Mapping[str, float]]) -> Stirpat | None:
    """The fit over the years whose rows have CO2 and every regressor (`ln_co2` and `REGRESSORS`), or None with
    fewer than `MIN_YEARS` such years or a regressor that does not vary."""
    years = tuple(sorted(year for year, row in rows.items() if all(key in row for key in ("ln_co2", *REGRESSORS))))
    if len(years) < MIN_YEARS:
        return None
    x = np.array([[rows[year][key] for key in REGRESSORS] for year in years])
    y = np.array([rows[year]["ln_co2"] for year in years])
    spread = x.std(axis=0)
    if np.any(spread == 0):
        return None
    centre, z = x.mean(axis=0), (x - x.mean(axis=0)) / spread
    target = y - y.mean()
    best = min(PENALTIES, key=lambda penalty: _gcv(z, target, penalty))
    beta = np.linalg.solve(z.T @ z + best * np.eye(z.shape[1]), z.T @ target)
    fitted = z @ beta
    total = float(target @ target)
    r_squared = 1.0 - float((target - fitted) @ (target - fitted)) / total if total > 0 else 1.0
    coefficients = dict(zip(REGRESSORS, (beta / spread).tolist(), strict=True))
    coefficients["intercept"] = float(y.mean() - (beta / spread) @ centre)
    return Stirpat(years, coefficients, best, r_squared)


def _gcv(z: np.ndarray, y: np.ndarray, penalty: float) -> float:
    """Generalised cross-validation score of a ridge penalty (lower is better)."""
    hat = z @ np.linalg.solve(z.T @ z + penalty * np.eye(z.shape[1]), z.T)
    residual = y - hat @ y
    free = len(y) - np.trace(hat)
    return float(len(y) * (residual @ residual) / free**2) if free > 0 else float("inf")


def park_rows(quantities: Mapping[int, Mapping[str, float | None]]) -> dict[int, dict[str, float]]:
    """The regression rows from each year's quantities: e_park, energy_consumption_tce, energy_fuel_coal_tce,
    industrial_value_added and park_gdp (where a year lacks one, it has no row)."""
    rows = {}
    for year, q in quantities.items():
        co2, energy, coal = q.get("e_park"), q.get("energy_consumption_tce"), q.get("energy_fuel_coal_tce")
        output, gdp = q.get("industrial_value_added"), q.get("park_gdp")
        if None in (co2, energy, coal, output, gdp):
            continue
        assert co2 is not None and energy is not None and coal is not None and output is not None and gdp is not None
        if min(co2, energy, output, gdp) <= 0:
            continue
        rows[year] = {
            "ln_co2": float(np.log(co2)),
            "ln_output": float(np.log(output)),
            "ln_energy": float(np.log(energy)),
            "coal_share": coal / energy,
            "industry_share": output / gdp,
        }
    return rows
