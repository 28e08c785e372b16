"""A formula's result on each row of a frame, as `lookup.run` gives it for one park-year: a value, missing inputs,
or an error worded as the evaluator words it (`lookup.error_text`, `lookup.depends_on`)."""

from __future__ import annotations

import math

import numpy as np

from parkrules.run.columns import Col
from parkrules.run.lookup import NOT_FINITE, depends_on, error_text


class Outcome:
    """Per row: decided (a value), missing (`missing`, with `leaves`), or an error (`error`, with its `message`).

    Errors are rare, so their messages are an object array made only when a row has one."""

    def __init__(self, col: Col, text: str) -> None:
        count = len(col.value)
        self.value = col.value
        self.leaves = col.leaves
        self.error = np.zeros(count, bool)
        self.message: np.ndarray | None = None
        if col.error is not None:  # an operation raised before anything was unavailable
            assert col.why is not None
            self._errors(col.error, [error_text(text, exc) for exc in col.why[col.error]])
        missing = np.zeros(count, bool) if col.unavailable is None else col.unavailable.copy()
        if col.failed is not None:  # something read could not be computed: an error, whatever else is missing
            assert col.reasons is not None
            self._errors(col.failed, [depends_on(reasons) for reasons in col.reasons[col.failed]])
            missing &= ~col.failed
        self.missing = missing
        self._not_finite(text)

    @property
    def decided(self) -> np.ndarray:
        """Rows with a value: neither missing nor an error."""
        return ~(self.error | self.missing)

    def _errors(self, rows: np.ndarray, messages: list[str]) -> None:
        if self.message is None:
            self.message = np.empty(len(rows), object)
        self.message[rows] = messages
        self.error |= rows

    def _not_finite(self, text: str) -> None:
        """A float result that is not finite (an overflow) is an error, never a value."""
        value = self.value
        if value.dtype == np.float64:
            overflow = ~np.isfinite(value) & self.decided
        elif value.dtype == object:
            overflow = np.frompyfunc(_overflowed, 1, 1)(value).astype(bool) & self.decided
        else:
            return
        self.fail(overflow, error_text(text, OverflowError(NOT_FINITE)))

    def fail(self, rows: np.ndarray | None, message: str) -> None:
        """These decided rows are an error with this message."""
        if rows is not None and rows.any():
            rows = rows & self.decided
            self._errors(rows, [message] * int(rows.sum()))

    def missing_all(self, rows: np.ndarray, code: int) -> None:
        """These rows are missing the inputs of leaf-set `code`, and nothing else is said of them (the formula is
        not run there)."""
        self.missing = self.missing | rows
        self.error &= ~rows
        leaves = np.zeros(len(rows), np.int32) if self.leaves is None else self.leaves
        self.leaves = np.where(rows, code, leaves).astype(np.int32)

    def as_read(self, name: str, value: np.ndarray) -> Col:
        """The column a formula reading `name` sees: the value where decided, else unavailable — missing inputs, or
        failed, with why (the stand-in 1.0 in both)."""
        unavailable = self.missing | self.error
        if not unavailable.any():
            return Col(value)
        value = np.where(unavailable, 1.0, value)
        leaves = np.zeros(len(value), np.int32) if self.leaves is None else self.leaves
        leaves = np.where(self.missing, leaves, 0).astype(np.int32)
        if not self.error.any():
            return Col(value, unavailable, leaves)
        reasons = np.empty(len(value), object)
        assert self.message is not None  # made with the first error
        messages = self.message[self.error]
        reasons[self.error] = np.fromiter((((name, m),) for m in messages), object, len(messages))
        return Col(value, unavailable, leaves, failed=self.error.copy(), reasons=reasons)


def _overflowed(value: object) -> bool:
    return value.__class__ is float and not math.isfinite(value)


def as_floats(value: np.ndarray, decided: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """A derived quantity's values as floats, as `evaluate.derive` converts them; the decided rows where one is not
    a number (text, say)."""
    if value.dtype != object:
        return value.astype(np.float64), None
    floats = np.ones(len(value))
    failed = np.zeros(len(value), bool)
    for row in np.flatnonzero(decided).tolist():
        try:
            floats[row] = float(value[row])
        except (TypeError, ValueError, OverflowError):
            failed[row] = True
    return floats, failed
