"""What a pack revision does to real parks: verdict flips, indicator status changes, gaps that move, and the
quantities the pack reports (its headline derived results, all an accounting method has).

Each park is assessed against both versions for the same year (its latest); a park that cannot
be read is reported and the others go on.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from parkrules.analysis.assess import assess_parks
from parkrules.base.names import Names
from parkrules.model.catalog import Catalog
from parkrules.model.plan import Plan
from parkrules.model.result import Assessment, DerivedResult, IndicatorResult, RunResult


@dataclass(frozen=True)
class IndicatorShift:
    id: str
    old_status: str | None  # None: the indicator is not in that version
    new_status: str | None
    old_value: object = None
    new_value: object = None
    old_gap: float | None = None  # shortfall to the threshold in the indicator's unit (negative: margin)
    new_gap: float | None = None


@dataclass(frozen=True)
class ParkImpact:
    park: str
    file: str
    year: int
    old_verdict: str
    new_verdict: str
    indicators: tuple[IndicatorShift, ...]
    quantities: tuple[IndicatorShift, ...] = ()  # headline derived results that move
    old_caveat: Names | None = None  # what a pass says is not whole (`Verdict.caveat`), before and after
    new_caveat: Names | None = None

    @property
    def flipped(self) -> bool:
        return self.old_verdict != self.new_verdict


@dataclass
class Impact:
    parks: list[ParkImpact] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "parks": [asdict(park) | {"flipped": park.flipped} for park in self.parks],
            "errors": self.errors,
        }


def impact(catalog: Catalog, old: Plan, new: Plan, paths: list[Path]) -> Impact:
    run = RunResult()
    assess_parks(catalog, [old, new], paths, None, run)
    result = Impact(errors=run.errors)
    by_park: dict[str, list[Assessment]] = {}
    for assessment in run.assessments:
        by_park.setdefault(assessment.park.file, []).append(assessment)
    for file, pair in by_park.items():
        if len(pair) != 2:  # one version could not assess this park: the error is in run.errors
            continue
        before, after = pair
        shifts = _shifts({r.id: r for r in before.indicators}, {r.id: r for r in after.indicators})
        quantities = _shifts(_headline(before), _headline(after))
        verdicts = (before.verdict.status, after.verdict.status)
        moved = (tuple(shifts), tuple(quantities))
        caveats = (before.verdict.caveat, after.verdict.caveat)
        result.parks.append(ParkImpact(before.park.id, file, before.period, *verdicts, *moved, *caveats))
    return result


def _headline(assessment: Assessment) -> dict[str, IndicatorResult | DerivedResult]:
    return {item.id: item for item in assessment.derived if item.headline}


def _shifts(
    before: dict[str, IndicatorResult | DerivedResult], after: dict[str, IndicatorResult | DerivedResult]
) -> list[IndicatorShift]:
    shifts = []
    for indicator_id in sorted(before.keys() | after.keys()):
        old, new = before.get(indicator_id), after.get(indicator_id)
        old_gap = _gap(old)
        new_gap = _gap(new)
        old_status = old.status if old is not None else None
        new_status = new.status if new is not None else None
        old_value = old.value if old is not None else None
        new_value = new.value if new is not None else None
        if (old_status, old_value, old_gap) != (new_status, new_value, new_gap):
            shifts.append(IndicatorShift(indicator_id, old_status, new_status, old_value, new_value, old_gap, new_gap))
    return shifts


def _gap(result: IndicatorResult | DerivedResult | None) -> float | None:
    gap = getattr(result, "gap", None)  # a derived quantity has none
    return gap.absolute if gap is not None else None
