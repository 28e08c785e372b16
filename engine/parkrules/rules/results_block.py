"""One pack's results over the rows of a frame, as arrays: what both batch paths produce and the writers read.

The verdict is decided here for all rows at once, by the rules of `verdict.py` (the differential
tests hold the two to the same answers).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from parkrules.base.status import STORED, UNKNOWN, Status
from parkrules.model.plan import Plan
from parkrules.model.result import IndicatorResult
from parkrules.rules import score

STATUSES = tuple(status.value for status in STORED)  # the text of each int8 code, for the writers
STATUS: dict[str, int] = {status: code for code, status in enumerate(STORED)}  # a Status is its text
UNSET = -1
# per status code (UNSET, -1, included): is it unknown? A table lookup: np.isin was a twentieth of the columnar path
_IS_UNKNOWN = np.array([status in UNKNOWN for status in STORED] + [False])
_PRECEDENCE = [STATUS[s] for s in ("fail", "incomplete", "not_applicable", "pass")]
_EPSILON = 1e-9


@dataclass
class PackBlock:
    """Results of one plan: rows × indicators, plus a verdict per row."""

    plan: Plan
    status: np.ndarray  # int8 codes of STATUSES
    number: np.ndarray  # float64 value where numeric, else NaN
    other: np.ndarray  # object: a true/false or category value, else None
    gap: np.ndarray  # float64 absolute gap (positive = shortfall), NaN where none
    choice: np.ndarray  # int16: the tier (thresholds) or class that applied, -1 none
    leaves: np.ndarray  # int32 leaf-set codes (columnar path only, turned into `missing`)
    missing: np.ndarray  # object: sorted tuple of absent inputs, else None
    message: np.ndarray  # object
    points: np.ndarray  # float64 points earned, NaN where not scored
    verdict: np.ndarray | None = None  # int8 per row
    score: np.ndarray | None = None  # float64 per row, NaN where the pack has no score

    @classmethod
    def empty(cls, plan: Plan, count: int) -> PackBlock:
        shape = (count, len(plan.indicators))
        # column-major: both paths fill one indicator's column at a time; an empty object array
        # already holds None in every cell, and filling it again cost a twentieth of the columnar path
        return cls(
            plan=plan,
            status=np.full(shape, UNSET, np.int8, order="F"),
            number=np.full(shape, np.nan, order="F"),
            other=np.empty(shape, object, order="F"),
            gap=np.full(shape, np.nan, order="F"),
            choice=np.full(shape, -1, np.int16, order="F"),
            leaves=np.zeros(shape, np.int32, order="F"),
            missing=np.empty(shape, object, order="F"),
            message=np.empty(shape, object, order="F"),
            points=np.full(shape, np.nan, order="F"),
        )

    def put(self, rows: np.ndarray, part: PackBlock) -> None:
        """Overwrite `rows` (indexes) with the rows of `part`, in order (a frame's parks run again with their own
        benchmark park)."""
        for name in ("status", "number", "other", "gap", "choice", "missing", "message", "points", "verdict", "score"):
            getattr(self, name)[rows] = getattr(part, name)


def choice_of(indicator, result: IndicatorResult) -> int:
    """The index of the tier or class a result applied (-1: none), as both paths report it."""
    if result.state is not None:
        return next(i for i, entry in enumerate(indicator.classes) if entry.id == result.state.id)
    if result.threshold is None or result.status not in ("pass", "fail", "error"):
        return -1
    return tier_choice(indicator.thresholds, result.threshold)


def tier_choice(thresholds, applied) -> int:
    """The index a result reports for the tier it applied (-1: none of them). A result names a tier by its limit,
    tier name and clause, not by its `when`: tiers identical in those report the first one's index."""
    key = _tier_key(applied)
    return next((index for index, threshold in enumerate(thresholds) if _tier_key(threshold) == key), -1)


def _tier_key(threshold) -> tuple:
    return threshold.tier, threshold.clause, threshold.operator, threshold.value


def decide_rows(block: PackBlock) -> None:
    """The verdict and score of every row (verdict.decide, as arrays)."""
    pack, indicators = block.plan.pack, block.plan.indicators
    count = len(block.status)
    block.score = np.full(count, np.nan)
    if pack.kind == "analysis":
        block.verdict = np.full(count, STATUS[Status.NOT_APPLICABLE], np.int8)
        return
    rules = pack.verdict
    if rules is None:
        block.verdict = np.full(count, STATUS[Status.INCOMPLETE], np.int8)
        return
    status = block.status
    unknown = _IS_UNKNOWN[status]
    outcomes: list[np.ndarray] = []
    scored = _totals(block, unknown) if rules.score else None
    if scored is not None:
        block.score = scored[0]
    vetoes = [i for i, indicator in enumerate(indicators) if indicator.role == "veto"]
    if vetoes:
        failed = (status[:, vetoes] == STATUS[Status.FAIL]).any(axis=1)
        unsure = unknown[:, vetoes].any(axis=1)
        outcomes.append(
            np.where(failed, STATUS[Status.FAIL], np.where(unsure, STATUS[Status.INCOMPLETE], STATUS[Status.PASS]))
        )
    for rule in rules.rules:
        outcomes.append(_rule(rule, indicators, status, unknown, scored, len(pack.not_encoded_in(rule))))
    verdict = np.full(count, STATUS[Status.INCOMPLETE], np.int8)
    if outcomes:
        stacked = np.stack(outcomes, axis=1)
        for code in reversed(_PRECEDENCE):
            verdict = np.where((stacked == code).any(axis=1), code, verdict)
    block.verdict = verdict.astype(np.int8)


def _rule(rule, indicators, status: np.ndarray, unknown: np.ndarray, scored, unencoded: int) -> np.ndarray:
    count = len(status)
    if rule.kind == "score_at_least":
        low, high = scored
        out = np.where(low >= rule.amount - _EPSILON, STATUS[Status.PASS], STATUS[Status.FAIL])
        out = np.where((out == STATUS[Status.FAIL]) & (high >= rule.amount - _EPSILON), STATUS[Status.INCOMPLETE], out)
        if not any(indicator.score for indicator in indicators):
            out = np.full(count, STATUS[Status.INCOMPLETE])
        return out
    chosen = [i for i, ind in enumerate(indicators) if rule.selector.matches(ind.id, ind.role, ind.group)]
    if not chosen:
        return np.full(count, STATUS[Status.INCOMPLETE])
    picked = status[:, chosen]
    applicable = (picked != STATUS[Status.NOT_APPLICABLE]).sum(axis=1)
    passed = (picked == STATUS[Status.PASS]).sum(axis=1)
    unsure = unknown[:, chosen].sum(axis=1)
    failed = applicable - passed - unsure
    if rule.kind == "all_pass":
        out = np.where(
            failed > 0, STATUS[Status.FAIL], np.where(unsure > 0, STATUS[Status.INCOMPLETE], STATUS[Status.PASS])
        )
        return np.where((out == STATUS[Status.PASS]) & (applicable < len(chosen)), STATUS[Status.NOT_APPLICABLE], out)
    if rule.kind == "at_least":
        needed = rule.amount
        return np.where(
            passed >= needed,
            STATUS[Status.PASS],
            np.where(passed + unsure + unencoded >= needed, STATUS[Status.INCOMPLETE], STATUS[Status.FAIL]),
        )
    needed = rule.amount / 100 * (applicable + unencoded)
    out = np.where(
        passed >= needed - _EPSILON,
        STATUS[Status.PASS],
        np.where(passed + unsure + unencoded >= needed - _EPSILON, STATUS[Status.INCOMPLETE], STATUS[Status.FAIL]),
    )
    return np.where(applicable + unencoded == 0, STATUS[Status.NOT_APPLICABLE], out)


def _totals(block: PackBlock, unknown: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """score.total's low and high totals (the grade is left to full reports)."""
    plan = block.plan
    assert plan.pack.verdict is not None and plan.pack.verdict.score is not None  # only packs with a score total
    scheme = plan.pack.verdict.score
    count = len(block.status)
    earned: dict[str, np.ndarray] = {}
    possible: dict[str, np.ndarray] = {}
    unsure: dict[str, np.ndarray] = {}
    bonus = np.zeros(count)
    bonus_unknown = np.zeros(count)
    for column, indicator in enumerate(plan.indicators):
        if indicator.score is None:
            continue
        counted = block.status[:, column] != STATUS[Status.NOT_APPLICABLE]
        points = indicator.score.points
        got = np.where(counted, np.nan_to_num(block.points[:, column]), 0.0)
        maybe = np.where(counted & unknown[:, column], points, 0.0)
        if indicator.role == "bonus":
            bonus, bonus_unknown = bonus + got, bonus_unknown + maybe
            continue
        group = indicator.group or score.UNGROUPED
        zero = np.zeros(count)
        possible[group] = possible.get(group, zero) + np.where(counted, points, 0.0)
        earned[group] = earned.get(group, zero) + got
        unsure[group] = unsure.get(group, zero) + maybe
    weight = np.zeros(count)
    shares_low, shares_high = np.zeros(count), np.zeros(count)
    for group, total in possible.items():
        present = total > 0
        group_weight = np.where(present, scheme.weights.get(group, total), 0.0)
        weight = weight + group_weight
        safe = np.where(present, total, 1.0)
        shares_low = shares_low + group_weight * earned[group] / safe
        shares_high = shares_high + group_weight * (earned[group] + unsure[group]) / safe
    safe_weight = np.where(weight == 0, 1.0, weight)
    low = np.where(weight == 0, 0.0, scheme.scale * shares_low / safe_weight) + bonus
    high = np.where(weight == 0, 0.0, scheme.scale * shares_high / safe_weight) + bonus + bonus_unknown
    return low, high
