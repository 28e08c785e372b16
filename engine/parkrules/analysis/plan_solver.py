"""The linear program behind a plan: how much of each measure to install in each year, at least discounted cost.

Variables are the sizes installed per measure and year (from the first year its lead time allows); a measure runs
from the year it is installed, so its active size in a year is the sum of what was installed up to then. The
requirements of the packs come in as linear constraints on active sizes (`Cut`, made by `planner.py` from the real
evaluator); the physical ones are built here: no fact goes below zero or above its maximum, a size stays within the
fact it may not exceed and its own maximum, the capital spent stays within the budget. A rule that counts passes ("at
least 1 of these 2") is a `Choice`: one binary per member says whether the member's cuts bind, and the chosen members
must add up to what the rule needs (big-M, with M from each measure's largest possible size). Solved by HiGHS
through `scipy.optimize.milp`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from parkrules.io.measure_library import PlanMeasure
from parkrules.io.vocabulary import Vocabulary


@dataclass(frozen=True)
class Cut:
    """`Σ coefficients · active sizes in their year` ≤ `bound` (a requirement, linearised); most requirements read
    one year, a peak two."""

    terms: tuple[tuple[int, np.ndarray], ...]  # (year, one coefficient per measure)
    bound: float
    label: str


@dataclass(frozen=True)
class Choice:
    """At least `need` of the members must be met (each counts 1): member k's cuts bind only where it is chosen. A
    member with no cuts is met where the plan stands and counts freely."""

    members: tuple[tuple[Cut, ...], ...]
    need: float
    label: str


UNBOUNDED_SIZE = 1e9  # big-M stand-in for a measure nothing bounds; the verification catches a relaxation too loose


@dataclass
class Program:
    """The measures, the years of the horizon and the baseline facts of each year: everything but the cuts."""

    measures: list[PlanMeasure]
    years: list[int]  # the horizon, after the latest reported year up to the target year
    baseline: Mapping[int, Mapping[str, float]]  # year → numeric fact → value, projected
    vocabulary: Vocabulary
    discount_rate: float = 0.0
    budget: float | None = None
    slots: list[tuple[int, int]] = field(init=False)  # (measure index, install year) per variable

    def __post_init__(self) -> None:
        first = self.years[0]
        self.slots = [
            (index, year)
            for index, measure in enumerate(self.measures)
            for year in self.years
            if year >= first + measure.lead_time_years
        ]

    def active(self, year: int) -> np.ndarray:
        """measures × variables: the active size of each measure in `year` from the installed sizes."""
        matrix = np.zeros((len(self.measures), len(self.slots)))
        for column, (index, installed) in enumerate(self.slots):
            if installed <= year:
                matrix[index, column] = 1.0
        return matrix

    def row(self, cut: Cut) -> np.ndarray:
        """The cut's coefficients on the installed sizes."""
        return sum((coefficients @ self.active(year) for year, coefficients in cut.terms), np.zeros(len(self.slots)))

    def sizes(self, installed: np.ndarray, year: int) -> np.ndarray:
        return self.active(year) @ installed

    def costs(self) -> np.ndarray:
        """Discounted cost of one unit installed in each slot: capital at installation (and at each renewal within
        the horizon), operating cost every year from installation to the target year."""
        last, base = self.years[-1], self.years[0] - 1
        out = np.zeros(len(self.slots))
        for column, (index, installed) in enumerate(self.slots):
            measure = self.measures[index]
            assert measure.capex.value is not None and measure.opex.value is not None  # costed measures only
            renewals = range(installed, last + 1, measure.lifetime_years)
            capital = measure.capex.value * sum(self.discount(year, base) for year in renewals)
            running = measure.opex.value * sum(self.discount(year, base) for year in range(installed, last + 1))
            out[column] = capital + running
        return out

    def capital(self) -> np.ndarray:
        """Capital cost of one unit installed in each slot, undiscounted (what a budget counts)."""
        return np.array([self.measures[index].capex.value or 0.0 for index, _ in self.slots])

    def discount(self, year: int, base: int) -> float:
        return 1.0 / (1.0 + self.discount_rate) ** (year - base)

    def effects(self) -> dict[str, np.ndarray]:
        """Fact → its change per unit of each measure's active size."""
        out: dict[str, np.ndarray] = {}
        for index, measure in enumerate(self.measures):
            for effect in measure.effects:
                out.setdefault(effect.fact, np.zeros(len(self.measures)))[index] += effect.per_unit
        return out

    def changes(self, installed: np.ndarray) -> dict[int, dict[str, float]]:
        """Year → fact → change, for installed sizes."""
        effects = self.effects()
        out = {}
        for year in self.years:
            active = self.sizes(installed, year)
            out[year] = {fact: float(per_unit @ active) for fact, per_unit in effects.items()}
        return out

    def solve(
        self,
        cuts: list[Cut],
        with_budget: bool = True,
        objective: np.ndarray | None = None,
        choices: tuple[Choice, ...] = (),
    ):
        """The installed sizes meeting every cut, choice and physical limit at least cost (or least `objective`), or
        None when there are none."""
        rows, lower, upper = self._physical(with_budget)
        binaries = sum(len(choice.members) for choice in choices)
        width = len(self.slots) + binaries
        matrix = [np.concatenate([row, np.zeros(binaries)]) for row in rows]
        for cut in cuts:
            matrix.append(np.concatenate([self.row(cut), np.zeros(binaries)]))
            lower.append(-np.inf)
            upper.append(cut.bound)
        if choices:
            self._choose(choices, matrix, lower, upper, with_budget)
        cost = self.costs() if objective is None else objective
        cost = np.concatenate([cost, np.zeros(binaries)])
        integrality = np.concatenate([np.zeros(len(self.slots)), np.ones(binaries)])
        bounds = Bounds(np.zeros(width), np.concatenate([np.full(len(self.slots), np.inf), np.ones(binaries)]))
        constraints = [LinearConstraint(np.array(matrix), np.array(lower), np.array(upper))] if matrix else []
        result = milp(cost, constraints=constraints, integrality=integrality, bounds=bounds, options={"presolve": True})
        if result.status != 0 or result.x is None:
            return None
        return np.maximum(result.x[: len(self.slots)], 0.0)

    def _choose(self, choices: tuple[Choice, ...], matrix: list, lower: list, upper: list, with_budget: bool) -> None:
        """Each member's cuts as `row · x + M · chosen ≤ bound + M`, and each choice's `Σ chosen ≥ need`."""
        binaries = sum(len(choice.members) for choice in choices)
        largest = self._largest(with_budget)
        column = len(self.slots)
        for choice in choices:
            start = column
            for cuts in choice.members:
                for cut in cuts:
                    row = self.row(cut)
                    big = max(float(np.clip(row, 0, None) @ largest) - cut.bound, 0.0)
                    extra = np.zeros(binaries)
                    extra[column - len(self.slots)] = big
                    matrix.append(np.concatenate([row, extra]))
                    lower.append(-np.inf)
                    upper.append(cut.bound + big)
                column += 1
            count = np.zeros(len(self.slots) + binaries)
            count[start:column] = 1.0
            matrix.append(count)
            lower.append(choice.need)
            upper.append(np.inf)

    def _largest(self, with_budget: bool) -> np.ndarray:
        """The largest size each slot could take within the physical limits: its measure's largest active size in
        the last year (installed sizes add up to it), by one linear program per measure."""
        rows, lower, upper = self._physical(with_budget)
        last = self.active(self.years[-1])
        constraints = [LinearConstraint(np.array(rows), np.array(lower), np.array(upper))] if rows else []
        tops = []
        for index in range(len(self.measures)):
            result = milp(-last[index], constraints=constraints, bounds=Bounds(0, np.inf))
            tops.append(-result.fun if result.status == 0 else UNBOUNDED_SIZE)
        return np.array([tops[measure] for measure, _ in self.slots])

    def _physical(self, with_budget: bool) -> tuple[list[np.ndarray], list[float], list[float]]:
        rows: list[np.ndarray] = []
        lower: list[float] = []
        upper: list[float] = []
        effects = self.effects()
        for year in self.years:
            active = self.active(year)
            for fact_id, per_unit in effects.items():
                start = self.baseline[year].get(fact_id, 0.0)
                maximum = self.vocabulary.facts[fact_id].maximum
                rows.append(per_unit @ active)
                lower.append(-start)  # the fact stays at or above zero
                upper.append(np.inf if maximum is None else maximum - start)
            for index, measure in enumerate(self.measures):
                if measure.at_most is not None:  # size ≤ (a share of) the fact as the measures leave it, in size units
                    scale = measure.at_most_per_fact
                    per_unit = effects.get(measure.at_most, np.zeros(len(self.measures)))
                    own = np.zeros(len(self.measures))
                    own[index] = 1.0
                    rows.append((own - scale * per_unit) @ active)
                    lower.append(-np.inf)
                    upper.append(scale * self.baseline[year].get(measure.at_most, 0.0))
        last = self.active(self.years[-1])
        for index, measure in enumerate(self.measures):
            if measure.max_size is not None:
                rows.append(last[index])
                lower.append(-np.inf)
                upper.append(measure.max_size)
        if with_budget and self.budget is not None:
            rows.append(self.capital())
            lower.append(-np.inf)
            upper.append(self.budget)
        return rows, lower, upper
