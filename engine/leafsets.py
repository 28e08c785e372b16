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
        self._names: dict[int, tuple[str, ...]] = {}

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
            pairs = (first[both].astype(np.int64) << 32) | second[both]
            distinct, back = np.unique(pairs, return_inverse=True)
            codes = np.array([self._union(int(p >> 32), int(p & 0xFFFFFFFF)) for p in distinct], np.int32)
            out[both] = codes[back]
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
        pairs = (codes[moving].astype(np.int64) << 32) | (offsets[moving] & 0xFFFFFFFF)
        distinct, back = np.unique(pairs, return_inverse=True)
        shifted = np.array([self._shift(int(p >> 32), _signed(int(p & 0xFFFFFFFF))) for p in distinct], np.int32)
        out[moving] = shifted[back]
        return out

    def _shift(self, code: int, offset: int) -> int:
        key = (code, offset)
        shifted = self._shifts.get(key)
        if shifted is None:
            moved = frozenset(("r", leaf[1], leaf[2] + offset) if leaf[0] == "r" else leaf for leaf in self._sets[code])
            shifted = self._shifts[key] = self.code(moved)
        return shifted

    def names(self, keys: np.ndarray) -> list[tuple[str, ...]]:
        """The leaves of each `code << 16 | year` key as the per-park path names them: `fact` this year,
        `fact@2021` another, sorted (cached per key: the same few sets recur from chunk to chunk)."""
        cache = self._names
        out = []
        for key in keys.tolist():
            names = cache.get(key)
            if names is None:
                year = key & 0xFFFF
                names = cache[key] = tuple(sorted(_name(leaf, year) for leaf in self._sets[key >> 16]))
            out.append(names)
        return out


def _name(leaf: Leaf, year: int) -> str:
    if leaf[0] == "l":
        return leaf[1]
    at = year + leaf[2] if leaf[0] == "r" else leaf[2]
    return leaf[1] if at == year else f"{leaf[1]}@{at}"


def _signed(value: int) -> int:
    return value - (1 << 32) if value >= 1 << 31 else value
