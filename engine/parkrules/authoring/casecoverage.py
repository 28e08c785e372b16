"""Which parts of a pack its test cases exercise: each indicator passing and failing (a classification
indicator: each of its states), each tier applied, each derived quantity computed, each verdict rule
passing and failing, and the verdict both ways (a rule over indicators the pack does not encode can do
neither: no verdict then passes, nor fails unless another rule or a veto can fail it; those items are
not asked for).

Every item is something a wrong edit could break unseen; an item no case reaches is listed by name
so the author knows which case to add.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from parkrules.authoring.packcases import CaseOutcome
from parkrules.model.pack import Indicator, Pack
from parkrules.model.result import IndicatorResult


@dataclass(frozen=True)
class Coverage:
    pack: str
    items: tuple[str, ...]  # every item, in pack order
    covered: frozenset[str]

    @property
    def uncovered(self) -> list[str]:
        return [item for item in self.items if item not in self.covered]

    @property
    def percent(self) -> float:
        return 100.0 * len(self.covered) / len(self.items) if self.items else 100.0


def items_of(pack: Pack) -> list[str]:
    items = []
    for indicator in pack.indicators:
        if indicator.classes:  # a classification indicator: each state taken at least once
            items += [f"{indicator.id}: {entry.id}" for entry in indicator.classes]
            continue
        items += [f"{indicator.id}: pass", f"{indicator.id}: fail"]
        if len(indicator.thresholds) > 1:
            items += [f"{indicator.id}: tier {i + 1}" for i in range(len(indicator.thresholds))]
    items += [f"{item.id}: computed" for item in pack.derived]
    if pack.verdict is None:  # an accounting method: its derived quantities are what it gives
        return items
    undecidable = decidable = False
    for i, rule in enumerate(pack.verdict.rules):
        if rule.selector is not None and not any(
            rule.selector.matches(indicator.id, indicator.role, indicator.group) for indicator in pack.indicators
        ):  # it selects only indicators the pack does not encode: never passes or fails, and no verdict passes
            undecidable = True
            continue
        decidable = True
        items += [f"rule {i + 1}: pass", f"rule {i + 1}: fail"]
    fails = decidable or any(indicator.role == "veto" for indicator in pack.indicators)
    return [*items, *([] if undecidable else ["verdict: pass"]), *(["verdict: fail"] if fails else [])]


def measure(pack: Pack, outcomes: Iterable[CaseOutcome]) -> Coverage:
    """Coverage of `pack` by the cases that ran against it (whether they passed or not)."""
    covered: set[str] = set()
    indicators = {indicator.id: indicator for indicator in pack.indicators}
    for outcome in outcomes:
        for result in outcome.indicators:
            if result.id not in indicators:
                continue
            covered.add(f"{result.id}: {result.state.id if result.state else result.status}")
            tier = _tier_index(indicators[result.id], result)
            if tier is not None and len(indicators[result.id].thresholds) > 1:
                covered.add(f"{result.id}: tier {tier + 1}")
        covered |= {f"{result.id}: {result.status}" for result in outcome.derived}
        if outcome.verdict is not None:
            covered.add(f"verdict: {outcome.verdict.status}")
            covered |= {f"rule {i + 1}: {rule.status}" for i, rule in enumerate(outcome.verdict.rules)}
    items = items_of(pack)
    return Coverage(pack.ref, tuple(items), frozenset(covered) & set(items))


def _tier_index(indicator: Indicator, result: IndicatorResult) -> int | None:
    applied = result.threshold
    if applied is None:
        return None
    for i, threshold in enumerate(indicator.thresholds):
        if (threshold.operator, threshold.value, threshold.clause, threshold.tier) == (
            applied.operator,
            applied.value,
            applied.clause,
            applied.tier,
        ):
            return i
    return None
