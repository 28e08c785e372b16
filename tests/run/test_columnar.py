"""The columnar path's own array versions of the per-park rules (the differential tests in test_batch.py cover
whole packs)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st

from parkrules.rules.compare import rounded as rounded_one
from parkrules.run.column_indicators import rounded

FLOATS = st.floats(allow_nan=True, allow_infinity=True)


@st.composite
def values_and_decimals(draw):
    decimals = draw(st.integers(-2, 17))
    places = min(max(decimals, 0), 12)
    ties = st.integers(-(10**9), 10**9).map(lambda n: (n + 0.5) / 10**places)  # a half in the last place kept
    near = st.integers(0, 10**12).map(lambda n: n / 10 ** (places + 3))  # many digits, ties now and then
    values = draw(st.lists(st.one_of(FLOATS, ties, near), min_size=1, max_size=60))
    return values, decimals


@given(values_and_decimals())
@example(([0.285, 0.215, 2.675, 19241.685, -0.004, -0.0, 1e20, 1234567.891, math.nan, math.inf], 2))
@example(([391.05085, 282.10045, 47360519043.70245, 26274066181.40465], 4))  # the scaled float falls off the tie
def test_rounding_an_array_gives_each_values_own_rounding_to_the_bit(case):
    values, decimals = case
    got = rounded(np.array(values, np.float64), decimals).tolist()
    for value, mine in zip(values, got, strict=True):
        expected = rounded_one(value, decimals)
        if math.isnan(expected):
            assert math.isnan(mine)
        else:
            assert mine == expected and math.copysign(1, mine) == math.copysign(1, expected), (value, decimals)
