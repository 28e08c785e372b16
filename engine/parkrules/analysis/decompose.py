"""Where a change in park CO2 came from: additive LMDI (logarithmic mean Divisia index, method I) over the Kaya
identity of the accounting method's energy lines.

    C = Σ_i  Y · (E / Y) · (E_i / E) · (C_i / E_i)      i ∈ fuels burned, electricity, heat

Y is industrial value added, E the energy of the three lines (tce), C_i a line's CO2 as the accounting method
counts it (so green power shows in electricity's emission factor). The change of each line splits into output,
energy intensity, energy mix and emission-factor effects, weighted by the logarithmic mean of the line's CO2 in
the two years; they add up to the change exactly (LMDI-I has no residual). A line absent in one year puts its
whole change on the mix effect, and a line with no CO2 in one year (all green) on the factor effect — the limits
of the formula as that value goes to zero (Ang 2015, "LMDI decomposition approach: a guide"). Transformation and
process CO2, and any line with a negative value, are not energy use shares: each is its own effect, its change as
it is. Without value added in both years, output and intensity are one effect: energy use.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from parkrules.base.names import Names
from parkrules.base.numbers import number
from parkrules.io.park import Park
from parkrules.model.plan import Plan
from parkrules.run.evaluate import Context, evaluate_plan, factor_values

LINES = (  # (CO2 quantity, energy quantity) of the accounting method, per energy line
    ("e_fuel", "energy_fuel_tce"),
    ("e_elec", "energy_elec_tce"),
    ("e_heat", "energy_heat_tce"),
)
OTHERS = ("e_transform", "e_process")  # the rest of e_park, each its own effect
OUTPUT = "industrial_value_added"
NAMES = {
    "output": Names("产出规模效应", "output"),
    "intensity": Names("能源强度效应", "energy intensity"),
    "energy": Names("能源消费规模效应", "energy use"),
    "mix": Names("能源结构效应", "energy mix"),
    "factor": Names("排放因子效应", "emission factors"),
    "e_fuel": Names("燃料燃烧排放变化（含负值，未分解）", "fuels burned (a negative value: not split)"),
    "e_elec": Names("电力排放变化（含负值，未分解）", "electricity (a negative value: not split)"),
    "e_heat": Names("热力排放变化（含负值，未分解）", "heat (a negative value: not split)"),
    "e_transform": Names("加工转换排放变化", "energy transformation"),
    "e_process": Names("工业过程排放变化", "industrial processes"),
}


@dataclass(frozen=True)
class Effect:
    id: str
    name: Names
    value: float  # tCO2


@dataclass(frozen=True)
class Decomposition:
    start_year: int
    end_year: int
    start: float  # park CO2 (tCO2) in each year, over the lines decomposed and the others
    end: float
    effects: tuple[Effect, ...]  # adding up to end - start


def logarithmic_mean(a: float, b: float) -> float:
    """(a − b) / (ln a − ln b), and a where the logarithms cannot tell a from b (equal, or one bit apart)."""
    apart = math.log(a) - math.log(b)
    return a if apart == 0 else (a - b) / apart


def lmdi(
    start: Mapping[str, float | None], end: Mapping[str, float | None], start_year: int, end_year: int
) -> Decomposition:
    """The decomposition from the quantities of two years (CO2 and energy per line, the other CO2 lines, and
    value added where known); a quantity not known counts as zero."""

    def number(values: Mapping[str, float | None], key: str) -> float:
        value = values.get(key)
        return float(value) if value is not None else 0.0

    totals = {"output": 0.0, "intensity": 0.0, "energy": 0.0, "mix": 0.0, "factor": 0.0}
    others = {key: number(end, key) - number(start, key) for key in OTHERS}
    lines = [(number(start, c), number(start, e), number(end, c), number(end, e)) for c, e in LINES]
    negative = {key for line, (key, _) in zip(lines, LINES, strict=True) if min(line) < 0}
    for line, (key, _) in zip(lines, LINES, strict=True):
        if key in negative:
            others[key] = line[2] - line[0]
    kaya = [line for line, (key, _) in zip(lines, LINES, strict=True) if key not in negative]
    energy0, energy1 = sum(line[1] for line in kaya), sum(line[3] for line in kaya)
    y0, y1 = number(start, OUTPUT), number(end, OUTPUT)
    with_output = y0 > 0 and y1 > 0 and energy0 > 0 and energy1 > 0
    for c0, e0, c1, e1 in kaya:
        if c0 == c1 == 0:
            continue
        if e0 == 0 or e1 == 0:  # the line appears or disappears: its share goes to or from zero
            totals["mix"] += c1 - c0
            continue
        if c0 == 0 or c1 == 0:  # emits nothing in one year (all green): its factor goes to or from zero
            totals["factor"] += c1 - c0
            continue
        weight = logarithmic_mean(c1, c0)
        ln = math.log  # differences of logarithms, never ratios: a ratio of tiny values can underflow to zero
        if with_output:
            totals["output"] += weight * (ln(y1) - ln(y0))
            totals["intensity"] += weight * ((ln(energy1) - ln(y1)) - (ln(energy0) - ln(y0)))
        else:
            totals["energy"] += weight * (ln(energy1) - ln(energy0))
        totals["mix"] += weight * ((ln(e1) - ln(energy1)) - (ln(e0) - ln(energy0)))
        totals["factor"] += weight * ((ln(c1) - ln(e1)) - (ln(c0) - ln(e0)))
    kinds = ("output", "intensity") if with_output else ("energy",)
    effects = [Effect(kind, NAMES[kind], totals[kind]) for kind in (*kinds, "mix", "factor")]
    effects += [Effect(key, NAMES[key], value) for key, value in others.items()]
    co2 = [key for key, _ in LINES] + list(OTHERS)
    return Decomposition(
        start_year,
        end_year,
        sum(number(start, key) for key in co2),
        sum(number(end, key) for key in co2),
        tuple(effects),
    )


ALSO = ("e_park", "energy_consumption_tce", "energy_fuel_coal_tce")  # what STIRPAT reads besides
FACTS = (OUTPUT, "park_gdp")


def park_quantities(plan: Plan, park: Park, year: int) -> dict[str, float | None]:
    """The quantities `lmdi` (and `stirpat`) read, for one year of a park, as the plan's accounting method counts
    them."""
    factors = factor_values(plan, park)[0]
    derived, _ = evaluate_plan(plan, park.years, year, factors, Context())
    wanted = {key for pair in LINES for key in pair} | set(OTHERS) | set(ALSO)
    values: dict[str, float | None] = {d.id: d.value for d in derived if d.id in wanted}
    for fact_id in FACTS:
        given = park.years[year].facts.get(fact_id)
        values[fact_id] = number(given.value) if given is not None else None
    return values


def decompose(plan: Plan, start: Park, start_year: int, end: Park, end_year: int) -> Decomposition:
    """The change in park CO2 from `start_year` of `start` to `end_year` of `end` (a park and its plan)."""
    return lmdi(park_quantities(plan, start, start_year), park_quantities(plan, end, end_year), start_year, end_year)
