"""Each indicator over the rows of a frame: missing, excluded, classified, or a tier met or not, with the gap and
the points, as the per-park path decides them (`rules/` for the operators and verdicts)."""

from __future__ import annotations

import numpy as np

from parkrules.base import operators
from parkrules.base.status import Status
from parkrules.model.pack import Indicator
from parkrules.model.plan import CLASS_VALUE
from parkrules.rules import compare
from parkrules.rules.results_block import STATUS, PackBlock, tier_choice
from parkrules.rules.score import points_for
from parkrules.run.column_formula import ColumnEvaluator
from parkrules.run.column_outcome import Outcome
from parkrules.run.columns import Col, Rows, truth
from parkrules.run.indicator_result import excluded as excluded_by
from parkrules.run.indicator_result import exclusion_ignored, incomparable, join_note, none_applies


def decide_indicator(indicator: Indicator, column: int, rows: Rows, block: PackBlock) -> None:
    count = rows.count
    open_rows = np.ones(count, bool)  # rows whose status is not settled yet
    note = None  # per row: an exclusion the indicator ignores (None: no row has one)
    justification = rows.frame.exclusions.get(indicator.id)
    if justification is not None:
        excluded = np.array([j is not None for j in justification], bool)
        if indicator.excludable:
            block.status[:, column][excluded] = STATUS[Status.NOT_APPLICABLE]
            block.message[:, column][excluded] = [excluded_by(j) for j in justification[excluded]]
            open_rows &= ~excluded
        else:
            note = np.full(count, None, object)
            note[excluded] = exclusion_ignored(indicator)
    outcome = Outcome(ColumnEvaluator(rows, frozenset()).run(indicator.formula.tree), indicator.formula.text)
    _settle(block, column, outcome, open_rows, note)
    value = _as_numbers(outcome.value)
    if value.dtype == np.float64 and indicator.decimals is not None:
        value = rounded(value, indicator.decimals)
    elif value.dtype.kind in "iu":
        value = value.astype(np.float64)
    elif value.dtype == object and indicator.decimals is not None:  # the floats among other values, one by one
        value = np.frompyfunc(lambda v: compare.rounded(v, indicator.decimals) if isinstance(v, float) else v, 1, 1)(
            value
        )
    if indicator.classes:
        _classify(indicator, column, rows, block, value, open_rows, note)
    else:
        _threshold(indicator, column, rows, block, value, open_rows, note)


def rounded(values: np.ndarray, decimals: int) -> np.ndarray:
    """compare.rounded (half to even, on the value as Python prints it) over an array, the same to the bit.

    Scaled by 10**decimals, a value whose fraction is clearly not a half rounds to the nearest whole number,
    and that over the (exact) power of ten is the float nearest the rounded decimal, which is what
    compare.rounded gives; the scaled float is within 1e-6 of the printed value's scaling below 1e9. Ties,
    near-ties, large, non-finite values and other decimals go through compare.rounded itself: it was a third
    of the time of a pack with rounded indicators, row by row."""
    if not 0 <= decimals <= 15:
        return np.frompyfunc(lambda v: compare.rounded(v, decimals), 1, 1)(values).astype(np.float64)
    scale = 10.0**decimals
    with np.errstate(all="ignore"):  # inf and nan are among the unsure, settled below
        scaled = values * scale
        out = np.rint(scaled) / scale
        unsure = ~(np.abs(scaled) < 1e9) | (np.abs(np.abs(scaled - np.trunc(scaled)) - 0.5) < 1e-5)
    if unsure.any():
        out[unsure] = [compare.rounded(v, decimals) for v in values[unsure].tolist()]
    return out


def _settle(block: PackBlock, column: int, outcome: Outcome, open_rows: np.ndarray, note) -> None:
    """The open rows where a formula is missing inputs or failed settled so, and closed (`open_rows` is updated in
    place)."""
    errors = outcome.error & open_rows
    if errors.any():
        block.status[:, column][errors] = STATUS[Status.ERROR]
        assert outcome.message is not None
        messages = outcome.message[errors]
        if note is not None:
            messages = [join_note(first, second) for first, second in zip(note[errors], messages, strict=True)]
        block.message[:, column][errors] = messages
    missing = outcome.missing & open_rows
    if missing.any():
        block.status[:, column][missing] = STATUS[Status.MISSING]
        np.copyto(block.leaves[:, column], 0 if outcome.leaves is None else outcome.leaves, where=missing)
        _noted(block, column, missing, note)
    open_rows &= outcome.decided


def _holds(when, rows: Rows, block: PackBlock, column: int, open_rows, note, own=None) -> np.ndarray:
    """The open rows where a tier's or class's condition holds; rows where it is missing or fails are settled so and
    closed (`open_rows` is updated in place)."""
    condition = Outcome(ColumnEvaluator(rows, frozenset(), own).run(when.tree), when.text)
    _settle(block, column, condition, open_rows, note)
    return truth(condition.value) & open_rows


def _classify(indicator, column, rows: Rows, block: PackBlock, value, open_rows, note) -> None:
    own = {CLASS_VALUE: Col(value)}
    for index, entry in enumerate(indicator.classes):
        if not open_rows.any():
            return
        holds = _holds(entry.when, rows, block, column, open_rows, note, own)
        _settle_value(block, column, holds, value)
        block.status[:, column][holds] = STATUS[Status.CLASSIFIED]
        block.choice[:, column][holds] = index
        _noted(block, column, holds, note)
        open_rows &= ~holds
    reason = none_applies(indicator)
    _not_applicable(block, column, open_rows, value, note, reason)


def _threshold(indicator, column, rows: Rows, block: PackBlock, value, open_rows, note) -> None:
    for threshold in indicator.thresholds:
        if not open_rows.any():
            return
        holds = (
            open_rows.copy() if threshold.when is None else _holds(threshold.when, rows, block, column, open_rows, note)
        )
        if holds.any():
            _decide(indicator, threshold, column, block, value, holds, note)
        open_rows &= ~holds
    reason = none_applies(indicator)
    _not_applicable(block, column, open_rows, value, note, reason)


def _decide(indicator, threshold, column, block: PackBlock, value, holds, note) -> None:
    """Pass or fail against the tier that applies, with the signed gap (compare.py, as arrays)."""
    limit = threshold.value
    _settle_value(block, column, holds, value)
    _put(block.choice[:, column], np.full(len(holds), tier_choice(indicator.thresholds, threshold), np.int16), holds)
    _noted(block, column, holds, note)
    row = operators.of(threshold.operator)
    if value.dtype == object or (row.ordered and (isinstance(limit, (bool, str)) or value.dtype == np.bool_)):
        _decide_each(indicator, threshold, column, block, value, holds, note)  # mixed or not numbers: one by one
        return
    if isinstance(limit, (bool, str)) or value.dtype == np.bool_:
        passed = np.asarray(value == limit, bool) if not isinstance(limit, str) else np.zeros(len(value), bool)
    else:
        passed = row.holds(value, limit)
        if row.ordered:
            _put(block.gap[:, column], row.shortfall(value, limit), holds)
    _put(block.status[:, column], np.where(passed, STATUS[Status.PASS], STATUS[Status.FAIL]), holds)
    if indicator.score is not None:
        _put(block.points[:, column], _points(indicator, value, passed, row.better), holds)


def _put(cells: np.ndarray, values: np.ndarray, rows_: np.ndarray) -> None:
    """`values` into the column's cells on `rows_`; on every row (the common case: one tier, no row settled before)
    by plain assignment, a third of the time of a masked copy."""
    if rows_.all():
        cells[:] = values
    else:
        np.copyto(cells, values, where=rows_)


def _decide_each(indicator: Indicator, threshold, column: int, block: PackBlock, value, holds, note) -> None:
    """Pass, fail or an error (true/false against a number, say) row by row, as `indicator_result` decides it."""
    operator, limit = threshold.operator, threshold.value
    for row in np.flatnonzero(holds).tolist():
        one = value[row].item() if isinstance(value[row], np.generic) else value[row]
        try:
            passed = compare.meets(one, operator, limit)
        except (TypeError, ValueError) as exc:
            block.status[row, column] = STATUS[Status.ERROR]
            message = incomparable(one, operator, limit, exc)
            block.message[row, column] = join_note(None if note is None else note[row], message)
            continue
        status = Status.PASS if passed else Status.FAIL
        block.status[row, column] = STATUS[status]
        shortfall = compare.shortfall(one, operator, limit)
        block.gap[row, column] = np.nan if shortfall is None else shortfall
        points = points_for(indicator, status, one, threshold.better)
        block.points[row, column] = np.nan if points is None else points


def _points(indicator: Indicator, value: np.ndarray, passed: np.ndarray, better: operators.Better | None) -> np.ndarray:
    """score.points_for as arrays."""
    spec = indicator.score
    assert spec is not None
    if spec.method == "pass_fail" or value.dtype != np.float64:
        return np.where(passed, spec.points, 0.0)
    assert spec.leading is not None  # the pack schema requires it for linear and ratio, and baseline for linear
    if spec.method == "linear":
        assert spec.baseline is not None
        share = (value - spec.baseline) / (spec.leading - spec.baseline)
    else:
        inverted = np.where(value <= 0, 1.0, spec.leading / np.where(value == 0, 1.0, value))
        share = inverted if better == "lower" else value / spec.leading
    return spec.points * np.minimum(1.0, np.maximum(0.0, share))


def _settle_value(block: PackBlock, column: int, rows_: np.ndarray, value: np.ndarray) -> None:
    """A value as the per-park path stores it (`rowwise.ResultRows`): a number (an int too, as `safe_div`'s literal
    fallback gives) as a float, anything else (true/false, a category) as it is."""
    if value.dtype == np.float64:
        _put(block.number[:, column], value, rows_)
        return
    if value.dtype.kind in "iu":
        _put(block.number[:, column], value.astype(np.float64), rows_)
        return
    if value.dtype != object:  # true/false: as it is (looked at one by one, a gate's column cost a tenth of the path)
        block.other[:, column][rows_] = value[rows_].astype(object)
        return
    objects = value
    numeric = np.frompyfunc(_is_number, 1, 1)(objects).astype(bool)
    np.copyto(block.number[:, column], np.where(numeric, objects, np.nan).astype(np.float64), where=rows_ & numeric)
    block.other[:, column][rows_ & ~numeric] = objects[rows_ & ~numeric]


def _as_numbers(value: np.ndarray) -> np.ndarray:
    """Values that are all numbers as floats (a function giving an int on some rows, as `safe_div`'s literal fallback
    or `round` do, makes an object column): rounded, compared and stored as the per-park path does with them."""
    if value.dtype == object and np.frompyfunc(_is_number, 1, 1)(value).astype(bool).all():
        return value.astype(np.float64)
    return value


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _not_applicable(block: PackBlock, column: int, rows_: np.ndarray, value, note, reason: str) -> None:
    if not rows_.any():
        return
    _settle_value(block, column, rows_, value)
    block.status[:, column][rows_] = STATUS[Status.NOT_APPLICABLE]
    if note is None:
        block.message[:, column][rows_] = reason
    else:
        block.message[:, column][rows_] = [join_note(n, reason) for n in note[rows_]]


def _noted(block: PackBlock, column: int, rows_: np.ndarray, note: np.ndarray | None) -> None:
    """The rows' notes as their message (an unset message is already None)."""
    if note is not None:
        block.message[:, column][rows_] = note[rows_]
