"""Generated junk through load, lint and assess: only located errors come out, in bounded time, and a bad
park in a batch never stops the good ones.

Each example runs under a watchdog (SIGALRM): a hang fails the test instead of stalling the suite.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import signal
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parkrules.analysis.assess import assess_parks, compile_standards
from parkrules.authoring.lint import Linter
from parkrules.base.errors import ParkrulesError
from parkrules.formula import formula
from parkrules.io.park import load_park
from parkrules.io.yamlsafe import load_text
from parkrules.model.catalog import Catalog
from parkrules.model.result import RunResult
from parkrules.run import CHUNK_ROWS
from parkrules.run.batch import run_batch
from parkrules.run.batchwrite import JsonLinesWriter
from tests.conftest import STANDARDS

CATALOG = Catalog(STANDARDS)
NATIONAL = compile_standards(CATALOG, ["cn-national-zero-carbon-park"], RunResult())
SECONDS = 5  # per example: far above what any input takes; a hang is what it catches
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@contextlib.contextmanager
def watchdog(seconds: int = SECONDS):
    def expired(signum, frame):
        raise TimeoutError(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(scalars, inner, max_size=5)),
    max_leaves=30,
)
FACTS = sorted(CATALOG.vocabulary.facts)


@FUZZ
@given(documents)
def test_any_yaml_document_loads_or_is_a_located_error(document):
    text = yaml.safe_dump(document, allow_unicode=True)
    with watchdog():
        try:
            load_text(text, "fuzz.yaml")
        except ParkrulesError as exc:
            assert exc.location.file == "fuzz.yaml"


@FUZZ
@given(st.binary(max_size=400), st.sampled_from([".yaml", ".json", ".csv", ".xlsx"]))
def test_any_bytes_as_a_park_file_are_a_located_error_or_a_park(data, suffix):
    with tempfile.TemporaryDirectory() as folder, watchdog():
        path = Path(folder) / f"junk{suffix}"
        path.write_bytes(data)
        park, errors = load_park(path, CATALOG.vocabulary)
        assert (park is None) == bool(errors)
        assert all(isinstance(error, ParkrulesError) and str(path) in error.location.file for error in errors)


def _park_document(facts: dict, years: list) -> dict:
    return {
        "park": {"id": "fuzz", "name": {"zh": "园区", "en": "park"}, "province": "x", "type": "x"},
        "years": {year: {"facts": facts} for year in years},
    }


fact_values = st.one_of(
    scalars,
    st.builds(
        lambda n, u: f"{n} {u}", st.floats(allow_nan=False), st.sampled_from(["t", "万kWh", "GWh", "tce", "%", ""])
    ),
    st.fixed_dictionaries({"value": scalars, "unit": st.one_of(st.none(), st.text(max_size=6))}),
)


@FUZZ
@given(
    st.dictionaries(st.sampled_from(FACTS), fact_values, max_size=8),
    st.lists(st.one_of(st.integers(1990, 2030), st.integers(), st.text(max_size=5)), min_size=1, max_size=3),
)
def test_any_park_shaped_document_is_assessed_or_refused_with_located_errors(facts, years):
    with tempfile.TemporaryDirectory() as folder, watchdog():
        path = Path(folder) / "park.yaml"
        path.write_text(yaml.safe_dump(_park_document(facts, years), allow_unicode=True), encoding="utf-8")
        run = RunResult()
        assess_parks(CATALOG, NATIONAL, [path], None, run)
        assert run.assessments or run.errors
        assert all(error["file"] for error in run.errors)
        json.dumps(run.to_dict("fuzz"), allow_nan=False)  # strict JSON whatever came in


GOOD = "good-{0},2024,{1},50000"
cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@FUZZ
@given(st.lists(st.lists(cells, max_size=7), min_size=1, max_size=6), st.integers(1, 5))
def test_junk_rows_in_a_park_year_table_never_stop_the_good_parks(junk, good_count):
    with tempfile.TemporaryDirectory() as folder, watchdog():
        table = Path(folder) / "parks.csv"
        lines = ["park.id,year,elec_grid_received [万kWh],fuel_raw_coal [t]"]
        lines += [GOOD.format(i, 12000 + i) for i in range(good_count)]
        lines += [_csv_line([cell.replace("\n", " ").replace("\r", " ") for cell in row]) for row in junk]
        lines += [GOOD.format(i + 100, 12000 + i) for i in range(good_count)]
        table.write_text("\n".join(lines) + "\n", encoding="utf-8")
        results = Path(folder) / "out.jsonl"
        summary = run_batch(CATALOG, NATIONAL, [table], JsonLinesWriter(results), chunk_rows=CHUNK_ROWS)
        assert summary.as_dict()["park_years_assessed"] >= 2 * good_count - _junk_parks(junk)
        assessed = {json.loads(line).get("park") for line in results.read_text(encoding="utf-8").split("\n") if line}
        wanted = {f"good-{i}" for i in range(good_count)} | {f"good-{i + 100}" for i in range(good_count)}
        assert wanted - _junk_ids(junk) <= assessed


def _csv_line(cells: list[str]) -> str:
    """One row as a CSV writer quotes it (an unclosed quote would swallow every later line, in any reader)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells)
    return buffer.getvalue()


def _junk_ids(junk: list) -> set:
    """Junk rows that happen to reuse a good park's id may clash with it (a second row for a year)."""
    return {row[0].strip() for row in junk if row}


def _junk_parks(junk: list) -> int:
    return len(_junk_ids(junk))


names = st.sampled_from(["fuel_diesel", "elec_grid_received", "x", "prev(fuel_diesel)", "gross_industrial_output"])
numbers = st.one_of(st.integers(-(10**6), 10**6), st.floats(-1e6, 1e6), st.sampled_from(["9", "99", "1e308", "0"]))
atoms = st.one_of(names, numbers.map(str))
FUNCTION_NAMES = st.sampled_from(["min", "max", "abs", "sum", "round", "safe_div", "eval", "__import__"])
operators = st.sampled_from(["+", "-", "*", "/", "**", "%", " < ", " >= ", " == ", " and ", " or "])
formulas = st.recursive(
    atoms,
    lambda inner: st.one_of(
        st.tuples(inner, operators, inner).map(lambda t: f"({t[0]}{t[1]}{t[2]})"),
        st.tuples(st.sampled_from(["-", "not ", ""]), inner).map("".join),
        st.tuples(
            st.sampled_from(["min", "max", "abs", "sum", "round", "safe_div", "eval", "__import__"]),
            st.lists(inner, max_size=3),
        ).map(lambda t: f"{t[0]}({', '.join(t[1])})"),
    ),
    max_leaves=40,
)
ALLOWED = (ZeroDivisionError, OverflowError, formula.FormulaError, formula.Unavailable)


@FUZZ
@given(formulas, st.floats(-1e300, 1e300), st.floats(-1e6, 1e6))
def test_any_formula_parses_and_runs_to_a_value_or_an_allowed_error(text, diesel, grid):
    values = {"fuel_diesel": diesel, "elec_grid_received": grid, "x": 2.0, "fuel_diesel@-1": 1.0}
    with watchdog():
        try:
            parsed = formula.parse(text)
        except formula.FormulaError:
            return
        try:
            value = formula.evaluate(parsed, values)
        except ALLOWED:
            return
        assert isinstance(value, (int, float, bool))


HOSTILE = STANDARDS.parent / "tests" / "data" / "hostile"
PACK = (HOSTILE / "packs" / "power-tower" / "1.0.yaml").read_text(encoding="utf-8")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(formulas)
def test_any_formula_in_a_pack_lints_to_diagnostics_and_assesses(text):
    with tempfile.TemporaryDirectory() as folder, watchdog(20):
        root = Path(folder)
        (root / "fuzz").mkdir()
        pack = PACK.replace("id: power-tower", "id: fuzz").replace(
            "formula: (((9**99)**99)**99)**99 + gross_industrial_output", f"formula: {json.dumps(text)}"
        )
        (root / "fuzz" / "1.0.yaml").write_text(pack, encoding="utf-8")
        Linter(root).lint([root / "fuzz" / "1.0.yaml"], [])
        catalog = Catalog(root)
        run = RunResult()
        plans = compile_standards(catalog, ["fuzz"], run)
        park = HOSTILE / "ok-park.yaml"
        assess_parks(catalog, plans, [park], None, run)
        assert run.assessments or run.errors
        json.dumps(run.to_dict("fuzz"), allow_nan=False)
