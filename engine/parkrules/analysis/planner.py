"""Plans: the least-cost measures, sizes and years that make a park pass every chosen pack at every milestone.

The packs' requirements are read from their verdict rules (every indicator an `all_pass` rule selects, and veto
indicators) and turned into linear constraints on the measures' active sizes by the real evaluator: each failing
requirement is linearised where the plan stands (finite differences of the indicator in each measure), the linear
program is solved again, and the planned park is assessed again — until every pack passes in every checked year.
A ratio of amounts against a limit becomes exact this way once linearised at its boundary; rounding and tiers are
the evaluator's own. The plan returned has been assessed with the real packs (`verified`), or says which
requirement cannot be met even with every measure at its bound, and how close it comes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np

from parkrules.analysis.abatement import CO2, AbatementStep, mac_curve
from parkrules.analysis.decompose import Decomposition, decompose
from parkrules.analysis.plan_solver import Cut, Program
from parkrules.analysis.projection import project, with_changes
from parkrules.base.status import Status
from parkrules.io.measure_library import MeasureLibrary, PlanMeasure
from parkrules.io.park import Park
from parkrules.io.vocabulary import Vocabulary
from parkrules.model.plan import Plan
from parkrules.model.result import IndicatorResult
from parkrules.rules.verdict import decide
from parkrules.run.evaluate import Context, evaluate_plan, factor_values

ROUNDS = 25  # re-linearisations before the planner gives up on a plan it cannot verify
STEP = 0.05  # finite-difference step: the measure moves its largest fact by 5 % (a rounded indicator still moves)
MARGIN = 1e-6  # a linearised limit is aimed this far (relative) inside; widened tenfold each time it falls short


@dataclass(frozen=True)
class PlanRequest:
    target_year: int
    milestones: tuple[int, ...] = ()
    growth: Mapping[str, float] = field(default_factory=dict)
    discount_rate: float = 0.0
    budget: float | None = None  # capital, yuan


@dataclass(frozen=True)
class Step:
    """A measure installed in a year: its size, capital cost and operating cost a year (yuan)."""

    measure: PlanMeasure
    year: int
    size: float
    capex: float
    opex_per_year: float


@dataclass(frozen=True)
class Reading:
    """A requirement in a year: the indicator's value before and after the plan, against its limit."""

    pack: str
    year: int
    indicator: IndicatorResult  # as planned
    baseline: IndicatorResult


@dataclass(frozen=True)
class PlanOutcome:
    park: Park  # as planned (the projected years with the measures)
    request: PlanRequest
    library: str
    packs: tuple[str, ...]
    steps: tuple[Step, ...]
    verdicts: dict[tuple[str, int], tuple[str, str]]  # (pack, year) → (baseline verdict, planned verdict)
    readings: tuple[Reading, ...]
    verified: bool  # every pack passes in every checked year when the planned park is assessed
    unmet: tuple[str, ...]  # why no plan (each requirement that cannot be met, and how close it comes)
    blocked: tuple[str, ...]  # packs left out of the plan, as no measure can make them pass (see `unmet`)
    left_out: tuple[str, ...]  # measures without a sourced cost
    discounted_cost: float
    baseline: Park | None = None  # the projected park without measures
    decomposition: Decomposition | None = None  # park CO2 from the latest year to the planned target year
    abatement: tuple[AbatementStep, ...] = ()  # the library's cost curve for the projected target year

    @property
    def capex(self) -> float:
        return sum(step.capex for step in self.steps)


class _Planner:
    def __init__(
        self, plans: list[Plan], park: Park, library: MeasureLibrary, request: PlanRequest, vocabulary: Vocabulary
    ) -> None:
        self.plans, self.request, self.vocabulary = plans, request, vocabulary
        self.latest = max(park.years)
        self.checked = sorted({*request.milestones, request.target_year})
        self.baseline = project(park, vocabulary, request.target_year, request.growth)
        self.factors = {plan.pack.ref: factor_values(plan, park)[0] for plan in plans}
        self.measures = [measure for measure in library.measures if measure.costed]
        self.left_out = tuple(measure.id for measure in library.measures if not measure.costed)
        years = list(range(self.latest + 1, request.target_year + 1))
        numbers = {year: _numbers(self.baseline, year) for year in years}
        self.program = Program(self.measures, years, numbers, vocabulary, request.discount_rate, request.budget)
        self.required = {plan.pack.ref: _required(plan) for plan in plans}

    def assess(self, park: Park, plan: Plan, year: int) -> tuple[str, dict[str, IndicatorResult]]:
        _, results = evaluate_plan(plan, park.years, year, self.factors[plan.pack.ref], Context())
        return decide(plan.pack, plan.indicators, results).status, {result.id: result for result in results}

    def planned(self, installed: np.ndarray) -> Park:
        return with_changes(self.baseline, self.program.changes(installed))

    def run(self) -> PlanOutcome:
        blocked = self._blocked()
        self.plans = [plan for plan in self.plans if plan.pack.ref not in blocked]
        installed = np.zeros(len(self.program.slots))
        cuts: list[Cut] = []
        margins: dict[tuple[str, int, str], float] = {}
        unmet = [why for reasons in blocked.values() for why in reasons]
        for _ in range(ROUNDS):
            failing = self._failing(self.planned(installed))
            if not failing:
                return self._outcome(installed, not blocked, tuple(unmet), tuple(blocked))
            for plan, year, result in failing:
                key = (plan.pack.ref, year, result.id)
                margins[key] = MARGIN if key not in margins else margins[key] * 10
                cuts.append(self._cut(plan, year, result, installed, margins[key]))
            solved = self.program.solve(cuts)
            if solved is None:
                unmet += self._explain(cuts)
                break
            installed = solved
        else:
            unmet.append(f"no verified plan after {ROUNDS} rounds: " + ", ".join(sorted({c.label for c in cuts})))
        return self._outcome(installed, False, tuple(unmet), tuple(blocked))

    def _blocked(self) -> dict[str, list[str]]:
        """Packs no measure can make pass, with why: data missing for a requirement, a yes/no requirement not
        met, or the pack not applying to the park; the other packs are planned without them."""
        blocked: dict[str, dict[str, list[int]]] = {}
        for plan in self.plans:
            for year in self.checked:
                verdict, results = self.assess(self.baseline, plan, year)
                reasons = blocked.setdefault(plan.pack.ref, {})
                if verdict == Status.NOT_APPLICABLE:
                    reasons.setdefault("the pack does not apply to this park", []).append(year)
                    continue
                for indicator_id in self.required[plan.pack.ref]:
                    why = self._unplannable(results[indicator_id])
                    if why:
                        reasons.setdefault(f"{indicator_id} {why}", []).append(year)
        return {
            ref: [f"{ref}: {why} ({', '.join(map(str, years))})" for why, years in reasons.items()]
            for ref, reasons in blocked.items()
            if reasons
        }

    def _failing(self, park: Park) -> list[tuple[Plan, int, IndicatorResult]]:
        out = []
        for plan in self.plans:
            for year in self.checked:
                verdict, results = self.assess(park, plan, year)
                if verdict == Status.PASS:
                    continue
                out += [
                    (plan, year, results[i]) for i in self.required[plan.pack.ref] if results[i].status != Status.PASS
                ]
        return out

    @staticmethod
    def _unplannable(result: IndicatorResult) -> str | None:
        """Why no measure can make this requirement pass, or None."""
        if result.status == Status.PASS:
            return None
        if result.status != Status.FAIL:
            missing = f": missing {', '.join(result.missing)}" if result.missing else ""
            return f"is {result.status}{missing} — a plan cannot supply data"
        if not isinstance(result.value, int | float) or isinstance(result.value, bool) or result.threshold is None:
            return "fails and is a yes/no or category requirement that no measure moves"
        if result.threshold.operator not in ("<=", "<", ">=", ">"):
            return f"must equal {result.threshold.value}: a plan cannot aim at an equality"
        return None

    def _cut(self, plan: Plan, year: int, result: IndicatorResult, installed: np.ndarray, margin: float) -> Cut:
        """The requirement as a linear constraint on the active sizes of `year`, linearised at `installed`."""
        assert result.threshold is not None and isinstance(result.value, int | float)
        at = self.program.sizes(installed, year)
        value, limit = float(result.value), float(result.threshold.value)
        gradient = np.zeros(len(self.measures))
        park = self.planned(installed)
        for index, measure in enumerate(self.measures):
            step = self._step(measure, year)
            moved = with_changes(park, {year: {e.fact: e.per_unit * step for e in measure.effects}})
            value_after = self.assess(moved, plan, year)[1][result.id].value
            if isinstance(value_after, int | float) and not isinstance(value_after, bool):
                gradient[index] = (float(value_after) - value) / step
        aim = limit - margin * max(abs(limit), 1e-9)
        sign = 1.0 if result.threshold.operator in ("<=", "<") else -1.0  # `>=` becomes `-value ≤ -limit`
        if sign < 0:
            aim = limit + margin * max(abs(limit), 1e-9)
        bound = sign * (aim - value) + sign * gradient @ at
        return Cut(
            year, sign * gradient, bound, f"{plan.pack.ref} {year}: {result.id} {result.threshold.operator} {limit:g}"
        )

    def _step(self, measure: PlanMeasure, year: int) -> float:
        """A size moving the measure's largest fact by `STEP` of its value (1 unit where the facts are zero)."""
        facts = self.program.baseline[year]
        scales = [abs(facts.get(e.fact, 0.0)) / abs(e.per_unit) for e in measure.effects if e.per_unit]
        scale = max(scales, default=0.0)
        return STEP * scale if scale > 0 else 1.0

    def _explain(self, cuts: list[Cut]) -> list[str]:
        """Each requirement that no plan meets: the best it reaches with every measure at its bound (alone, without
        the budget), against its limit; and the budget, where it is what binds."""
        if self.request.budget is not None:
            needed = self.program.solve(cuts, with_budget=False)
            if needed is not None:
                capex = float(self.program.capital() @ needed)
                return [
                    f"the budget of {self.request.budget:,.0f} 元 is too small: the cheapest plan needs {capex:,.0f} 元"
                ]
        reasons = []
        for cut in {c.label: c for c in cuts}.values():
            objective = np.zeros(len(self.program.slots)) + cut.coefficients @ self.program.active(cut.year)
            best = self.program.solve([], with_budget=False, objective=objective)
            if best is None:
                continue
            pack_ref, rest = cut.label.split(" ", 1)
            year = int(rest.split(":", 1)[0])
            indicator_id = rest.split(": ", 1)[1].split(" ", 1)[0]
            plan = next(plan for plan in self.plans if plan.pack.ref == pack_ref)
            reached = self.assess(self.planned(best), plan, year)[1][indicator_id]
            if reached.status != Status.PASS:
                reasons.append(f"{cut.label}: reaches {_number(reached.value)} at best with every costed measure")
        return reasons or ["the requirements cannot all be met together with these measures"]

    def _outcome(
        self, installed: np.ndarray, verified: bool, unmet: tuple[str, ...], blocked: tuple[str, ...]
    ) -> PlanOutcome:
        park = self.planned(installed)
        steps = []
        for column, (index, year) in enumerate(self.program.slots):
            size = float(installed[column])
            if size > 1e-9:
                measure = self.measures[index]
                capex, opex = (measure.capex.value or 0.0) * size, (measure.opex.value or 0.0) * size
                steps.append(Step(measure, year, size, capex, opex))
        verdicts, readings = {}, []
        for plan in self.plans:
            for year in range(self.latest, self.request.target_year + 1):
                before, before_results = self.assess(self.baseline, plan, year)
                after, after_results = self.assess(park, plan, year)
                if year in self.checked:
                    verdicts[(plan.pack.ref, year)] = (before, after)
                readings += [
                    Reading(plan.pack.ref, year, after_results[i], before_results[i])
                    for i in self.required[plan.pack.ref]
                ]
        return PlanOutcome(
            park=park,
            request=self.request,
            library="",
            packs=tuple(plan.pack.ref for plan in self.plans),
            blocked=blocked,
            steps=tuple(steps),
            verdicts=verdicts,
            readings=tuple(readings),
            verified=verified and all(after == Status.PASS for _, after in verdicts.values()),
            unmet=unmet,
            left_out=self.left_out,
            discounted_cost=float(self.program.costs() @ installed),
            baseline=self.baseline,
        )


def make_plan(
    plans: list[Plan], park: Park, library: MeasureLibrary, request: PlanRequest, vocabulary: Vocabulary
) -> PlanOutcome:
    """The least-cost plan for `park` to pass every plan's pack at every milestone and the target year, with where
    its CO2 change comes from and the library's cost curve, where a pack counts park CO2."""
    outcome = _Planner(plans, park, library, request, vocabulary).run()
    counting = next((plan for plan in plans if any(item.id == CO2 for item, _ in plan.derived)), None)
    extra: dict = {"library": library.ref}
    if counting is not None and outcome.baseline is not None:
        latest, target = max(park.years), request.target_year
        extra["decomposition"] = decompose(counting, park, latest, outcome.park, target)
        extra["abatement"] = tuple(mac_curve(counting, outcome.baseline, target, library)[0])
    return replace(outcome, **extra)


def _required(plan: Plan) -> tuple[str, ...]:
    """The indicators a pass needs: each one an `all_pass` rule selects, and every veto indicator."""
    rules = plan.pack.verdict.rules if plan.pack.verdict else ()
    return tuple(
        indicator.id
        for indicator in plan.indicators
        if indicator.role == "veto"
        or any(
            rule.kind == "all_pass"
            and rule.selector
            and rule.selector.matches(indicator.id, indicator.role, indicator.group)
            for rule in rules
        )
    )


def _numbers(park: Park, year: int) -> dict[str, float]:
    return {
        fact_id: float(given.value)
        for fact_id, given in park.years[year].facts.items()
        if isinstance(given.value, int | float) and not isinstance(given.value, bool)
    }


def _number(value: object) -> str:
    return f"{value:.4g}" if isinstance(value, int | float) and not isinstance(value, bool) else str(value)
