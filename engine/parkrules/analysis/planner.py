"""Plans: the least-cost measures, sizes and years that make a park pass every chosen pack at every milestone.

The packs' requirements are read from their verdict rules (every indicator an `all_pass` rule selects, veto
indicators, a score's pass line, and rules that count passes, where the solver chooses which indicators to make pass)
and turned into linear constraints on the measures' active sizes by the real evaluator: each failing
requirement is linearised where the plan stands (finite differences of the indicator in each measure), the linear
program is solved again, and the planned park is assessed again — until every pack passes in every checked year.
A ratio of amounts against a limit becomes exact this way once linearised at its boundary; rounding and tiers are
the evaluator's own. The plan returned has been assessed with the real packs (`verified`), or says which
requirement cannot be met even with every measure at its bound, and how close it comes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import partial

import numpy as np

from parkrules.analysis.abatement import CO2, AbatementStep, mac_curve
from parkrules.analysis.decompose import Decomposition, decompose
from parkrules.analysis.plan_solver import Choice, Cut, Program
from parkrules.analysis.projection import numbers, project, with_changes
from parkrules.analysis.targets import Target
from parkrules.base import operators
from parkrules.base.errors import Location, ParkrulesError
from parkrules.base.numbers import number
from parkrules.base.status import UNKNOWN, Status
from parkrules.io.measure_library import Basis, Cost, MeasureLibrary, PlanMeasure
from parkrules.io.park import Park
from parkrules.io.vocabulary import Vocabulary
from parkrules.model.pack import Rule
from parkrules.model.plan import Plan
from parkrules.model.result import IndicatorResult, RuleOutcome, Verdict
from parkrules.rules.verdict import decide, rule_outcomes
from parkrules.run.evaluate import Context, evaluate_plan, factor_values

ROUNDS = 25  # re-linearisations before the planner gives up on a plan it cannot verify
STEP = 0.05  # finite-difference step: the measure moves its largest fact by 5 % (a rounded indicator still moves)
MARGIN = 1e-6  # a linearised limit is aimed this far (relative) inside; widened tenfold each time it falls short
COUNTING = ("at_least", "at_least_share")  # verdict rules that count passing indicators


@dataclass(frozen=True)
class PlanRequest:
    target_year: int
    milestones: tuple[int, ...] = ()
    growth: Mapping[str, float] = field(default_factory=dict)
    discount_rate: float = 0.0
    budget: float | None = None  # capital, yuan
    targets: tuple[Target, ...] = ()  # what the user names beyond the packs' verdicts


@dataclass(frozen=True)
class Requirement:
    """What the planned park must meet in a year: a pack's indicator against the limit that applies to it, or a
    target the user named; `read` gives its value for another version of the park."""

    label: str
    years: tuple[int, ...]  # the years whose measures move it (two for a peak: this year's rise over the last)
    value: float
    operator: str
    limit: float
    read: Callable[[Park], float | None]


@dataclass(frozen=True)
class Count:
    """A rule that counts passes and is not met in a year: `need` of its members must pass; each member that can
    be planned has its requirement (None where it already passes)."""

    label: str
    need: float
    members: dict[str, Requirement | None]


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
class TargetReading:
    """A named target in a year: its quantity before and after the plan, against its limit."""

    target: Target
    year: int
    baseline: float | None
    planned: float | None
    limit: float | None  # None: the target sets no limit this year (a peak, up to its year)

    @property
    def status(self) -> str:
        if self.limit is None:
            return Status.NOT_APPLICABLE
        if self.planned is None:
            return Status.MISSING
        met = operators.of(self.target.operator).holds(self.planned, self.limit)
        return Status.PASS if met else Status.FAIL


@dataclass(frozen=True)
class PlanOutcome:
    park: Park  # as planned (the projected years with the measures)
    request: PlanRequest
    library: str
    packs: tuple[str, ...]
    steps: tuple[Step, ...]
    verdicts: dict[tuple[str, int], tuple[str, str]]  # (pack, year) → (baseline verdict, planned verdict)
    readings: tuple[Reading, ...]
    target_readings: tuple[TargetReading, ...]
    verified: bool  # every pack passes in every checked year when the planned park is assessed
    unmet: tuple[str, ...]  # why no plan (each requirement that cannot be met, and how close it comes)
    blocked: tuple[str, ...]  # packs left out of the plan, as no measure can make them pass (see `unmet`)
    left_out: tuple[str, ...]  # measures without a sourced cost
    unavailable: tuple[str, ...]  # measures bounded by a fact the park does not state, with that fact
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
        self.unavailable = _unavailable(self.measures, park)
        years = list(range(self.latest + 1, request.target_year + 1))
        baseline = {year: numbers(self.baseline, year) for year in years}
        self.program = Program(self.measures, years, baseline, vocabulary, request.discount_rate, request.budget)
        self.required = {plan.pack.ref: _required(plan) for plan in plans}
        self.counted = {plan.pack.ref: _counted(plan) for plan in plans}
        self.sources: dict[str, Plan] = {}  # a quantity a target names → the first pack that computes it
        for plan in plans:
            for name in [item.id for item, _ in plan.derived] + [indicator.id for indicator in plan.indicators]:
                self.sources.setdefault(name, plan)
        for target in request.targets:
            if target.quantity not in self.sources:
                raise ParkrulesError(
                    f"no chosen pack computes {target.quantity} (name a derived quantity or an indicator of a pack "
                    "given with -s, such as e_park_net_of_offsets with park-net-zero-view)",
                    Location("--target", None, target.text),
                )
            if target.peak and not self.latest <= target.year < request.target_year:  # type: ignore[operator]
                raise ParkrulesError(
                    f"the peak year must be from {self.latest} to before the target year {request.target_year}",
                    Location("--target", None, target.text),
                )
            if not target.peak and target.year is not None and not self.latest < target.year <= request.target_year:
                raise ParkrulesError(
                    f"its year must be after {self.latest} and at most the target year {request.target_year}",
                    Location("--target", None, target.text),
                )

    def assess(self, park: Park, plan: Plan, year: int) -> tuple[Verdict, dict[str, IndicatorResult]]:
        _, results = evaluate_plan(plan, park.years, year, self.factors[plan.pack.ref], Context())
        return decide(plan.pack, plan.indicators, results), {result.id: result for result in results}

    def planned(self, installed: np.ndarray) -> Park:
        return with_changes(self.baseline, self.program.changes(installed))

    def run(self) -> PlanOutcome:
        blocked = self._blocked()
        self.plans = [plan for plan in self.plans if plan.pack.ref not in blocked]
        installed = np.zeros(len(self.program.slots))
        cuts: list[tuple[Cut, Requirement]] = []
        chosen: dict[str, tuple[float, dict[str, list[Cut]]]] = {}  # count label → (need, member → its cuts)
        margins: dict[str, float] = {}
        unmet = [why for reasons in blocked.values() for why in reasons]
        for _ in range(ROUNDS):
            failing, counts = self._failing(self.planned(installed))
            if not failing and not counts:
                return self._outcome(installed, not blocked, tuple(unmet), tuple(blocked))
            if any(requirement.value != requirement.value for requirement in failing):  # NaN: a quantity went missing
                unmet += [f"{r.label}: no value for the planned park" for r in failing if r.value != r.value]
                break
            for requirement in failing:
                cuts.append((self._cut(requirement, installed, self._widen(margins, requirement)), requirement))
            for count in counts:
                members = chosen.setdefault(count.label, (count.need, {}))[1]
                for member, wanted in count.members.items():
                    made = members.setdefault(member, [])
                    if wanted is not None:
                        made.append(self._cut(wanted, installed, self._widen(margins, wanted)))
            choices = tuple(
                Choice(tuple(tuple(made) for made in members.values()), need, label)
                for label, (need, members) in chosen.items()
            )
            solved = self.program.solve([cut for cut, _ in cuts], choices=choices)
            if solved is None:
                unmet += self._explain(cuts, choices)
                break
            installed = solved
        else:
            labels = sorted({requirement.label for _, requirement in cuts} | set(chosen))
            unmet.append(f"no verified plan after {ROUNDS} rounds: " + ", ".join(labels))
        return self._outcome(installed, False, tuple(unmet), tuple(blocked))

    def _blocked(self) -> dict[str, list[str]]:
        """Packs no measure can make pass, with why: data missing for a requirement, a yes/no requirement not
        met, or the pack not applying to the park; the other packs are planned without them. Analyses give no
        verdict: they are read for targets only."""
        blocked: dict[str, dict[str, list[int]]] = {}
        for plan in self.plans:
            if plan.pack.kind == "analysis":
                continue
            for year in self.checked:
                verdict, results = self.assess(self.baseline, plan, year)
                reasons = blocked.setdefault(plan.pack.ref, {})
                if verdict.status == Status.NOT_APPLICABLE:
                    reasons.setdefault("the pack does not apply to this park", []).append(year)
                    continue
                for indicator_id in self.required[plan.pack.ref]:
                    why = self._unplannable(results[indicator_id])
                    if why:
                        reasons.setdefault(f"{indicator_id} {why}", []).append(year)
                for why in self._uncountable(plan, year, verdict, results):
                    reasons.setdefault(why, []).append(year)
        return {
            ref: [f"{ref}: {why} ({', '.join(map(str, years))})" for why, years in reasons.items()]
            for ref, reasons in blocked.items()
            if reasons
        }

    def _failing(self, park: Park) -> tuple[list[Requirement], list[Count]]:
        """What `park` does not meet: each required indicator of a pack that does not pass, a score below its pass
        line, each target not reached; and each rule that counts passes and is not met."""
        out: list[Requirement] = []
        counts: list[Count] = []
        for plan in self.plans:
            if plan.pack.kind == "analysis":
                continue
            for year in self.checked:
                verdict, results = self.assess(park, plan, year)
                if verdict.status == Status.PASS:
                    continue
                for indicator_id in self.required[plan.pack.ref]:
                    result = results[indicator_id]
                    if result.status != Status.PASS and result.threshold is not None:
                        out.append(self._indicator_requirement(plan, year, result))
                for rule, outcome in rule_outcomes(plan.pack, verdict):
                    if outcome.status == Status.PASS:
                        continue
                    if rule.kind == "score_at_least" and verdict.score is not None:
                        out.append(self._score_requirement(plan, year, verdict, outcome.needed))
                    elif rule.kind in COUNTING and outcome.needed is not None:
                        counts.append(self._count(plan, year, rule, outcome, results))
        for target in self.request.targets:
            if target.peak:
                out += self._peak_requirements(park, target)
                continue
            for year in [target.year] if target.year else self.checked:
                value = self.quantity(park, target.quantity, year)
                limit = self._target_limit(target)
                met = value is not None and operators.of(target.operator).holds(value, limit)
                if not met:
                    read = partial(self.quantity, quantity=target.quantity, year=year)
                    shown = value if value is not None else float("nan")
                    label = f"target {target.text} {year}: {target.quantity} {target.operator} {limit:g}"
                    out.append(Requirement(label, (year,), shown, target.operator, limit, read))
        return out, counts

    def _count(
        self, plan: Plan, year: int, rule: Rule, outcome: RuleOutcome, results: dict[str, IndicatorResult]
    ) -> Count:
        """The rule's members: None for each that passes, a requirement for each a plan can make pass."""
        assert rule.selector is not None and outcome.needed is not None
        members: dict[str, Requirement | None] = {}
        for result in results.values():
            if not rule.selector.matches(result.id, result.role, result.group):
                continue
            if result.status == Status.PASS:
                members[result.id] = None
            elif self._unplannable(result) is None and result.threshold is not None:
                members[result.id] = self._indicator_requirement(plan, year, result)
        return Count(f"{plan.pack.ref} {year}: {outcome.rule.en}", outcome.needed, members)

    def _uncountable(self, plan: Plan, year: int, verdict: Verdict, results: dict[str, IndicatorResult]) -> list[str]:
        """Why a rule that counts passes or points cannot be met by any plan: too few of its indicators can be
        planned, or the score is not decided for want of data."""
        out = []
        for rule, outcome in rule_outcomes(plan.pack, verdict):
            if outcome.status == Status.PASS:
                continue
            if rule.kind in COUNTING and outcome.needed is not None:
                able = len(self._count(plan, year, rule, outcome, results).members)
                if able < outcome.needed:
                    out.append(f"{outcome.rule.en}: only {able} of its indicators can pass by a plan")
            elif rule.kind == "score_at_least" and outcome.status != Status.FAIL:
                unknown = [r for r in results.values() if r.points_possible is not None and r.status in UNKNOWN]
                missing = sorted({m for r in unknown for m in r.missing})
                errors = [f"{r.id} is in error ({r.message})" for r in unknown if r.status == Status.ERROR]
                listed = "; ".join(([f"missing {', '.join(missing)}"] if missing else []) + errors)
                out.append(f"the score is {outcome.status}: {listed} — no measure mends that")
        return out

    def _score_requirement(self, plan: Plan, year: int, verdict: Verdict, line: float | None) -> Requirement:
        assert verdict.score is not None and line is not None

        def read(park: Park) -> float | None:
            return self.assess(park, plan, year)[0].score.total  # type: ignore[union-attr]

        label = f"{plan.pack.ref} {year}: score >= {line:g}"
        return Requirement(label, (year,), verdict.score.total, ">=", line, read)

    @staticmethod
    def _widen(margins: dict[str, float], requirement: Requirement) -> float:
        """The margin to aim inside this requirement's limit: tenfold wider each time it is cut again."""
        margins[requirement.label] = margins.get(requirement.label, MARGIN / 10) * 10
        return margins[requirement.label]

    def _peak_requirements(self, park: Park, target: Target) -> list[Requirement]:
        """Each year after the peak year in which the quantity rises over the year before."""
        assert target.year is not None
        out = []
        for year in range(target.year + 1, self.request.target_year + 1):

            def rise(version: Park, year: int = year) -> float | None:
                now, before = (self.quantity(version, target.quantity, y) for y in (year, year - 1))
                return None if now is None or before is None else now - before

            value = rise(park)
            if value is None or value > 0:
                label = f"target {target.text} {year}: {target.quantity} no higher than in {year - 1}"
                shown = value if value is not None else float("nan")
                out.append(Requirement(label, (year, year - 1), shown, "<=", 0.0, rise))
        return out

    def _indicator_requirement(self, plan: Plan, year: int, result: IndicatorResult) -> Requirement:
        assert result.threshold is not None

        def read(park: Park) -> float | None:
            return number(self.assess(park, plan, year)[1][result.id].value)

        operator, limit = result.threshold.operator, float(result.threshold.value)
        label = f"{plan.pack.ref} {year}: {result.id} {operator} {limit:g}"
        value = number(result.value)
        return Requirement(label, (year,), value if value is not None else float("nan"), operator, limit, read)

    def quantity(self, park: Park, quantity: str, year: int) -> float | None:
        """A derived quantity or indicator of the first pack that has it, for `park` in `year`."""
        plan = self.sources[quantity]
        derived, results = evaluate_plan(plan, park.years, year, self.factors[plan.pack.ref], Context())
        found = next((d.value for d in derived if d.id == quantity), None)
        return number(found if found is not None else next((r.value for r in results if r.id == quantity), None))

    def _reading_limit(self, park: Park, target: Target, year: int) -> float | None:
        """The limit a target sets in a year: for a peak, the year before's value after the peak year (none up to
        it)."""
        if not target.peak:
            return self._target_limit(target)
        assert target.year is not None
        return self.quantity(park, target.quantity, year - 1) if year > target.year else None

    def _target_limit(self, target: Target) -> float:
        if target.limit is not None:
            return target.limit
        assert target.cut is not None
        start = self.quantity(self.baseline, target.quantity, self.latest)
        if start is None:
            message = f"{target.quantity} has no value in {self.latest} to cut from"
            raise ParkrulesError(message, Location("--target", None, target.text))
        return start * (1 - target.cut)

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
        if not operators.of(result.threshold.operator).ordered:
            return f"must equal {result.threshold.value}: a plan cannot aim at an equality"
        return None

    def _cut(self, requirement: Requirement, installed: np.ndarray, margin: float) -> Cut:
        """The requirement as a linear constraint on the active sizes of its years, linearised at `installed`."""
        value, limit = requirement.value, requirement.limit
        park = self.planned(installed)
        # the side the operator table says is better: `lower` stays `value ≤ limit`, `higher` becomes `-value ≤ -limit`
        sign = 1.0 if operators.of(requirement.operator).better == "lower" else -1.0
        terms, moved_now = [], 0.0
        for year in requirement.years:
            gradient = np.zeros(len(self.measures))
            for index, measure in enumerate(self.measures):
                if year < self.latest + 1:
                    continue  # a reported year: no measure reaches it
                step = self._step(measure, year)
                moved = with_changes(park, {year: {e.fact: e.per_unit * step for e in measure.effects}})
                after = requirement.read(moved)
                if after is not None:
                    gradient[index] = (after - value) / step
            terms.append((year, sign * gradient))
            if year >= self.latest + 1:
                moved_now += float(gradient @ self.program.sizes(installed, year))
        aim = limit - sign * margin * max(abs(limit), 1e-9)
        return Cut(tuple(terms), sign * (aim - value) + sign * moved_now, requirement.label)

    def _step(self, measure: PlanMeasure, year: int) -> float:
        """A size moving the measure's largest fact by `STEP` of its value (1 unit where the facts are zero)."""
        facts = self.program.baseline[year]
        scales = [abs(facts.get(e.fact, 0.0)) / abs(e.per_unit) for e in measure.effects if e.per_unit]
        scale = max(scales, default=0.0)
        return STEP * scale if scale > 0 else 1.0

    def _explain(self, cuts: list[tuple[Cut, Requirement]], choices: tuple[Choice, ...] = ()) -> list[str]:
        """Each requirement that no plan meets: the best it reaches with every measure at its bound (alone, without
        the budget), against its limit; each rule counting passes that no plan meets; and the budget, where it is
        what binds."""
        only = [cut for cut, _ in cuts]
        if self.request.budget is not None:
            needed = self.program.solve(only, with_budget=False, choices=choices)
            if needed is not None:
                capex = float(self.program.capital() @ needed)
                budget = self.request.budget
                return [f"the budget of {budget:,.0f} 元 is too small: the cheapest plan needs {capex:,.0f} 元"]
        reasons = [
            f"{choice.label}: not met with every costed measure at its bound"
            for choice in choices
            if self.program.solve([], with_budget=False, choices=(choice,)) is None
        ]
        for cut, requirement in {requirement.label: (cut, requirement) for cut, requirement in cuts}.values():
            best = self.program.solve([], with_budget=False, objective=self.program.row(cut))
            if best is None:
                continue
            reached = requirement.read(self.planned(best))
            meets = reached is not None and operators.of(requirement.operator).holds(reached, requirement.limit)
            if not meets:
                shown = "no value" if reached is None else f"{reached:.4g}"
                short = "" if reached is None else f", {abs(reached - requirement.limit):.4g} short"
                reasons.append(f"{requirement.label}: reaches {shown} at best with every costed measure{short}")
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
            if plan.pack.kind == "analysis":
                continue
            for year in range(self.latest, self.request.target_year + 1):
                before, before_results = self.assess(self.baseline, plan, year)
                after, after_results = self.assess(park, plan, year)
                if year in self.checked:
                    verdicts[(plan.pack.ref, year)] = (before.status, after.status)
                readings += [
                    Reading(plan.pack.ref, year, after_results[i], before_results[i])
                    for i in self.required[plan.pack.ref] + self.counted[plan.pack.ref]
                ]
        target_readings = tuple(
            TargetReading(
                target,
                year,
                self.quantity(self.baseline, target.quantity, year),
                self.quantity(park, target.quantity, year),
                self._reading_limit(park, target, year),
            )
            for target in self.request.targets
            for year in range(self.latest, self.request.target_year + 1)
        )
        return PlanOutcome(
            park=park,
            request=self.request,
            library="",
            packs=tuple(plan.pack.ref for plan in self.plans),
            blocked=blocked,
            steps=tuple(steps),
            verdicts=verdicts,
            readings=tuple(readings),
            target_readings=target_readings,
            verified=verified
            and all(after == Status.PASS for _, after in verdicts.values())
            and self._failing(park) == ([], []),
            unmet=unmet,
            left_out=self.left_out,
            unavailable=self.unavailable,
            discounted_cost=float(self.program.costs() @ installed),
            baseline=self.baseline,
        )


def make_plan(
    plans: list[Plan], park: Park, library: MeasureLibrary, request: PlanRequest, vocabulary: Vocabulary
) -> PlanOutcome:
    """The least-cost plan for `park` to pass every plan's pack at every milestone and the target year, with where
    its CO2 change comes from and the library's cost curve, where a pack counts park CO2."""
    outcome = _Planner(plans, park, library, request, vocabulary).run()
    if not outcome.verified and outcome.left_out and not outcome.blocked:
        outcome = replace(outcome, unmet=outcome.unmet + _with_uncosted(plans, park, library, request, vocabulary))
    counting = next((plan for plan in plans if any(item.id == CO2 for item, _ in plan.derived)), None)
    extra: dict = {"library": library.ref}
    if counting is not None and outcome.baseline is not None:
        latest, target = max(park.years), request.target_year
        extra["decomposition"] = decompose(counting, park, latest, outcome.park, target)
        extra["abatement"] = tuple(mac_curve(counting, outcome.baseline, target, library)[0])
    return replace(outcome, **extra)


def _with_uncosted(
    plans: list[Plan], park: Park, library: MeasureLibrary, request: PlanRequest, vocabulary: Vocabulary
) -> tuple[str, ...]:
    """Whether the measures left out for want of a cost would make a plan possible, and which of them it would use:
    the plan again with those measures at a nominal cost of 1 元 a unit (a feasible set, not a least-cost one).
    A pure saving with no bound of its own (coal saved, up to all of it) is not tried: only its cost and its
    bound would say how much of it is real."""
    nominal = Cost(1.0, Basis("provisional", "nominal cost: no sourced figure"))
    measures = tuple(
        measure if measure.costed else replace(measure, capex=Cost(0.0, nominal.basis), opex=nominal)
        for measure in library.measures
        if measure.costed or _bounded(measure)
    )
    trial = _Planner(plans, park, replace(library, measures=measures), replace(request, budget=None), vocabulary).run()
    if not trial.verified:
        return ()
    chosen = {step.measure.id for step in trial.steps}
    used = [m.id for m in library.measures if not m.costed and m.id in chosen]
    return (
        "a plan would exist with measures that have no sourced cost yet: "
        + ", ".join(used)
        + " — give their costs (with a source) in your own library and pass it with --measures",
    )


def _unavailable(measures: list[PlanMeasure], park: Park) -> tuple[str, ...]:
    """Measures bounded by a fact the park's latest year does not state and no measure adds to (on-site PV without
    the park's PV potential): a plan cannot use them, and says why rather than pretending they were weighed."""
    stated = park.years[max(park.years)].facts
    added = {effect.fact for measure in measures for effect in measure.effects if effect.per_unit > 0}
    return tuple(
        f"{measure.id}: the park states no {measure.at_most}"
        for measure in measures
        if measure.at_most is not None and measure.at_most not in stated and measure.at_most not in added
    )


def _bounded(measure: PlanMeasure) -> bool:
    """A measure with a bound of its own, or one that moves an amount from one fact to another (a substitution)."""
    moves_to = any(effect.per_unit > 0 for effect in measure.effects)
    return measure.max_size is not None or measure.at_most is not None or moves_to


def _counted(plan: Plan) -> tuple[str, ...]:
    """The indicators a rule counting passes selects, beyond those every pass needs."""
    rules = [rule for rule in (plan.pack.verdict.rules if plan.pack.verdict else ()) if rule.kind in COUNTING]
    required = set(_required(plan))
    return tuple(
        indicator.id
        for indicator in plan.indicators
        if indicator.id not in required
        and any(rule.selector.matches(indicator.id, indicator.role, indicator.group) for rule in rules if rule.selector)
    )


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
