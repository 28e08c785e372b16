from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parkrules.rules.compare import gap, meets, rounded


def test_full_value_comparison_absorbs_float_noise_only():
    assert meets(0.2 + 1e-15, "<=", 0.2)
    assert not meets(0.2000001, "<=", 0.2)
    assert not meets(0.2, "<", 0.2)


def test_rounded_value_comparison_rounds_half_to_even():
    assert rounded(0.205, 2) == 0.2  # 四舍六入五成双: 5 after an even digit rounds down
    assert rounded(0.215, 2) == 0.22
    assert rounded(0.2049, 2) == 0.2
    assert rounded(0.2051, None) == 0.2051


@pytest.mark.parametrize(
    ("value", "operator", "limit", "absolute"),
    [(2.5, "<=", 0.3, 2.2), (0.1, "<=", 0.2, -0.1), (72, ">=", 80, 8), (92, ">=", 80, -12)],
)
def test_gap_is_positive_for_shortfall(value, operator, limit, absolute):
    result = gap(value, operator, limit)
    assert result.absolute == pytest.approx(absolute)
    assert result.relative == pytest.approx(absolute / limit)
    assert (result.absolute > 0) == (not meets(value, operator, limit))


def test_boolean_gate_has_no_gap():
    assert gap(True, "==", True) is None
    assert meets(True, "==", True) and not meets(False, "==", True)


@given(value=st.floats(allow_nan=False, allow_infinity=False), decimals=st.integers(min_value=0, max_value=10))
def test_rounding_any_finite_value_moves_it_by_at_most_half_a_unit(value, decimals):
    result = rounded(value, decimals)
    half_unit = 0.5 * 10.0**-decimals
    assert abs(result - value) <= half_unit * (1 + 1e-9) + abs(value) * 1e-15
    assert rounded(result, decimals) == result


def test_rounding_large_values_to_many_decimals_keeps_them():
    assert rounded(1e20, 10) == 1e20
    assert rounded(-3.5e300, 2) == -3.5e300


NUMBERS = st.one_of(st.floats(allow_nan=False), st.integers(-(10**6), 10**6))
VALUES = st.one_of(NUMBERS, st.booleans(), st.sampled_from(["coal", "gas"]))
LIMITS = st.one_of(NUMBERS, st.booleans(), st.sampled_from(["coal"]))
