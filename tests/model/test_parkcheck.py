"""What a park names that no pack knows is reported, located, in one-park and batch runs alike."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

from parkrules.io import parkio
from parkrules.model.catalog import Catalog
from tests.conftest import PARKS, STANDARDS

NATIONAL = "cn-national-zero-carbon-park"
MISSPELT = "waste_energy_utilisaton"  # small-hitech excludes waste_energy_utilisation


def _assess(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "parkrules", "assess", *args], capture_output=True, text=True)


def _misspelt_park(folder: Path, suffix: str = ".yaml") -> Path:
    """small-hitech with its exclusion's indicator id misspelt."""
    document, _, _ = parkio.read(PARKS / "small-hitech.yaml")
    exclusions = document["years"]["2024"]["exclusions"]
    exclusions[MISSPELT] = exclusions.pop("waste_energy_utilisation")
    path = folder / f"small-hitech{suffix}"
    if suffix == ".yaml":
        path.write_text(parkio.to_yaml(document), encoding="utf-8")
    else:
        parkio.write(document, path, Catalog(STANDARDS).vocabulary)
    return path


def test_a_misspelt_exclusion_is_a_located_error_in_a_one_park_run(tmp_path):
    path = _misspelt_park(tmp_path)
    done = _assess(str(path), "-s", NATIONAL)
    assert done.returncode == 2
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if MISSPELT in text)
    assert f"{path}:{line}: years.2024.exclusions.{MISSPELT}:" in done.stderr
    assert "an indicator of no pack (did you mean 'waste_energy_utilisation'" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_misspelt_exclusion_in_a_park_table_names_its_row(tmp_path):
    path = _misspelt_park(tmp_path, ".csv")
    done = _assess(str(path), "-s", NATIONAL)
    assert done.returncode == 2
    with path.open(encoding="utf-8-sig") as handle:
        row = next(n for n, cells in enumerate(csv.reader(handle), 1) if f"exclusion.{MISSPELT}" in cells)
    assert f"{path}, row {row}, column " in done.stderr and "an indicator of no pack" in done.stderr


def test_an_exclusion_of_another_packs_indicator_is_not_an_error(tmp_path):
    """A park file serves many runs: its exclusion may be for a pack this run does not assess."""
    done = _assess(str(PARKS / "small-hitech.yaml"), "-s", "hj-274", "--format", "json")
    assert done.returncode in (0, 1), done.stderr
    assert json.loads(done.stdout)["errors"] == []


def test_a_batch_reports_the_misspelt_park_and_assesses_the_others(tmp_path):
    folder = tmp_path / "parks"
    folder.mkdir()
    _misspelt_park(folder)
    (folder / "green-valley.yaml").write_bytes((PARKS / "green-valley.yaml").read_bytes())
    out = tmp_path / "out.jsonl"
    done = _assess(str(folder), "-s", NATIONAL, "--format", "jsonl", "-o", str(out))
    assert done.returncode == 2, done.stderr
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    errors = [line["error"] for line in lines if "error" in line]
    assert [(e["park"], e["field"]) for e in errors] == [("small-hitech", f"years.2024.exclusions.{MISSPELT}")]
    assert {line["park"] for line in lines if "park" in line} == {"green-valley"}


def test_a_tables_exclusion_column_of_no_indicator_is_reported_once_and_skipped(tmp_path):
    table = tmp_path / "parks.csv"
    header = ["park.id", "year", "industrial_water_reuse_rate [%]", f"exclusion.{MISSPELT}"]
    rows = [
        [*header, "exclusion.industrial_water_reuse"],
        ["a", "2023", "85", "no waste heat", ""],
        ["a", "2024", "86", "no waste heat", "closed-loop cooling only"],
    ]
    with table.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    out = tmp_path / "out.jsonl"
    done = _assess(str(table), "-s", NATIONAL, "--format", "jsonl", "-o", str(out))
    assert done.returncode == 2, done.stderr
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    errors = [line["error"] for line in lines if "error" in line]
    assert len(errors) == 1 and (errors[0]["line"], errors[0]["column"]) == (1, 4)
    assert "did you mean 'waste_energy_utilisation'" in errors[0]["message"]
    reuse = {line["year"]: line["packs"] for line in lines if "park" in line}
    indicators = {year: packs[f"{NATIONAL}@2025.07-trial"]["indicators"] for year, packs in reuse.items()}
    assert indicators[2023]["industrial_water_reuse"]["status"] == "pass"  # the known column still applies
    assert indicators[2024]["industrial_water_reuse"]["status"] == "not_applicable"


def test_a_whole_factor_the_pack_derives_from_its_parts_cannot_be_overridden_unseen(tmp_path):
    """Natural gas's factor is NCV × CC × OF × 44/12 from the table's parts: a park's whole ef_natural_gas would
    silently not be used, so it is a located error that says to override the parts; the other parks run on."""
    document, _, _ = parkio.read(PARKS / "coal-town.yaml")
    document["factors"]["ef_natural_gas"] = {"value": 2.2, "unit": "kgCO2/Nm3", "source": "a measured factor"}
    path = tmp_path / "coal-town.yaml"
    path.write_text(parkio.to_yaml(document), encoding="utf-8")
    done = _assess(str(path), str(PARKS / "green-valley.yaml"), "-s", NATIONAL, "--format", "json")
    assert done.returncode == 2
    line = next(
        n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "ef_natural_gas" in text
    )
    errors = json.loads(done.stdout)["errors"]
    assert [(error["line"], error["field"]) for error in errors] == [(line, "factors.ef_natural_gas")]
    assert "override the parts instead" in errors[0]["message"] and "ncv_natural_gas" in errors[0]["message"]
    assert [a["park"]["id"] for a in json.loads(done.stdout)["assessments"]] == ["green-valley"]


def test_a_measured_part_is_used_and_the_whole_factor_may_still_be_overridden_where_no_part_is_given(tmp_path):
    """Raw coal has only a whole factor in the table: a park may override it whole, or give all three parts."""
    document, _, _ = parkio.read(PARKS / "coal-town.yaml")
    document["factors"]["ef_raw_coal"] = {"value": 1.9, "unit": "tCO2/t", "source": "a measured factor"}
    path = tmp_path / "coal-town.yaml"
    path.write_text(parkio.to_yaml(document), encoding="utf-8")
    done = _assess(str(path), "-s", NATIONAL, "--format", "json")
    assert json.loads(done.stdout)["errors"] == [], done.stderr
    derived = {d["id"]: d["value"] for d in json.loads(done.stdout)["assessments"][0]["derived"]}
    assert derived["ef_burned_raw_coal"] == 1.9
    assert derived["e_fuel_coal"] == 1_200_000 * 1.9


def test_a_negative_factor_override_is_a_located_error(tmp_path):
    """A negative part or factor would lower the emissions counted (a wrong pass): refused where it is written."""
    document, _, _ = parkio.read(PARKS / "coal-town.yaml")
    document["factors"]["ncv_raw_coal"] = {"value": -21, "unit": "GJ/t", "source": "a typo"}
    path = tmp_path / "coal-town.yaml"
    path.write_text(parkio.to_yaml(document), encoding="utf-8")
    done = _assess(str(path), "-s", NATIONAL)
    assert done.returncode == 2
    text = path.read_text(encoding="utf-8").splitlines()
    line = next(n for n, row in enumerate(text, 1) if "value: -21" in row)  # the value's own line
    assert f"{path}:{line}: factors.ncv_raw_coal.value: value is less than the minimum of 0" in done.stderr
    assert "Traceback" not in done.stderr
