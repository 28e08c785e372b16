"""Batch output in every shape: the long and wide layouts hold the same results; a partitioned folder is the single
file read as a dataset (by pyarrow and by DuckDB, as the README shows); a partitioned dataset as input gives the
results of the single table; outputs are the same bytes run after run and never replace a folder."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
from collections import Counter

import numpy as np
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from parkrules.model.catalog import bundled_root

PARKS = bundled_root() / "parks"
KEYS = [("park", "ascending"), ("year", "ascending"), ("pack", "ascending"), ("kind", "ascending")]


def _assess(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "parkrules", "assess", *args], capture_output=True, text=True)


@pytest.fixture(scope="module")
def long_table(tmp_path_factory) -> pa.Table:
    out = tmp_path_factory.mktemp("long") / "long.parquet"
    assert _assess(str(PARKS), "-o", str(out)).returncode == 1
    return pq.read_table(out)


def _cell(value):
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def test_the_wide_layout_holds_every_cell_of_the_long_one(tmp_path, long_table):
    out = tmp_path / "wide.parquet"
    assert _assess(str(PARKS), "--layout", "wide", "-o", str(out)).returncode == 1
    wide = {(r["park"], r["year"], r["pack"]): r for r in pq.read_table(out).to_pylist()}
    verdicts = [r for r in long_table.to_pylist() if r["kind"] == "verdict"]
    assert len(wide) == len(verdicts) > 0 and {r["kind"] for r in wide.values()} == {"result"}
    for verdict in verdicts:
        row = wide[(verdict["park"], verdict["year"], verdict["pack"])]
        assert (row["verdict"], _cell(row["score"])) == (verdict["status"], _cell(verdict["score"]))
    compared = 0
    for cell in long_table.to_pylist():
        if cell["kind"] != "indicator":
            continue
        row = wide[(cell["park"], cell["year"], cell["pack"])]
        name = cell["indicator"]
        assert row[f"{name}.status"] == cell["status"]
        assert _cell(row[f"{name}.value"]) == _cell(cell["value"])
        assert row.get(f"{name}.value_text") == cell["value_text"]
        assert _cell(row[f"{name}.gap"]) == _cell(cell["gap"])
        assert row[f"{name}.tier"] == cell["tier"]
        compared += 1
    assert compared > 300


def test_a_partitioned_folder_is_the_single_file_read_as_a_dataset(tmp_path, long_table):
    folder = tmp_path / "results"
    assert _assess(str(PARKS), "--format", "parquet", "--partitioned", "-o", str(folder)).returncode == 1
    assert not list(tmp_path.glob(".results.*"))  # the temporary folder became the output
    years = {p.name for p in folder.iterdir()}
    assert years and all(name.startswith("year=") for name in years)
    read = ds.dataset(folder, format="parquet", partitioning="hive").to_table()
    assert read.num_rows == long_table.num_rows
    same = read.select(long_table.schema.names).cast(long_table.schema)
    assert same.sort_by(KEYS + [("indicator", "ascending")]).equals(
        long_table.sort_by(KEYS + [("indicator", "ascending")])
    )


def test_duckdb_reads_the_partitioned_folder_with_the_readme_s_query(tmp_path, long_table):
    duckdb = pytest.importorskip("duckdb")
    folder = tmp_path / "results"
    _assess(str(PARKS), "--format", "parquet", "--partitioned", "-o", str(folder))
    query = (
        f"SELECT pack, status, count(*) AS n FROM read_parquet('{folder}/**/*.parquet', hive_partitioning = true) "
        "WHERE kind = 'indicator' GROUP BY pack, status ORDER BY pack, status"
    )
    rows = duckdb.sql(query).fetchall()
    counted = Counter((r["pack"], r["status"]) for r in long_table.to_pylist() if r["kind"] == "indicator")
    assert [((pack, status), n) for pack, status, n in rows] == sorted(counted.items())


def test_a_partitioned_dataset_as_input_gives_the_single_table_s_results(tmp_path, bundled):
    catalog, _, frame = bundled
    columns = {"park.id": pa.array(frame.park.astype(str)), "year": pa.array(frame.year)}
    for fact_id, column in frame.facts.items():
        fact = catalog.vocabulary.facts[fact_id]
        header = fact_id if fact.kind in ("boolean", "category") else f"{fact_id} [{fact.unit}]"
        columns[header] = pa.array(column.values, mask=~column.present)
    table = pa.table(columns)
    single = tmp_path / "parks.parquet"
    pq.write_table(table, single)
    groups = pa.array(np.where(np.arange(len(frame)) < len(frame) // 2, "a", "b"))  # a park's years in one group
    folder = tmp_path / "parks"
    ds.write_dataset(
        table.append_column("park.group", groups),
        folder,
        format="parquet",
        partitioning=ds.partitioning(pa.schema([("park.group", pa.string())]), flavor="hive"),
    )
    assert len(list(folder.iterdir())) == 2
    outputs = []
    for source, name in ((single, "single.parquet"), (folder, "dataset.parquet")):
        done = _assess(str(source), "-o", str(tmp_path / name))
        assert done.returncode == 1, done.stderr
        outputs.append(pq.read_table(tmp_path / name).sort_by(KEYS + [("indicator", "ascending")]))
    assert outputs[0].num_rows > 300 and outputs[0].equals(outputs[1])


def test_the_same_run_writes_the_same_bytes(tmp_path):
    for name in ("a.parquet", "b.parquet"):
        _assess(str(PARKS), "-o", str(tmp_path / name))
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()


@pytest.mark.parametrize("existing", ["folder", "file"])
def test_a_partitioned_output_never_replaces_what_is_there(tmp_path, existing):
    target = tmp_path / "results"
    if existing == "folder":
        target.mkdir()
        (target / "notes.txt").write_text("mine", encoding="utf-8")
    else:
        target.write_text("mine", encoding="utf-8")
    done = _assess(str(PARKS), "--format", "parquet", "--partitioned", "-o", str(target))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    kept = (target / "notes.txt") if existing == "folder" else target
    assert kept.read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--format", "csv", "--partitioned", "-o", "x"], "--partitioned writes a folder of Parquet files"),
        (["--format", "jsonl", "--layout", "wide"], "--layout applies to csv and parquet"),
    ],
)
def test_options_that_do_not_go_together_are_usage_errors(options, message):
    done = _assess(str(PARKS), *options)
    assert done.returncode == 2 and message in done.stderr


def test_a_parks_folder_with_a_results_folder_inside_is_still_read_as_park_files(tmp_path, long_table):
    parks = tmp_path / "parks"
    shutil.copytree(PARKS, parks)
    assert _assess(str(parks), "--format", "parquet", "--partitioned", "-o", str(parks / "results")).returncode == 1
    again = tmp_path / "again.parquet"
    assert _assess(str(parks), "-o", str(again)).returncode == 1
    assert pq.read_table(again).num_rows == long_table.num_rows


def test_a_dataset_s_files_keep_their_own_columns_and_a_broken_file_is_reported_alone(tmp_path):
    """A fact only one file has is read there (never dropped for the first file's columns); a file that is not
    Parquet is reported with its path and the other files are assessed."""
    folder = tmp_path / "parks"
    (folder / "park.group=a").mkdir(parents=True)
    (folder / "park.group=b").mkdir()
    grid = "elec_grid_received [kWh]"
    pq.write_table(pa.table({"park.id": ["a1"], "year": [2024], grid: [1e6]}), folder / "park.group=a" / "0.parquet")
    only_b = pa.table({"park.id": ["b1"], "year": [2024], grid: [1e6], "fuel_raw_coal [t]": [500.0]})
    pq.write_table(only_b, folder / "park.group=b" / "0.parquet")
    (folder / "park.group=b" / "1.parquet").write_text("not parquet", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    done = _assess(str(folder), "-s", "cn-national-zero-carbon-park", "-o", str(out))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    (error,) = [line["error"] for line in lines if "error" in line]
    assert error["file"].endswith("1.parquet") and "cannot read this file of the dataset" in error["message"]
    values = {
        line["park"]: line["packs"]["cn-national-zero-carbon-park@2025.07-trial"]["indicators"]["carbon_per_energy"]
        for line in lines
        if "park" in line
    }
    assert set(values) == {"a1", "b1"} and values["b1"]["value"] != values["a1"]["value"]  # b1's coal is counted


@pytest.mark.parametrize("layout", ["long", "wide"])
def test_csv_text_a_spreadsheet_would_run_is_quoted_in_either_layout(tmp_path, layout):
    table = tmp_path / "parks.csv"
    table.write_text('park.id,year,elec_grid_received [kWh]\n=HYPERLINK("x"),2024,1000\n', encoding="utf-8")
    out = tmp_path / "out.csv"
    _assess(str(table), "-s", "cn-national-zero-carbon-park", "--layout", layout, "-o", str(out))
    rows = out.read_text(encoding="utf-8").splitlines()[1:]
    assert rows and all(',"\'=HYPERLINK(""x"")",' in row for row in rows)
