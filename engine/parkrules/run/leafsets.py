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
        self._dated = np.zeros(1, bool)  # per code: do its names depend on the assessed year?

    def __len__(self) -> int:
        return len(self._sets)

    def code(self, leaves: frozenset[Leaf]) -> int:
        code = self._codes.get(leaves)
        if code is None:
            code = self._codes[leaves] = len(self._sets)
            self._sets.append(leaves)
        return code

    def union(self, first: np.ndarray, second: np.ndarray, where: np.ndarray) -> np.ndarray:
        """The union of the two sets on the `where` rows; the other rows keep `first`."""
        out = np.where(where & (first == 0), second, first)
        both = where & (first != 0) & (second != 0) & (first != second)
        if both.any():
            out[both] = per_pair(first[both], second[both], self._unions, self._union, np.int32)
        return out

    def _union(self, first: int, second: int) -> int:
        return self.code(self._sets[first] | self._sets[second])

    def shift(self, codes: np.ndarray, offsets: np.ndarray) -> np.ndarray:
        """Leaves read from another year's row, re-expressed from the assessed row (`offsets` years apart)."""
        moving = (codes != 0) & (offsets != 0)
        if not moving.any():
            return codes
        out = codes.copy()
        out[moving] = per_pair(codes[moving], offsets[moving], self._shifts, self._shift, np.int32)
        return out

    def _shift(self, code: int, offset: int) -> int:
        return self.code(
            frozenset(("r", leaf[1], leaf[2] + offset) if leaf[0] == "r" else leaf for leaf in self._sets[code])
        )

    def names(self, codes: np.ndarray, years: np.ndarray) -> np.ndarray:
        """The leaves of each row's (code, year) as the per-park path names them: `fact` this year, `fact@2021`
        another, sorted — an object array (cached: the same few sets recur from chunk to chunk).

        Most sets name only this year's inputs, the same in every year: those are named once per
        set, not once per set and year."""
        if len(self._dated) < len(self._sets):
            added = [_dated(leaves) for leaves in self._sets[len(self._dated) :]]
            self._dated = np.concatenate([self._dated, np.array(added, bool)])
        return per_pair(codes, np.where(self._dated[codes], years, _UNDATED), self._names, self._named, object)

    def _named(self, code: int, year: int) -> tuple[str, ...]:
        return tuple(sorted(_name(leaf, year) for leaf in self._sets[code]))


def per_pair(first: np.ndarray, second: np.ndarray, known: dict, work_out, dtype) -> np.ndarray:
    """`work_out(a, b)` for each row's pair of values, once per distinct pair ever seen (`known` keeps them).

    Pairs already in `known` cost a dict lookup, not a call: a chunk has thousands of distinct
    pairs, nearly all seen in earlier chunks."""
    firsts, seconds, back = distinct_pairs(first, second)
    pairs = list(zip(firsts.tolist(), seconds.tolist(), strict=True))
    found = [known.get(pair) for pair in pairs]
    if None in found:
        for index, pair in enumerate(pairs):
            if found[index] is None:
                found[index] = known[pair] = work_out(*pair)
    return np.fromiter(found, dtype, len(found))[back]


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
    keys = a_index.astype(np.int64) * width + b_index  # one number per pair, in the pairs' sort order
    if combinations > 4 * len(first) + 4096:  # too many to count: sort the numbers (not 2-d rows: slower)
        distinct, back = np.unique(keys, return_inverse=True)
        return a_values[distinct // width], b_values[distinct % width], back.reshape(-1)
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


_UNDATED = 0  # the year a set's names are worked out in when they do not depend on it


def _dated(leaves: frozenset[Leaf]) -> bool:
    """Whether naming these leaves depends on the assessed year (another year's input)."""
    return any(leaf[0] == "a" or (leaf[0] == "r" and leaf[2] != 0) for leaf in leaves)


def _name(leaf: Leaf, year: int) -> str:
    if leaf[0] == "l":
        return leaf[1]
    at = year + leaf[2] if leaf[0] == "r" else leaf[2]
    return leaf[1] if at == year else f"{leaf[1]}@{at}"
