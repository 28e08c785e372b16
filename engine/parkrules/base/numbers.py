"""A value as a number, where it is one: results and facts hold numbers, true/false and category texts alike."""

from __future__ import annotations


def number(value: object) -> float | None:
    """The value as a float where it is a number (true/false is not one), else None."""
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
