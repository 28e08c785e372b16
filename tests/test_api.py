"""The Python API as an analyst uses it: its documented examples run, its table is the batch engine's long table
for the same parks, and `import parkrules` stays light."""

from __future__ import annotations

import doctest
import subprocess
import sys

import pyarrow.parquet as pq
import pytest

import parkrules
from parkrules import api
from tests.conftest import PARKS, ROOT

COLUMNS = ("kind", "park", "year", "pack", "indicator", "status", "unit", "operator", "limit", "tier")


def test_the_documented_examples_run(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = doctest.testmod(api, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 10 and result.failed == 0


def test_the_table_is_the_batch_long_table(tmp_path):
    result = parkrules.assess([PARKS / "green-valley.yaml", PARKS / "coal-town.yaml"])
    assert not result.errors
    mine = result.to_arrow()
    out = tmp_path / "batch.parquet"
    code = subprocess.run(
        [sys.executable, "-m", "parkrules", "assess", str(PARKS / "green-valley.yaml"), str(PARKS / "coal-town.yaml"),
         "--format", "parquet", "-o", str(out)], capture_output=True, text=True,
    ).returncode  # fmt: skip
    assert code in (0, 1)
    batch = pq.read_table(out)
    latest = {("green-valley", 2024), ("coal-town", 2024)}

    def rows(table) -> set[tuple]:
        found = set()
        for row in table.to_pylist():
            if (row["park"], row["year"]) in latest and row["kind"] != "error":
                value = None if row["value"] is None else round(row["value"], 9)
                gap = None if row["gap"] is None else round(row["gap"], 9)
                found.add((*(row[c] for c in COLUMNS), value, gap))
        return found

    assert rows(mine) == rows(batch)  # the one-park evaluator and the columnar engine, the same table


def test_dataframes(tmp_path):
    result = api.assess(PARKS / "green-valley.yaml", standards=["cn-national-zero-carbon-park"])
    frame = result.to_pandas()
    assert list(frame.columns)[:3] == ["kind", "park", "year"] and len(frame) == result.to_arrow().num_rows
    polars = pytest.importorskip("polars", reason="polars is in the optional [dataframes] extra")
    assert isinstance(result.to_polars(), polars.DataFrame)


def test_bad_input_is_in_errors_not_raised(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("park: {id: Bad Id}\n", encoding="utf-8")
    result = api.assess([broken, PARKS / "green-valley.yaml"], standards=["cn-national-zero-carbon-park"])
    assert result.errors and result.errors[0]["file"].endswith("broken.yaml")
    assert [v.park for v in result.verdicts] == ["green-valley"] and not result.passed


def test_import_parkrules_loads_no_engine():
    code = "import sys, parkrules; print(sorted(m for m in sys.modules if m.startswith('parkrules')))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
    assert loaded.strip() == "['parkrules']"


def test_a_plan_cache_compiles_each_request_of_standards_once():
    cache = api.PlanCache()
    first = cache.plans(["cn-national-zero-carbon-park"], None)
    assert cache.plans(["cn-national-zero-carbon-park"], None) is first  # kept, not compiled again
    assert cache.plans(["cn-national-zero-carbon-park"], 2024) is not first  # another period may pick an edition
    plans, errors, _ = cache.plans(["no-such-pack"], None)
    assert plans == [] and "no pack 'no-such-pack'" in errors[0]["message"]
    cached = api.assess(PARKS / "green-valley.yaml", ["cn-national-zero-carbon-park"], cache=cache)
    fresh = api.assess(PARKS / "green-valley.yaml", ["cn-national-zero-carbon-park"])
    assert cached.to_dict() == fresh.to_dict()
