"""Each indicator over every year of the park file: its values, direction of travel, and the year it first passed.

The other years are evaluated exactly as the assessed one (same plan, factors and context), so a
trend point is the number the report would show had that year been assessed.
"""

from __future__ import annotations

from dataclasses import replace

from parkrules.base.operators import Better
from parkrules.base.status import Status
from parkrules.io.park import Year
from parkrules.model.plan import Plan
from parkrules.model.result import IndicatorResult, Trend, TrendPoint
from parkrules.run.evaluate import Context, evaluate_years

STEADY = 1e-9  # relative change below which a value has not moved


def with_trends(
    plan: Plan,
    years: dict[int, Year],
    year: int,
    factors: dict[str, float | None],
    context: Context,
    results: list[IndicatorResult],
) -> list[IndicatorResult]:
    """`results` (of `year`) with each indicator's trend over the park's years up to `year`."""
    earlier = sorted(y for y in years if y < year)
    if not earlier:
        return results
    series: dict[str, list[TrendPoint]] = {r.id: [] for r in results}
    for other, other_results in evaluate_years(plan, years, earlier, factors, context).items():
        for result in other_results:
            series[result.id].append(_point(other, result))
    # judged by the threshold the assessed year applied (tiers may differ); no direction without one
    return [
        replace(r, trend=_trend([*series[r.id], _point(year, r)], r.threshold.better if r.threshold else None))
        for r in results
    ]


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
