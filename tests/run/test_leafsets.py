"""Sets of missing inputs as codes: the counting pair-finder against numpy's sort, unions and naming."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from parkrules.run.leafsets import LeafSets, distinct_pairs

# small ranges exercise counting; the wide one (codes far apart) the sorting fallback
VALUES = st.one_of(st.integers(-5, 40), st.integers(0, 2_000_000_000))


@given(st.lists(st.tuples(VALUES, VALUES), min_size=1, max_size=300))
def test_distinct_pairs_agree_with_numpys_sort(rows):
    first = np.array([a for a, _ in rows], np.int64)
    second = np.array([b for _, b in rows], np.int64)
    firsts, seconds, back = distinct_pairs(first, second)
    expected = np.unique(np.stack([first, second], axis=1), axis=0)
    assert firsts.tolist() == expected[:, 0].tolist() and seconds.tolist() == expected[:, 1].tolist()
    assert firsts[back].tolist() == first.tolist() and seconds[back].tolist() == second.tolist()


def test_unions_shifts_and_names_of_rows():
    sets = LeafSets()
    a = sets.code(frozenset({("r", "coal", 0)}))
    b = sets.code(frozenset({("r", "factor:ef_gas", 0)}))
    first, second = np.array([0, a, a, b, a, 0], np.int32), np.array([b, 0, b, b, b, b], np.int32)
    union = sets.union(first, second, where=np.array([True, True, True, True, False, False]))
    both = sets.code(frozenset({("r", "coal", 0), ("r", "factor:ef_gas", 0)}))
    assert union.tolist() == [b, a, both, b, a, 0]  # rows outside `where` keep the first set
    shifted = sets.shift(np.array([a, a, 0], np.int32), np.array([0, -1, -1]))
    assert sets.names(shifted, np.array([2024, 2024, 2024])).tolist() == [("coal",), ("coal@2023",), ()]
