"""The marginal-abatement-cost curve of a measure library for one park: each costed measure's CO2 cut per unit
(as the accounting method counts it), its cost per tonne and how much it can cut at most, cheapest first.

The cut per unit is the change in `e_park` when one step of the measure is applied to the park's year, divided
by the step; the cost per tonne is the yearly cost of a unit (capital spread over the lifetime, undiscounted,
plus running cost) over that cut; the potential is the size at which a fact the measure reduces reaches zero (or
its own bounds) times the cut. A measure that cuts nothing in this park is listed apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from parkrules.analysis.projection import numbers, with_changes
from parkrules.io.measure_library import MeasureLibrary, PlanMeasure
from parkrules.io.park import Park
from parkrules.model.plan import Plan
from parkrules.run.evaluate import Context, evaluate_plan, factor_values

CO2 = "e_park"


@dataclass(frozen=True)
class AbatementStep:
    measure: PlanMeasure
    cut_per_unit: float  # tCO2 a year per unit of size
    cost_per_tonne: float  # yuan per tCO2
    potential: float  # tCO2 a year at the measure's largest size in this park


def mac_curve(plan: Plan, park: Park, year: int, library: MeasureLibrary) -> tuple[list[AbatementStep], list[str]]:
    """The costed measures that cut CO2 in `year`, cheapest per tonne first, and the ids of those that do not."""
    factors = factor_values(plan, park)[0]

    def co2(version: Park) -> float | None:
        derived, _ = evaluate_plan(plan, version.years, year, factors, Context())
        return next((d.value for d in derived if d.id == CO2), None)

    before = co2(park)
    facts = numbers(park, year)
    steps, idle = [], []
    for measure in library.measures:
        if not measure.costed or before is None:
            continue
        size = _largest(measure, facts)
        step = size / 100 if size and size != float("inf") else 1.0
        after = co2(with_changes(park, {year: {e.fact: e.per_unit * step for e in measure.effects}}))
        cut = (before - after) / step if after is not None else 0.0
        if cut <= 0:
            idle.append(measure.id)
            continue
        yearly = (measure.capex.value or 0.0) / measure.lifetime_years + (measure.opex.value or 0.0)
        potential = cut * size if size != float("inf") else float("inf")
        steps.append(AbatementStep(measure, cut, yearly / cut, potential))
    return sorted(steps, key=lambda s: s.cost_per_tonne), idle


def _largest(measure: PlanMeasure, facts: dict[str, float]) -> float:
    """The size at which a fact the measure reduces reaches zero, or its own bounds, whichever is smaller."""
    limits = [facts.get(e.fact, 0.0) / -e.per_unit for e in measure.effects if e.per_unit < 0]
    if measure.max_size is not None:
        limits.append(measure.max_size)
    if measure.at_most is not None:
        limits.append(facts.get(measure.at_most, 0.0) * measure.at_most_per_fact)
    return max(0.0, min(limits)) if limits else float("inf")
