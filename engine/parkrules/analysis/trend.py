"""Each indicator over every year of the park file: its values, direction of travel, and the year it first passed;
and, where the standard scores several years, the score of each year before the assessed one.

The other years are evaluated exactly as the assessed one (same plan, factors and context), so a
trend point is the number the report would show had that year been assessed.
"""

from __future__ import annotations

from dataclasses import replace

from parkrules.base.operators import Better
from parkrules.base.status import Status
from parkrules.io.park import Year
from parkrules.model.plan import Plan
from parkrules.model.result import IndicatorResult, Trend, TrendPoint, Verdict, YearScore
from parkrules.rules import score
from parkrules.run.evaluate import Context, evaluate_years

STEADY = 1e-9  # relative change below which a value has not moved


def earlier_years(
    plan: Plan, years: dict[int, Year], year: int, factors: dict[str, float | None], context: Context
) -> dict[int, list[IndicatorResult]]:
    """Every indicator in each year of the park before `year`, as that year's assessment would give it."""
    return evaluate_years(plan, years, sorted(y for y in years if y < year), factors, context)


def with_trends(
    results: list[IndicatorResult], earlier: dict[int, list[IndicatorResult]], year: int
) -> list[IndicatorResult]:
    """`results` (of `year`) with each indicator's trend over the `earlier` years and `year`."""
    if not earlier:
        return results
    series: dict[str, list[TrendPoint]] = {r.id: [] for r in results}
    for other, other_results in sorted(earlier.items()):
        for result in other_results:
            series[result.id].append(_point(other, result))
    # judged by the threshold the assessed year applied (tiers may differ); no direction without one
    return [
        replace(r, trend=_trend([*series[r.id], _point(year, r)], r.threshold.better if r.threshold else None))
        for r in results
    ]


def with_earlier_scores(plan: Plan, verdict: Verdict, earlier: dict[int, list[IndicatorResult]]) -> Verdict:
    """The verdict with the scores of the years before, where the standard scores several (`score.years`): only
    the years the park reports, scored exactly as the assessed one."""
    rules = plan.pack.verdict
    if verdict.score is None or rules is None or rules.score is None or rules.score.years < 2:
        return verdict
    wanted = sorted(earlier)[-(rules.score.years - 1) :]
    scored = [(y, score.total(plan.indicators, earlier[y], rules.score, plan.pack.groups)) for y in wanted]
    before = tuple(YearScore(y, result.total, result.upper) for y, result in scored)
    return replace(verdict, score=replace(verdict.score, earlier=before))


def _point(year: int, result: IndicatorResult) -> TrendPoint:
    state = result.state
    return TrendPoint(year, result.value, result.status, state.id if state else None, state.name if state else None)


def _trend(points: list[TrendPoint], better: Better | None) -> Trend:
    first_passed = next((p.year for p in points if p.status == Status.PASS), None)
    return Trend(tuple(points), _direction(points, better), first_passed)


def _direction(points: list[TrendPoint], better: Better | None) -> str | None:
    numbers = [p.value for p in points if isinstance(p.value, (int, float)) and not isinstance(p.value, bool)]
    if better is None or len(numbers) < 2:
        return None
    change = numbers[-1] - numbers[0]
    if abs(change) <= STEADY * max(abs(numbers[0]), abs(numbers[-1]), 1.0):
        return "steady"
    improved = change < 0 if better == "lower" else change > 0
    return "improving" if improved else "worsening"
