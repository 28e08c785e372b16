"""Sets of absent inputs as small integer codes, so the columnar path can carry them in arrays.

A row's missing inputs are a set of leaves: `("r", name, offset)` a fact (or factor) in the
year `offset` years from the assessed one, `("a", name, year)` in a named year, `("l", text)`
text as it is (the benchmark park's inputs). Rows with the same set share one code; unions
and year shifts are worked out once per distinct pair of codes, not once per row, which is
what keeps them cheap when thousands of rows lack the same few facts.
"""

from __future__ import annotations

import numpy as np

Leaf = tuple


class LeafSets:
    """An interning table of leaf sets; code 0 is the empty set."""

    def __init__(self) -> None:
        self._sets: list[frozenset[Leaf]] = [frozenset()]
        self._codes: dict[frozenset[Leaf], int] = {frozenset(): 0}
        self._unions: dict[tuple[int, int], int] = {}
        self._shifts: dict[tuple[int, int], int] = {}
        self._names: dict[tuple[int, int], tuple[str, ...]] = {}

    def __len__(self) -> int:
        return len(self._sets)

    def code(self, leaves: frozenset[Leaf]) -> int:
        code = self._codes.get(leaves)
        if code is None:
            code = self._codes[leaves] = len(self._sets)
            self._sets.append(leaves)
        return code

    def constant(self, leaves: frozenset[Leaf], count: int) -> np.ndarray:
        return np.full(count, self.code(leaves), np.int32)

    def union(self, first: np.ndarray, second: np.ndarray) -> np.ndarray:
        out = np.where(first == 0, second, first)
        both = (first != 0) & (second != 0) & (first != second)
        if both.any():
            out[both] = per_pair(first[both], second[both], self._union, np.int32)
        return out

    def _union(self, first: int, second: int) -> int:
        key = (first, second)
        code = self._unions.get(key)
        if code is None:
            code = self._unions[key] = self.code(self._sets[first] | self._sets[second])
        return code

    def shift(self, codes: np.ndarray, offsets: np.ndarray) -> np.ndarray:
        """Leaves read from another year's row, re-expressed from the assessed row (`offsets` years apart)."""
        moving = (codes != 0) & (offsets != 0)
        if not moving.any():
            return codes
        out = codes.copy()
        out[moving] = per_pair(codes[moving], offsets[moving], self._shift, np.int32)
        return out

    def _shift(self, code: int, offset: int) -> int:
        key = (code, offset)
        shifted = self._shifts.get(key)
        if shifted is None:
            moved = frozenset(("r", leaf[1], leaf[2] + offset) if leaf[0] == "r" else leaf for leaf in self._sets[code])
            shifted = self._shifts[key] = self.code(moved)
        return shifted

    def names(self, codes: np.ndarray, years: np.ndarray) -> np.ndarray:
        """The leaves of each row's (code, year) as the per-park path names them: `fact` this year, `fact@2021`
        another, sorted — an object array (cached: the same few sets recur from chunk to chunk)."""
        return per_pair(codes, years, self._named, object)

    def _named(self, code: int, year: int) -> tuple[str, ...]:
        key = (code, year)
        names = self._names.get(key)
        if names is None:
            names = self._names[key] = tuple(sorted(_name(leaf, year) for leaf in self._sets[code]))
        return names


def per_pair(first: np.ndarray, second: np.ndarray, apply, dtype) -> np.ndarray:
    """`apply(a, b)` for each row's pair of values, worked out once per distinct pair."""
    firsts, seconds, back = distinct_pairs(first, second)
    results = np.empty(len(firsts), dtype)
    results[:] = [apply(a, b) for a, b in zip(firsts.tolist(), seconds.tolist(), strict=True)]
    return results[back]


def distinct_pairs(first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct (first, second) pairs of two integer arrays, sorted, and each row's index into them.

    Counted, not sorted, where the values are few: these arrays hold tens of thousands of rows but
    only hundreds of distinct codes, years or offsets, and np.unique's sort was a fifth of the
    columnar path's time.
    """
    a_values, a_index = _compact(first)
    b_values, b_index = _compact(second)
    width = len(b_values)
    combinations = len(a_values) * width
    if combinations > 4 * len(first) + 4096:  # too many to count: sort
        pairs = np.stack([first, second], axis=1).astype(np.int64)
        distinct, back = np.unique(pairs, axis=0, return_inverse=True)
        return distinct[:, 0], distinct[:, 1], back.reshape(-1)
    keys = a_index * width + b_index
    seen = np.bincount(keys, minlength=combinations) > 0
    slots = np.nonzero(seen)[0]
    position = np.cumsum(seen) - 1
    return a_values[slots // width], b_values[slots % width], position[keys]


def _compact(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values, sorted, and each element's index into them."""
    low = int(values.min())
    span = int(values.max()) - low + 1
    if span > 4 * len(values) + 4096:
        return np.unique(values, return_inverse=True)
    shifted = values.astype(np.int64) - low
    present = np.bincount(shifted, minlength=span) > 0
    position = np.cumsum(present) - 1
    return np.nonzero(present)[0] + low, position[shifted]


def _name(leaf: Leaf, year: int) -> str:
    if leaf[0] == "l":
        return leaf[1]
    at = year + leaf[2] if leaf[0] == "r" else leaf[2]
    return leaf[1] if at == year else f"{leaf[1]}@{at}"
