"""What formulas raise: a formula refused (FormulaError, UnknownFunction) and a name with no value (Unavailable)."""

from __future__ import annotations


class FormulaError(ValueError):
    """A formula that is malformed or uses something outside the allow-list."""


class UnknownFunction(FormulaError):
    """A call to a function outside the allow-list (its own lint code, PR102)."""


class Unavailable(Exception):  # noqa: N818 - a signal, not an error
    """Raised by a names mapping when a formula reads a name that has no value.

    `leaves` are the absent inputs behind it (facts, factors, or `fact@year` for another year);
    `failed` says the name could not be computed (an error upstream) rather than being absent.
    """

    def __init__(
        self, name: str, leaves: frozenset[str] | None = None, failed: bool = False, reason: str | None = None
    ) -> None:
        super().__init__(name)
        self.name = name
        self.leaves = leaves if leaves is not None else frozenset({name})
        self.failed = failed
        self.reason = reason  # why a failed name could not be computed
