"""Generated packs × generated park-years: the columnar engine, the per-park path and the evaluator give the same
status, value, gap, tier, missing inputs, message, points and verdict in every cell.

The packs are random: every threshold operator (strict ones too), tiers chosen by `when`, `comparison: {decimals}`,
every score method, classification indicators, inventories with `zero_if_absent` (missing or zero when nothing is
given), `prev()`, `base()`, `at()` and `benchmark()`, a running stock that reads its own earlier years, evaluation
errors of every kind (a division or modulo by zero, no real value, an exponent past the bound, an overflow, a later
year, true/false against an ordered limit) in a quantity, read from another year, from the benchmark park or in the
indicator itself, gate, veto and bonus roles, `at_least` and `at_least_share` rules, scores weighted by group, and a
park's exclusions (honoured where the indicator is excludable, noted and ignored where not), and indicators listed
as not encoded with a role the rules count. The park-years are random too: values at, a hair from and far from the
limits, zeros and absences. The operator table's own entries are
held to fixed answers in test_operators.py (both engines read the same row, so a wrong row would not make them
disagree).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parkrules.base.operators import OPERATORS
from parkrules.io.frame import FactColumn, Frame
from parkrules.model.catalog import Catalog
from parkrules.model.plan import compile_plan
from tests.conftest import STANDARDS
from tests.run.test_batch import _differences, _three

FACTS = ("fuel_raw_coal", "fuel_washed_coal", "fuel_coke", "fuel_diesel")  # all in t
LIMITS = (0.0, 1.0, 50.0, 100.0)
# values at the limits, a hair either side (inside and outside the comparison's tolerance), and elsewhere
VALUES = (0.0, 1.0, 50.0, 99.99999999999, 100.0, 100.00000001, 100.5, 1234.5, 0.005, 0.015, -3.0)
DERIVED = {
    "d_inventory": ("fuel_raw_coal * 2 + fuel_washed_coal", "t"),
    "d_ratio": ("fuel_coke / fuel_diesel", "1"),
    "d_growth": ("fuel_raw_coal - prev(fuel_raw_coal)", "t"),
    "d_since_base": ("fuel_coke - base(fuel_coke)", "t"),
    # evaluation errors: no real value (a negative number to a fractional power), an exponent past the bound or a
    # result past a float's range, 0 to a negative power, a modulo by zero, an overflow to infinity, a later year
    "d_root": ("(fuel_coke - 50) ** 0.5", "1"),
    "d_power": ("fuel_raw_coal ** fuel_diesel", "1"),
    "d_inverse": ("fuel_coke ** (fuel_diesel - 100)", "1"),
    "d_rest": ("fuel_coke % fuel_diesel", "t"),
    "d_huge": ("fuel_coke * 1e307", "t"),
    "d_ahead": ("at(fuel_coke, 2024) - fuel_coke", "t"),
    # a running stock: reads its own earlier years (restarted where no diesel is given)
    "d_stock": ("fuel_coke + prev(d_stock) if has(fuel_diesel) else fuel_coke", "t"),
}
FORMULAS = (
    ("d_inventory", "t"),
    ("d_ratio * 100", "1"),
    ("d_growth", "t"),
    ("fuel_coke", "t"),
    ("safe_div(fuel_raw_coal, fuel_diesel, 0)", "1"),
    ("d_since_base", "t"),
    ("d_ratio - prev(d_ratio)", "1"),  # an error of another year, read
    ("d_root + d_power", "1"),  # two errors read: both named, in the order read
    ("d_inverse + d_rest * 0 + d_huge * 0", "1"),
    ("d_ahead + fuel_washed_coal", "t"),  # an error, or missing what was read before it
    ("fuel_coke > fuel_diesel", "1"),  # true/false: equal to 0 or 1, an error against an ordered limit
    ("fuel_raw_coal / fuel_diesel * 100", "1"),  # an error of the indicator's own
    ("d_stock", "t"),
    ("d_ratio - benchmark(d_ratio)", "1"),  # the benchmark park's error, read
    ("fuel_coke - benchmark(fuel_coke)", "t"),
)
_CLAUSE = "generated"
_CHECK = {"status": "provisional", "rests_on": "a generated test pack"}


@st.composite
def threshold(draw, conditional: bool) -> dict:
    tier = {"operator": draw(st.sampled_from(sorted(OPERATORS))), "value": draw(st.sampled_from(LIMITS))}
    if conditional:
        tier["when"] = draw(st.sampled_from(["fuel_diesel > 10", "fuel_diesel <= 10", "d_ratio >= 1"]))
    return {**tier, "clause": _CLAUSE}


@st.composite
def indicator(draw, index: int, recurrent: bool) -> dict:
    formula, unit = draw(st.sampled_from([f for f in FORMULAS if recurrent or "d_stock" not in f[0]]))
    item = {
        "id": f"i{index}",
        "name": {"zh": f"指标{index}", "en": f"indicator {index}"},
        "role": draw(st.sampled_from(["core", "guidance", "gate", "veto", "bonus"])),
        "unit": unit,
        "formula": formula,
        "clause": _CLAUSE,
        "verification": _CHECK,
    }
    if draw(st.integers(0, 5)) == 0:  # a classification indicator
        cut = draw(st.sampled_from(LIMITS))
        item["classes"] = [
            {"id": "low", "name": {"zh": "低", "en": "low"}, "when": f"value < {cut}", "clause": _CLAUSE},
            {"id": "high", "name": {"zh": "高", "en": "high"}, "when": f"value >= {cut}", "clause": _CLAUSE},
        ]
        item["role"] = "reference"
        return item
    item["excludable"] = draw(st.booleans())  # a park's exclusion is honoured, or noted and ignored
    group = draw(st.sampled_from([None, "a", "b"]))  # a score's groups, weighted or not
    if group is not None:
        item["group"] = group
    tiers = draw(st.integers(1, 2))
    item["thresholds"] = [draw(threshold(conditional=tiers > 1)) for _ in range(tiers)]
    if draw(st.booleans()):
        item["comparison"] = {"decimals": draw(st.integers(0, 2))}
    method = draw(st.sampled_from([None, "pass_fail", "linear", "ratio"]))
    if method is not None:
        score = {"points": draw(st.sampled_from([1, 5])), "method": method}
        if method == "linear":
            score |= {"baseline": 0, "leading": draw(st.sampled_from([50, 100]))}
        if method == "ratio":
            score |= {"leading": draw(st.sampled_from([1, 50]))}
        item["score"] = score
    return item


@st.composite
def pack(draw) -> dict:
    recurrent = draw(st.booleans())  # a quantity that reads its own earlier years, or none
    indicators = [draw(indicator(i, recurrent)) for i in range(draw(st.integers(1, 4)))]
    zero_when_none = draw(st.booleans())
    derived = []
    for derived_id, (formula, unit) in DERIVED.items():
        if derived_id == "d_stock" and not recurrent:
            continue
        item = {"id": derived_id, "name": {"zh": derived_id, "en": derived_id}, "unit": unit, "formula": formula}
        if derived_id == "d_inventory":
            item["zero_if_absent"] = ["fuel_raw_coal", "fuel_washed_coal"]
            item["when_all_absent"] = "zero" if zero_when_none else "missing"
        derived.append({**item, "clause": _CLAUSE, "verification": _CHECK})
    rules = [{"all_pass": {"roles": ["gate", "core"]}, "clause": _CLAUSE, "verification": _CHECK}]
    if draw(st.booleans()):
        rules.append({"at_least": 1, "of": {"roles": ["guidance"]}, "clause": _CLAUSE, "verification": _CHECK})
    if draw(st.booleans()):
        share = draw(st.sampled_from([50, 100]))
        rules.append(
            {"at_least_share": share, "of": {"roles": ["guidance", "core"]}, "clause": _CLAUSE, "verification": _CHECK}
        )
    verdict: dict = {"rules": rules}
    if any("score" in item for item in indicators) and draw(st.booleans()):
        rules.append({"score_at_least": 2, "clause": _CLAUSE, "verification": _CHECK})
        # points summed as they are, or each group's share weighted and scaled
        verdict["score"] = draw(st.sampled_from([{}, {"scale": 100, "weights": {"a": 3, "b": 1}}, {"scale": 10}]))
    document = _document(derived, indicators, verdict)
    if draw(st.booleans()):  # an indicator of the standard the pack cannot encode, counted by the rules selecting it
        role = draw(st.sampled_from(["guidance", "core"]))
        ghost = {"id": "not_encoded_1", "name": {"zh": "未编码", "en": "not encoded"}, "reason": "generated"}
        document["not_encoded"] = [{**ghost, "role": role}]
    return document


def _document(derived: list[dict], indicators: list[dict], verdict: dict) -> dict:
    """A pack file's content around its quantities, indicators and verdict."""
    return {
        "id": "generated",
        "version": "1",
        "kind": "standard",
        "title": {"zh": "生成", "en": "generated"},
        "issuer": {"zh": "测试", "en": "test"},
        "document": "generated",
        "dates": {"published": "2026-12-06"},
        "status": "provisional",
        "sources": {"generated": {"title": "generated"}},
        "groups": {"a": {"name": {"zh": "甲", "en": "a"}}, "b": {"name": {"zh": "乙", "en": "b"}}},
        "derived": derived,
        "indicators": indicators,
        "verdict": verdict,
    }


@st.composite
def frame(draw) -> Frame:
    """Parks of two or three consecutive years (prev() and base() read the one before), each fact a value, a zero or
    absent per row, and the park's exclusion of some indicators on some rows."""
    parks = draw(st.integers(1, 6))
    years = draw(st.integers(2, 3))
    count = parks * years
    facts = {}
    for fact_id in FACTS:
        values = np.array(draw(st.lists(st.sampled_from(VALUES), min_size=count, max_size=count)))
        present = np.array(draw(st.lists(st.booleans(), min_size=count, max_size=count)))
        facts[fact_id] = FactColumn(np.where(present, values, 0.0), present)
    park = np.repeat(np.array([f"p{i}" for i in range(parks)], object), years)
    year = np.tile(np.arange(2023, 2023 + years, dtype=np.int64), parks)
    exclusions = {}
    for indicator_id in draw(st.lists(st.sampled_from([f"i{i}" for i in range(4)]), max_size=2, unique=True)):
        chosen = draw(st.lists(st.booleans(), min_size=count, max_size=count))
        exclusions[indicator_id] = np.array([("no such plant" if c else None) for c in chosen], object)
    return Frame(park, year, facts, exclusions)


class _Plain(yaml.SafeDumper):
    """Every mapping written out in full: the shared clause and verification blocks as copies, not aliases."""

    def ignore_aliases(self, data) -> bool:
        return True


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=pack(), rows=frame(), bench=st.booleans())
def test_the_engines_agree_on_generated_packs_and_parks(tmp_path_factory, document, rows, bench):
    """`bench`: the first park is also the benchmark park every park is compared with, or there is none."""
    path = Path(tmp_path_factory.mktemp("pack")) / "generated.yaml"
    path.write_text(yaml.dump(document, Dumper=_Plain, allow_unicode=True, sort_keys=False), encoding="utf-8")
    catalog = Catalog(STANDARDS)
    plan = compile_plan(catalog, catalog.load(path))
    benchmark = rows.parks(catalog.vocabulary.facts)["p0"] if bench else None
    block, parks, reference = _three(plan, rows, catalog, benchmark)
    every_row = np.ones(len(rows), bool)
    assert _differences(block, reference, every_row) == []  # evaluation errors included, worded the same
    assert _differences(parks, reference, every_row) == []


def test_a_whole_number_past_a_float_s_range_is_the_quantity_s_error_in_both_engines(tmp_path):
    """2 to the 1030th is a whole number no float holds: the quantity did not give a number, what reads it fails."""
    document = _document(
        [
            {
                "id": "d_huge",
                "name": {"zh": "大", "en": "huge"},
                "unit": "1",
                "formula": "(2 ** 100) ** 10 * 2 ** 30",
                "clause": _CLAUSE,
                "verification": _CHECK,
            }
        ],
        [
            {
                "id": "i0",
                "name": {"zh": "指标", "en": "indicator"},
                "role": "core",
                "unit": "1",
                "formula": "d_huge",
                "clause": _CLAUSE,
                "verification": _CHECK,
                "thresholds": [{"operator": "<=", "value": 1.0, "clause": _CLAUSE}],
            }
        ],
        {"rules": [{"all_pass": {"roles": ["core"]}, "clause": _CLAUSE, "verification": _CHECK}]},
    )
    path = tmp_path / "generated.yaml"
    path.write_text(yaml.dump(document, Dumper=_Plain, allow_unicode=True, sort_keys=False), encoding="utf-8")
    catalog = Catalog(STANDARDS)
    plan = compile_plan(catalog, catalog.load(path))
    present = np.ones(2, bool)
    rows = Frame(np.array(["p0", "p0"], object), np.array([2023, 2024]), {"fuel_coke": FactColumn(np.ones(2), present)})
    block, parks, reference = _three(plan, rows, catalog)
    assert _differences(block, reference, present) == [] and _differences(parks, reference, present) == []
    message = "depends on what could not be computed — d_huge: '(2 ** 100) ** 10 * 2 ** 30' did not give a number"
    assert block.message[:, 0].tolist() == [message, message]
