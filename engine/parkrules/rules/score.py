"""Points per indicator and the weighted total, for packs whose standard scores parks.

Unknown indicators (missing data or an error) earn nothing in `total` and everything in
`upper`, so a score verdict is only decided when both bounds fall on the same side of the
pass line. Indicators that do not apply leave their group's possible points.
"""

from __future__ import annotations

from parkrules.base.names import Names
from parkrules.base.operators import Better
from parkrules.base.status import UNKNOWN, Status
from parkrules.model.pack import Indicator, ScoreScheme
from parkrules.model.result import GroupScore, IndicatorResult, ScoreResult

UNGROUPED = ""


def points_for(indicator: Indicator, status: str, value: object, better: Better | None) -> float | None:
    """Points earned, or None when the indicator is not scored or has no decided status; `better`: which way of the
    applied threshold is better (a ratio score is inverted where lower is)."""
    spec = indicator.score
    if spec is None or status not in (Status.PASS, Status.FAIL):
        return None
    if spec.method == "pass_fail" or not isinstance(value, (int, float)) or isinstance(value, bool):
        return spec.points if status == Status.PASS else 0.0
    assert spec.leading is not None  # the pack schema requires it for linear and ratio, and baseline for linear
    if spec.method == "linear":
        assert spec.baseline is not None
        share = (value - spec.baseline) / (spec.leading - spec.baseline)
    else:  # ratio to the leading value; inverted where lower is better
        inverted = 1.0 if value <= 0 else spec.leading / value
        share = inverted if better == "lower" else value / spec.leading
    return spec.points * min(1.0, max(0.0, share))


def total(
    indicators: tuple[Indicator, ...],
    results: list[IndicatorResult],
    scheme: ScoreScheme,
    group_names: dict[str, Names],
) -> ScoreResult:
    by_id = {result.id: result for result in results}
    earned: dict[str, float] = {}
    possible: dict[str, float] = {}
    unknown: dict[str, float] = {}
    bonus = bonus_unknown = 0.0
    for indicator in indicators:
        result = by_id[indicator.id]
        if indicator.score is None or result.status == Status.NOT_APPLICABLE:
            continue
        points = indicator.score.points
        is_unknown = result.status in UNKNOWN
        if indicator.role == "bonus":
            bonus += result.points or 0.0
            bonus_unknown += points if is_unknown else 0.0
            continue
        group = indicator.group or UNGROUPED
        possible[group] = possible.get(group, 0.0) + points
        earned[group] = earned.get(group, 0.0) + (result.points or 0.0)
        unknown[group] = unknown.get(group, 0.0) + (points if is_unknown else 0.0)
    groups = tuple(
        GroupScore(g, group_names.get(g), scheme.weights.get(g, possible[g]), earned[g], possible[g], unknown[g])
        for g in possible
        if possible[g] > 0
    )
    weight = sum(group.weight for group in groups)

    def scaled(extra: bool) -> float:
        if weight == 0:
            return 0.0
        shares = sum(g.weight * (g.earned + (g.unknown if extra else 0.0)) / g.possible for g in groups)
        return scheme.scale * shares / weight

    low = scaled(False) + bonus
    high = scaled(True) + bonus + bonus_unknown
    band_low, band_high = _grade(low, scheme), _grade(high, scheme)
    return ScoreResult(
        total=low,
        upper=high,
        scale=scheme.scale,
        bonus=bonus,
        grade=band_low if band_low == band_high else None,
        groups=groups,
    )


def _grade(score: float, scheme: ScoreScheme) -> Names | None:
    for grade in scheme.grades:
        if score >= grade.minimum - 1e-9:
            return grade.name
    return None
