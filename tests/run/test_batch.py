"""Batch runs: the columnar engine and the per-park path against the evaluator on real packs, bad rows, streamed
output."""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parkrules.formula import formula
from parkrules.io.frame import FactColumn, Frame
from parkrules.io.park import load_park
from parkrules.model.catalog import Catalog, bundled_root
from parkrules.rules.results_block import STATUS, choice_of
from parkrules.rules.verdict import decide
from parkrules.run import columnar, per_park
from parkrules.run.benchmarks import benchmark_for
from parkrules.run.evaluate import Context, evaluate_years, factor_values, values_by_year
from parkrules.run.leafsets import LeafSets

DATA = Path(__file__).parents[1] / "data" / "batch"
FIELDS = ("status", "number", "other", "gap", "choice", "missing", "message", "points", "verdict", "score")


def _three(plan, frame: Frame, catalog: Catalog, benchmark=None):
    """The columnar engine, the per-park path (verdicts as arrays), and the evaluator alone (verdicts by
    `verdict.decide`)."""
    leafsets = LeafSets()
    bench = None
    if benchmark is not None:
        bench = values_by_year(plan, benchmark.years, factor_values(plan, benchmark)[0], Context())
    block = columnar.evaluate_frame(columnar.compile_columnar(plan), frame, leafsets, None, bench)
    columnar.finish(block, leafsets, frame.year)
    context = Context(None, benchmark_for(plan, benchmark))
    parks = per_park.evaluate_parks(plan, frame, catalog.vocabulary, context)
    return block, parks, _evaluator_block(plan, frame, catalog, context)


def _evaluator_block(plan, frame: Frame, catalog: Catalog, context: Context):
    rows = per_park.ResultRows(len(plan.indicators))
    verdicts = {}
    index = {(str(park), int(year)): row for row, (park, year) in enumerate(zip(frame.park, frame.year, strict=True))}
    for park in frame.parks(catalog.vocabulary.facts).values():
        factors, _ = factor_values(plan, park)
        for year, results in evaluate_years(plan, park.years, sorted(park.years), factors, context).items():
            row = index[(park.id, year)]
            for indicator, result in zip(plan.indicators, results, strict=True):
                rows.add_result(row, result, choice_of(indicator, result))
            verdicts[row] = decide(plan.pack, plan.indicators, results)
    block = rows.block(plan, len(frame))
    block.verdict = np.array([STATUS[verdicts[row].status] for row in range(len(frame))], np.int8)
    block.score = np.array([v.score.total if v.score else np.nan for v in (verdicts[r] for r in range(len(frame)))])
    return block


def _differences(block, reference, rows: np.ndarray) -> list[str]:
    found = []
    for name in FIELDS:
        mine, theirs = getattr(block, name)[rows], getattr(reference, name)[rows]
        if mine.dtype == np.float64:
            same = (np.isnan(mine) & np.isnan(theirs)) | (mine == theirs)
            if name == "score":  # summed per group in another order: the last digit may differ
                same |= np.isclose(mine, theirs, rtol=1e-12, atol=1e-12)
        else:
            same = np.array([a == b for a, b in zip(mine.ravel(), theirs.ravel(), strict=True)]).reshape(mine.shape)
        if not same.all():
            at = np.argwhere(~same)[0]
            found.append(f"{name} at {tuple(at)}: {mine[tuple(at)]!r} != {theirs[tuple(at)]!r}")
    return found


def test_columnar_matches_per_park_on_the_bundled_parks(bundled):
    catalog, plans, frame = bundled
    benchmark = load_park(bundled_root() / "parks" / "benchmarks" / "benchmark-hitech.yaml", catalog.vocabulary)[0]
    for plan in plans:
        for bench in (None, benchmark):  # catch-up decoupling reads the benchmark park, or misses it
            block, parks, reference = _three(plan, frame, catalog, bench)
            every_row = np.ones(len(frame), bool)
            assert _differences(block, reference, every_row) == [], plan.pack.ref
            assert _differences(parks, reference, every_row) == [], plan.pack.ref


def changed_facts(data: st.DataObject, catalog: Catalog, frame: Frame) -> dict[str, FactColumn]:
    """The frame's facts removed (missing, whole years too), set to zero (division by zero → errors), and
    quantities no bundled park gives given (a process output: the factor the table lacks is then read), at random."""
    rows = st.lists(st.booleans(), min_size=len(frame), max_size=len(frame))
    absent = FactColumn(np.zeros(len(frame)), np.zeros(len(frame), bool))
    quantities = {fact_id: absent for fact_id, fact in catalog.vocabulary.facts.items() if fact.kind == "quantity"}
    facts = {}
    for name, column in sorted((quantities | frame.facts).items()):
        values, present = column.values.copy(), column.present.copy()
        if values.dtype == np.float64 and data.draw(st.booleans()):
            chosen = np.array(data.draw(rows))
            values[chosen] = data.draw(st.sampled_from([0.0, 1234.5]))
            present |= chosen
        if data.draw(st.booleans()):
            present &= ~np.array(data.draw(rows))
        facts[name] = FactColumn(values, present)  # absent cells set to the zero of their kind
    return facts


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_columnar_matches_per_park_when_facts_go_missing_or_zero(bundled, data):
    """Facts removed, set to zero or given at random (`changed_facts`)."""
    catalog, plans, frame = bundled
    facts = changed_facts(data, catalog, frame)
    rows = np.array(data.draw(st.lists(st.booleans(), min_size=len(frame), max_size=len(frame))))
    keep = np.nonzero(rows | (np.arange(len(frame)) == 0))[0]
    changed = Frame(frame.park, frame.year, facts, frame.exclusions, frame.overrides, frame.files).take(keep)
    plan = data.draw(st.sampled_from(plans))
    block, parks, reference = _three(plan, changed, catalog)
    every_row = np.ones(len(changed), bool)
    assert _differences(block, reference, every_row) == []
    assert _differences(parks, reference, every_row) == []


@functools.cache
def _bundled_formulas() -> list[str]:
    catalog = Catalog(bundled_root() / "standards")
    packs = [catalog.resolve(pack_id) for pack_id in catalog.pack_ids()]
    return sorted({item.formula.text for pack in packs for item in (*pack.derived, *pack.indicators)})


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_compiled_formulas_match_simpleeval(data):
    parsed = formula.parse(data.draw(st.sampled_from(_bundled_formulas())))
    numbers = st.one_of(st.just(0.0), st.floats(-1e6, 1e6, allow_nan=False), st.booleans())
    values = {name: data.draw(numbers) for name in parsed.names}

    def outcome(evaluate):
        try:
            return ("value", evaluate(parsed, values))
        except Exception as exc:  # noqa: BLE001 - both evaluators must fail the same way
            return ("raises", type(exc).__name__)

    assert outcome(formula.evaluate) == outcome(formula.evaluate_reference)


def _assess(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "parkrules", "assess", *args], capture_output=True, text=True)


def test_bad_rows_are_reported_and_every_good_row_assessed(tmp_path):
    out = tmp_path / "out.jsonl"
    done = _assess(
        str(DATA / "parks-with-bad-rows.csv"), "-s", "cn-national-zero-carbon-park", "--format", "jsonl", "-o", str(out)
    )
    assert done.returncode == 2, done.stderr
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assessed = {(r["park"], r["year"]) for r in lines if "park" in r}
    assert assessed == {("good-a", 2023), ("good-a", 2024), ("good-b", 2024), ("good-c", 2024)}
    errors = {e["error"]["park"]: e["error"] for e in lines if "error" in e}
    assert set(errors) == {"text-in-number", "negative-energy", "unknown-unit"}
    assert errors["text-in-number"]["line"] == 4 and errors["text-in-number"]["column"] == 3
    assert "below the minimum" in errors["negative-energy"]["message"]
    assert errors["unknown-unit"]["field"] == "elec_grid_received.unit"
    summary = lines[-1]["summary"]
    assert summary["park_years_assessed"] == 4 and summary["errors"] == 3 and summary["parks_with_errors"] == 3
    good_a = next(r for r in lines if r.get("park") == "good-a" and r["year"] == 2024)
    national = good_a["packs"]["cn-national-zero-carbon-park@2025.07-trial"]["indicators"]
    assert national["industrial_water_reuse"] == {
        "status": "pass",
        "value": 86.0,
        "threshold": {"operator": ">=", "value": 80},
        "gap": -6.0,
    }


def test_csv_and_parquet_hold_the_same_results_as_json_lines(tmp_path):
    """Every pack (one has no indicators yet): the long table says what each line says, field by field."""
    common = [str(bundled_root() / "parks")]
    _assess(*common, "--format", "jsonl", "-o", str(tmp_path / "r.jsonl"))
    _assess(*common, "--format", "parquet", "-o", str(tmp_path / "r.parquet"))
    import pyarrow.parquet as pq

    table = pq.read_table(tmp_path / "r.parquet").to_pylist()
    lines = [json.loads(x) for x in (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()]
    verdicts = {(r["park"], r["year"], r["pack"]): r["status"] for r in table if r["kind"] == "verdict"}
    parks = [r for r in lines if "park" in r]
    expected = {(r["park"], r["year"], pack): e["verdict"] for r in parks for pack, e in r["packs"].items()}
    catalog = Catalog(bundled_root() / "standards")
    assessable = [pack_id for pack_id in catalog.pack_ids() if catalog.resolve(pack_id).kind != "method"]
    assert verdicts == expected and len({pack for _, _, pack in verdicts}) == len(assessable)  # every bundled one
    rows = {(r["park"], r["year"], r["pack"], r["indicator"]): r for r in table if r["kind"] == "indicator"}
    compared = 0
    for line in parks:
        for pack, entry in line["packs"].items():
            for indicator, result in entry["indicators"].items():
                row = rows.pop((line["park"], line["year"], pack, indicator))
                threshold = result.get("threshold") or {}
                limit = threshold.get("value")
                assert row["status"] == result["status"]
                assert (row["operator"], row["limit"]) == (
                    threshold.get("operator"),
                    None if limit is None else str(limit).lower() if isinstance(limit, bool) else str(limit),
                )
                assert row["tier"] == result.get("tier", result.get("class"))
                assert row["gap"] == result.get("gap")
                assert row["missing"] == ("; ".join(result["missing"]) if "missing" in result else None)
                value = result.get("value")
                if isinstance(value, (bool, str)):
                    assert row["value_text"] == (str(value).lower() if isinstance(value, bool) else value)
                else:
                    assert (row["value"], row["value_text"]) == (value, None)
                compared += 1
    assert rows == {} and compared > 300


def test_per_park_engine_gives_the_same_lines(tmp_path):
    common = [str(bundled_root() / "parks"), "--format", "jsonl"]
    columnar_run = _assess(*common, "-o", str(tmp_path / "c.jsonl"))
    per_park_run = _assess(*common, "--engine", "per-park", "-o", str(tmp_path / "p.jsonl"))
    assert columnar_run.returncode == per_park_run.returncode == 1
    c = (tmp_path / "c.jsonl").read_text(encoding="utf-8").splitlines()
    p = (tmp_path / "p.jsonl").read_text(encoding="utf-8").splitlines()
    assert c[:-1] == p[:-1] and len(c) == 14  # a line per park-year of the bundled parks, and the summary


@pytest.mark.parametrize("engine", ["columnar", "per-park"])
def test_a_park_files_own_benchmark_is_read_in_batch_runs_as_in_a_one_park_run(tmp_path, engine):
    park = bundled_root() / "parks" / "west-hitech.yaml"
    out = tmp_path / "batch.jsonl"
    common = ["-s", "park-transition-analysis"]
    _assess(str(bundled_root() / "parks"), *common, "--format", "jsonl", "--engine", engine, "-o", str(out))
    single = json.loads(_assess(str(park), *common, "--format", "json").stdout)["assessments"][0]
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    line = next(r for r in lines if r.get("park") == "west-hitech" and r.get("year") == single["period"])
    batch = line["packs"]["park-transition-analysis@2026.11"]["indicators"]
    expected = {
        i["id"]: {"status": i["status"], "value": i["value"], "class": i["state"]["id"]} for i in single["indicators"]
    }
    assert batch == expected
    assert batch["catch_up_decoupling"]["class"] == "strong_negative_decoupling"  # it reads benchmark(x)


def test_a_broken_benchmark_file_is_reported_and_the_park_assessed_without_it(tmp_path):
    text = (bundled_root() / "parks" / "west-hitech.yaml").read_text(encoding="utf-8")
    park = tmp_path / "west.yaml"
    park.write_text(text.replace("benchmark: benchmarks/benchmark-hitech.yaml", "benchmark: nowhere.yaml"), "utf-8")
    out = tmp_path / "batch.jsonl"
    done = _assess(str(park), "-s", "park-transition-analysis", "--format", "jsonl", "-o", str(out))
    assert done.returncode == 2, done.stderr
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    errors = [r["error"] for r in lines if "error" in r]
    assert (
        len(errors) == 1
        and errors[0]["park"] == "west-hitech"
        and "nowhere.yaml: cannot read file: No such file" in errors[0]["message"]
    )
    years = [r for r in lines if r.get("park") == "west-hitech"]
    assert len(years) == 5
    catch_up = years[-1]["packs"]["park-transition-analysis@2026.11"]["indicators"]["catch_up_decoupling"]
    assert catch_up == {"status": "missing", "missing": ["benchmark park"]}


def test_a_table_row_with_raw_coal_in_total_and_split_is_its_error_and_the_others_are_assessed(tmp_path):
    table = tmp_path / "parks.csv"
    table.write_text(
        "park.id,year,fuel_raw_coal [t],fuel_lignite [t],elec_grid_received [kWh]\n"
        "total,2024,100,,0\nboth,2024,100,50,0\nsplit,2024,,50,0\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    _assess(str(table), "-s", "cn-national-zero-carbon-park", "-o", str(out))
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["park"] for line in lines if "park" in line] == ["total", "split"]
    (error,) = [line["error"] for line in lines if "error" in line]
    assert (error["line"], error["column"], error["park"]) == (3, 3, "both") and "count twice" in error["message"]


@pytest.mark.parametrize("engine", ["columnar", "per-park"])
def test_the_summary_counts_each_cohort_as_the_rows_hold_it(tmp_path, engine):
    out = tmp_path / "batch.jsonl"
    _assess(str(bundled_root() / "parks"), "-s", "park-transition-analysis", "--format", "jsonl", "--engine", engine,
            "-o", str(out))  # fmt: skip
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    counted: dict = {}
    for line in lines[:-1]:
        for indicator_id, entry in line["packs"]["park-transition-analysis@2026.11"]["indicators"].items():
            if entry["status"] == "classified":
                by_year = counted.setdefault(indicator_id, {}).setdefault(str(line["year"]), {})
                by_year[entry["class"]] = by_year.get(entry["class"], 0) + 1
    summary = lines[-1]["summary"]["classes"]["park-transition-analysis@2026.11"]
    assert summary == counted
    assert summary["development_type"]["2024"] == {"low_carbon_development": 1}
