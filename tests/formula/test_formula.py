from __future__ import annotations

import ast
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parkrules.formula import formula, periods
from parkrules.formula.formula import FUNCTIONS, FormulaError, evaluate, parse

ALLOWED_NODES = (
    ast.Expression,
    ast.BinOp,
    ast.UnaryOp,
    ast.BoolOp,
    ast.Compare,
    ast.IfExp,
    ast.Call,
    ast.Name,
    ast.Constant,
    ast.Load,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.Pow,
    ast.Mod,
    ast.UAdd,
    ast.USub,
    ast.Not,
    ast.And,
    ast.Or,
    ast.Eq,
    ast.NotEq,
    ast.Lt,
    ast.LtE,
    ast.Gt,
    ast.GtE,
)


def test_parses_once_and_lists_names():
    f = parse("e_park / energy if energy > 0 else max(e_park, 1) ** 2")
    assert f.names == {"e_park", "energy"}
    assert evaluate(f, {"e_park": 3.0, "energy": 2.0}) == 1.5
    assert evaluate(f, {"e_park": 3.0, "energy": 0.0}) == 9.0


def test_multi_line_formula_from_yaml():
    assert evaluate(parse("a +\n  b"), {"a": 1, "b": 2}) == 3


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("x.__class__", "attribute access"),
        ("__import__('os')", "not allowed"),
        ("_private + 1", "may not start with '_'"),
        ("(lambda: 1)()", "lambda"),
        ("[i for i in x]", "comprehension"),
        ("sum(i for i in x)", "comprehension"),
        ("import os", "cannot parse"),
        ("2 ** 1000000", "exponent"),
        ("x[0]", "indexing"),
        ("open('f')", "not allowed"),
        ("'Text with spaces'", "only numbers"),
        ("(y := 1)", "assignment"),
        ("min(*x)", "unpacking"),
        ("round(x, ndigits=2)", "keyword"),
        ("x.real()", "attribute access"),
        ("min", "must be called"),
    ],
)
def test_refused_constructs(text, complaint):
    with pytest.raises(FormulaError, match=complaint):
        parse(text)


def test_huge_exponent_from_data_is_refused_at_run_time():
    with pytest.raises(FormulaError, match="exponent"):
        evaluate(parse("a ** b"), {"a": 10.0, "b": 1e6})


def test_a_negative_number_to_a_fractional_power_is_an_error_not_a_complex_number():
    # a 3-year growth rate, (now / then) ** (1/3), of a quantity that changed sign
    for evaluator in (evaluate, formula.evaluate_reference):
        with pytest.raises(FormulaError, match="no real value"):
            evaluator(parse("(a / b) ** (1 / 3) - 1"), {"a": -8.0, "b": 1.0})
    assert evaluate(parse("(a / b) ** (1 / 3)"), {"a": 8.0, "b": 1.0}) == pytest.approx(2.0)


def test_safe_div_is_explicit():
    assert evaluate(parse("safe_div(a, b, -1)"), {"a": 1, "b": 0}) == -1
    with pytest.raises(ZeroDivisionError):
        evaluate(parse("a / b"), {"a": 1, "b": 0})


TOKENS = st.sampled_from(
    [
        "a",
        "b",
        "x",
        "1",
        "2.5",
        "+",
        "-",
        "*",
        "/",
        "**",
        "(",
        ")",
        "[",
        "]",
        ".",
        ",",
        ":",
        "if",
        "else",
        "and",
        "or",
        "not",
        "<",
        ">=",
        "==",
        "lambda",
        "for",
        "in",
        "__class__",
        "__import__",
        "import",
        "min",
        "max",
        "sum",
        "round",
        "open",
        "eval",
        "'s'",
        "*",
        "=",
        ":=",
        "{",
        "}",
        "yield",
        "await",
        " ",
    ]
)


@given(st.lists(TOKENS, min_size=1, max_size=14).map(" ".join))
def test_nothing_outside_the_allow_list_survives_parsing(text):
    """Any text either is refused, or yields a tree made only of allow-listed nodes and functions."""
    try:
        formula = parse(text)
    except FormulaError:
        return
    for node in ast.walk(formula.tree):
        assert isinstance(node, ALLOWED_NODES), type(node).__name__
        if isinstance(node, ast.Call):
            assert isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS
        if isinstance(node, ast.Name):
            assert not node.id.startswith("_")
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            assert node.value.isidentifier() and not node.value.startswith("_")


def test_category_ids_compare_with_category_facts():
    formula = parse("10 if region == 'other' else 30")
    assert evaluate(formula, {"region": "jing_jin_ji"}) == 30
    assert evaluate(formula, {"region": "other"}) == 10


def test_base_has_and_benchmark_become_qualified_names():
    parsed = formula.parse("x / base(x) if has(y) else benchmark(z)")
    assert parsed.names == {"x", "x@base", "y@has", "z@bench"}
    assert [periods.special_reference(n) for n in sorted(parsed.names)] == [None, "base", "has", "bench"]
    assert periods.split_period("x@base") == ("x", None, None)


@pytest.mark.parametrize("text", ["has(1)", "base(x, 2)", "benchmark(prev(x))", "has()"])
def test_special_references_take_one_plain_name(text):
    with pytest.raises(formula.FormulaError, match="plain name|is not allowed"):
        formula.parse(text)


def test_every_allowed_function_has_an_argument_count_checked_at_parse_time():
    assert set(formula.ARITY) == set(FUNCTIONS)
    for text in ("abs()", "safe_div(1, 2)", "min(1)", "round(1, 2, 3)"):
        with pytest.raises(FormulaError, match="takes"):
            parse(text)


def test_depth_and_size_of_powers_are_bounded_before_anything_runs():
    with pytest.raises(FormulaError, match="nested more than"):
        parse("x" + " + 1" * (formula.MAX_DEPTH + 1))
    chain = parse("x" + " + 1" * (formula.MAX_DEPTH - 2))
    assert evaluate(chain, {"x": 1.0}) == formula.MAX_DEPTH - 1
    started = time.process_time()
    with pytest.raises(OverflowError):
        evaluate(parse("(((9**99)**99)**99)**99"), {})
    assert time.process_time() - started < 1.0
