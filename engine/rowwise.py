"""The per-park path of a batch run: each park of a frame through the per-park evaluator (`evaluate.py`).

It is the reference the columnar path is held to, and it decides the rows the columnar path
hands over (an evaluation error on their path).
"""

from __future__ import annotations

import numpy as np
from parkrules.evaluate import Context, evaluate_years, factor_values
from parkrules.frame import Frame
from parkrules.park import Park
from parkrules.plan import Plan
from parkrules.results_block import PackBlock
from parkrules.verdict import decide
from parkrules.vocabulary import Vocabulary


def evaluate_parks(
    plan: Plan,
    frame: Frame,
    vocabulary: Vocabulary,
    context: Context,
    rows: np.ndarray | None = None,
) -> PackBlock:
    """Every row of the frame (or only `rows`, a bool mask), park by park; other rows are left unset."""
    block = PackBlock.empty(plan, len(frame))
    block.verdict = np.full(len(frame), -1, np.int8)
    block.score = np.full(len(frame), np.nan)
    wanted = set(frame.park[rows]) if rows is not None else None
    index = {(str(park), int(year)): row for row, (park, year) in enumerate(zip(frame.park, frame.year, strict=False))}
    for park in frame.parks(vocabulary.facts, wanted).values():
        evaluate_park(plan, park, context, block, index)
    return block


def evaluate_park(
    plan: Plan, park: Park, context: Context, block: PackBlock, index: dict[tuple[str, int], int]
) -> None:
    """Every year of one park into its rows of `block` (`index`: (park, year) → row)."""
    factors, _ = factor_values(plan, park)
    years = sorted(park.years)
    for year, results in evaluate_years(plan, park.years, years, factors, context).items():
        verdict = decide(plan.pack, plan.indicators, results)
        block.set_row(index[(park.id, year)], results, verdict)
