"""The crosswalk view: one park's indicators that measure the same quantity in different packs, side by side.

Which indicators correspond is data (the vocabulary's `crosswalk`), not code. A measure is shown
when at least two of its indicators were assessed for the park; it is flagged when the same park
passes it in one standard and fails it in another.
"""

from __future__ import annotations

from parkrules.base.status import Status
from parkrules.io.vocabulary import Vocabulary
from parkrules.model.result import Assessment, CrosswalkEntry, CrosswalkRow


def build(vocabulary: Vocabulary, assessments: list[Assessment]) -> list[CrosswalkRow]:
    rows: list[CrosswalkRow] = []
    parks = list(dict.fromkeys((a.park.id, a.period) for a in assessments))
    for park_id, period in parks:
        mine = [a for a in assessments if (a.park.id, a.period) == (park_id, period)]
        for measure in vocabulary.crosswalk:
            entries = [
                entry for pack_id, indicator_id in measure.indicators for entry in _entries(mine, pack_id, indicator_id)
            ]
            if len(entries) < 2:
                continue
            statuses = {entry.status for entry in entries}
            rows.append(
                CrosswalkRow(
                    park=park_id,
                    period=period,
                    measure=measure.id,
                    name=measure.name,
                    note=measure.note,
                    entries=tuple(entries),
                    disagree={Status.PASS, Status.FAIL} <= statuses,
                )
            )
    return rows


def _entries(assessments: list[Assessment], pack_id: str, indicator_id: str) -> list[CrosswalkEntry]:
    found = []
    for assessment in assessments:
        if assessment.standard.id != pack_id:
            continue
        for result in assessment.indicators:
            if result.id == indicator_id:
                threshold = result.threshold
                found.append(
                    CrosswalkEntry(
                        standard=f"{assessment.standard.id}@{assessment.standard.version}",
                        indicator=result.id,
                        name=result.name,
                        value=result.value,
                        unit=result.unit,
                        operator=threshold.operator if threshold else None,
                        threshold=threshold.value if threshold else None,
                        status=result.status,
                        provisional=result.provisional,
                    )
                )
    return found
