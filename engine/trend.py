"""Each indicator over every year of the park file: its values, direction of travel, and the year it first passed.

The other years are evaluated exactly as the assessed one (same plan, factors and context), so a
trend point is the number the report would show had that year been assessed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from parkrules.evaluate import Context, evaluate_years
from parkrules.names import Names
from parkrules.park import Year
from parkrules.plan import Plan
from parkrules.result import IndicatorResult

LOWER_IS_BETTER = ("<", "<=")
HIGHER_IS_BETTER = (">", ">=")
STEADY = 1e-9  # relative change below which a value has not moved


@dataclass(frozen=True)
class TrendPoint:
    year: int
    value: float | bool | str | None
    status: str
    state: str | None = None  # a classification indicator's class id
    state_name: Names | None = None


@dataclass(frozen=True)
class Trend:
    """`direction` is improving, worsening or steady (first to last numeric value, judged by the threshold's
    operator), or None where there is no threshold or fewer than two values."""

    points: tuple[TrendPoint, ...]
    direction: str | None
    first_passed: int | None


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
    return [replace(r, trend=_trend([*series[r.id], _point(year, r)], r)) for r in results]


def _point(year: int, result: IndicatorResult) -> TrendPoint:
    state = result.state
    return TrendPoint(year, result.value, result.status, state.id if state else None, state.name if state else None)


def _trend(points: list[TrendPoint], latest: IndicatorResult) -> Trend:
    first_passed = next((p.year for p in points if p.status == "pass"), None)
    return Trend(tuple(points), _direction(points, latest), first_passed)


def _direction(points: list[TrendPoint], latest: IndicatorResult) -> str | None:
    operator = latest.threshold.operator if latest.threshold else None
    numbers = [p.value for p in points if isinstance(p.value, (int, float)) and not isinstance(p.value, bool)]
    if operator not in LOWER_IS_BETTER + HIGHER_IS_BETTER or len(numbers) < 2:
        return None
    change = numbers[-1] - numbers[0]
    if abs(change) <= STEADY * max(abs(numbers[0]), abs(numbers[-1]), 1.0):
        return "steady"
    better = change < 0 if operator in LOWER_IS_BETTER else change > 0
    return "improving" if better else "worsening"
