"""The operator table: each row's comparison, tolerance side, gap and better side, as numbers and as arrays, and
the schemas' operator enums held to it. A change to any entry of any row fails one of these."""

from __future__ import annotations

import json

import numpy as np
import pytest

from parkrules.base import operators
from parkrules.base.operators import FLOAT_NOISE, OPERATORS
from parkrules.rules import compare
from tests.conftest import ROOT

LIMIT = 100.0
NOISE = FLOAT_NOISE * LIMIT  # the tolerance at this limit
# value → whether it meets the limit, per operator: at the limit, within the noise either side, and clearly beyond
EXPECTED = {
    "<=": {LIMIT: True, LIMIT + NOISE / 2: True, LIMIT - NOISE / 2: True, LIMIT + 1: False, LIMIT - 1: True},
    "<": {LIMIT: False, LIMIT + NOISE / 2: False, LIMIT - NOISE / 2: False, LIMIT + 1: False, LIMIT - 1: True},
    ">=": {LIMIT: True, LIMIT + NOISE / 2: True, LIMIT - NOISE / 2: True, LIMIT + 1: True, LIMIT - 1: False},
    ">": {LIMIT: False, LIMIT + NOISE / 2: False, LIMIT - NOISE / 2: False, LIMIT + 1: True, LIMIT - 1: False},
    "==": {LIMIT: True, LIMIT + NOISE / 2: True, LIMIT - NOISE / 2: True, LIMIT + 1: False, LIMIT - 1: False},
}
BETTER = {"<=": "lower", "<": "lower", ">=": "higher", ">": "higher", "==": None}
# exactly at the tolerant bound: inclusive operators meet it, strict ones do not
AT_BOUND = {"<=": True, "<": False, ">=": True, ">": False}


def test_the_table_has_exactly_the_operators_this_test_knows():
    assert set(OPERATORS) == set(EXPECTED) == set(BETTER)


@pytest.mark.parametrize("symbol", sorted(EXPECTED))
def test_each_operator_decides_numbers_and_arrays_alike(symbol):
    row = operators.of(symbol)
    values = list(EXPECTED[symbol])
    expected = [EXPECTED[symbol][value] for value in values]
    assert [bool(row.holds(value, LIMIT)) for value in values] == expected
    assert row.holds(np.array(values), LIMIT).tolist() == expected  # the columnar engine's form
    assert [compare.meets(value, symbol, LIMIT) for value in values] == expected


@pytest.mark.parametrize("symbol", sorted(EXPECTED))
def test_each_operator_measures_its_gap_from_the_better_side(symbol):
    row = operators.of(symbol)
    assert row.better == BETTER[symbol]
    assert row.ordered == (BETTER[symbol] is not None)
    gap = compare.shortfall(LIMIT + 5, symbol, LIMIT)
    if row.better is None:
        assert gap is None
    else:  # 5 over the limit: a shortfall where lower is better, a margin where higher is
        assert gap == (5 if row.better == "lower" else -5)
        assert row.shortfall(np.array([LIMIT + 5]), LIMIT).tolist() == [gap]


def test_an_unknown_operator_is_an_error_never_a_silent_equality():
    with pytest.raises(ValueError, match="unknown threshold operator '=<'"):
        compare.meets(1.0, "=<", 1.0)


def test_true_false_and_categories_take_equality_only():
    assert compare.meets(True, "==", True) and not compare.meets("a", "==", "b")
    for symbol, row in OPERATORS.items():
        if row.ordered:
            with pytest.raises(ValueError, match="needs numbers"):
                compare.meets(True, symbol, True)


def test_the_pack_schema_offers_the_table_s_operators():
    schema = json.loads((ROOT / "engine" / "parkrules" / "schemas" / "pack-1.json").read_text(encoding="utf-8"))
    enums = []

    def walk(node):
        if isinstance(node, dict):
            if "operator" in node.get("properties", {}):
                enums.append(node["properties"]["operator"].get("enum"))
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(schema)
    assert enums and all(enum == list(OPERATORS) for enum in enums)


@pytest.mark.parametrize("symbol", sorted(AT_BOUND))
def test_exactly_at_the_tolerant_bound_inclusive_operators_meet_it_and_strict_ones_do_not(symbol):
    row = operators.of(symbol)
    bound = row.bound(LIMIT)
    assert bound == LIMIT + row.side * NOISE
    assert bool(row.holds(bound, LIMIT)) is AT_BOUND[symbol]
    assert compare.meets(bound, symbol, LIMIT) is AT_BOUND[symbol]
