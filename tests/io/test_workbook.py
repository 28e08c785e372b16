"""The data-entry workbook: written from the vocabulary and packs, filled in, and assessed like YAML."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from parkrules.cli.cli import cli
from parkrules.io.park import load_park
from parkrules.io.parktable import KEYS
from parkrules.io.workbook import DATA_SHEET
from tests.conftest import PARKS

STANDARD = "cn-national-zero-carbon-park"


def _invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _template(tmp_path: Path, *years: str) -> Path:
    out = tmp_path / "park-data.xlsx"
    year_args = [arg for year in years for arg in ("--year", year)]
    result = _invoke("template", "-s", STANDARD, *year_args, "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


def _fill(template: Path, park_yaml: Path, catalog, target: Path) -> None:
    """Type the YAML park's values into the template's rows, as an assessor would (value, unit, source)."""
    park, errors = load_park(park_yaml, catalog.vocabulary)
    assert errors == []
    book = load_workbook(template)
    sheet = book[DATA_SHEET]
    column = {key: KEYS.index(key) + 1 for key in KEYS}
    meta = {
        "park.id": park.id,
        "park.name.zh": park.name.zh,
        "park.name.en": park.name.en,
        "park.province": park.province,
        "park.type": park.type,
    }
    for row in range(2, sheet.max_row + 1):
        fact = sheet.cell(row, column["fact"]).value
        year = sheet.cell(row, column["year"]).value
        if fact in meta:
            sheet.cell(row, column["value"], meta[fact])
        elif year is not None and fact in park.years[year].facts:
            given = park.years[year].facts[fact]
            number, _, unit = given.given.partition(" ")
            value = given.value if isinstance(given.value, bool) else float(number)
            sheet.cell(row, column["value"], value)
            sheet.cell(row, column["unit"], unit or None)
            sheet.cell(row, column["source"], given.source)
    book.save(target)


def _assessment(path: Path) -> dict:
    result = _invoke("assess", str(path), "-s", STANDARD, "--format", "json", "--lang", "en")
    found = json.loads(result.stdout)
    assert found["errors"] == []
    return found["assessments"][0]


def test_template_asks_for_what_the_pack_reads_with_units_and_checks(tmp_path, catalog):
    book = load_workbook(_template(tmp_path, "2023", "2024"))
    sheet = book[DATA_SHEET]
    header = [cell.value for cell in sheet[1]]
    assert header[KEYS.index("value")] == "数值 value"
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    facts = {(row[0], row[1]) for row in rows}
    assert (2024, "elec_grid_received") in facts and (2023, "elec_grid_received") in facts
    assert (2024, "industrial_water_reuse_rate") in facts
    assert not any(fact == "park_population" for _, fact in facts)  # read only by the analysis pack
    grid = next(row for row in rows if row[1] == "elec_grid_received")
    assert grid[KEYS.index("unit")] == "kWh"
    assert grid[KEYS.index("name_zh")] == catalog.vocabulary.facts["elec_grid_received"].name.zh
    assert grid[KEYS.index("evidence")]
    # gases in the unit energy statistics report them (万Nm3), the canonical Nm3 behind
    gas = next(row for row in rows if row[1] == "fuel_natural_gas")
    assert gas[KEYS.index("unit")] == "万Nm3" and catalog.vocabulary.facts["fuel_natural_gas"].unit == "Nm3"
    rules = {(dv.type, dv.formula1): str(dv.sqref) for dv in sheet.data_validations.dataValidation}
    assert any(kind == "list" and formula == '"true,false"' for kind, formula in rules)
    unit_lists = book["单位 Units"]
    menus = [[cell.value for cell in row if cell.value] for row in unit_lists.iter_rows()]
    assert ["kWh", "万kWh", "亿kWh", "MWh", "GWh", "GJ", "TJ"] in menus


def test_filled_template_assesses_like_the_yaml_park(tmp_path, catalog):
    template = _template(tmp_path, "2021", "2022", "2023", "2024")
    filled = tmp_path / "green-valley.xlsx"
    _fill(template, PARKS / "green-valley.yaml", catalog, filled)
    from_yaml, from_workbook = _assessment(PARKS / "green-valley.yaml"), _assessment(filled)
    for found in (from_yaml, from_workbook):
        found["park"].pop("file")
    assert from_workbook == from_yaml


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".json"])
def test_convert_round_trip_keeps_every_result(tmp_path, suffix):
    converted = tmp_path / f"west-hitech{suffix}"
    back = tmp_path / "west-hitech.yaml"
    shutil.copytree(PARKS / "benchmarks", tmp_path / "benchmarks")  # a symlink out of the folder is refused
    assert _invoke("convert", str(PARKS / "west-hitech.yaml"), "-o", str(converted)).exit_code == 0
    assert _invoke("convert", str(converted), "-o", str(back)).exit_code == 0
    results = [_invoke("assess", str(p), "--format", "json").stdout for p in (PARKS / "west-hitech.yaml", back)]
    original, again = (json.loads(text) for text in results)
    for found in (original, again):
        for a in found["assessments"]:
            a["park"].pop("file")
        for park in found["parks"]:
            park.pop("file")
        for warning in found["warnings"]:
            warning.pop("file")
    assert again == original


def test_errors_name_sheet_row_and_column(tmp_path, catalog):
    template = _template(tmp_path, "2024")
    filled = tmp_path / "bad.xlsx"
    _fill(template, PARKS / "green-valley.yaml", catalog, filled)
    book = load_workbook(filled)
    sheet = book[DATA_SHEET]
    rows = {sheet.cell(r, 2).value: r for r in range(2, sheet.max_row + 1)}
    sheet.cell(rows["elec_grid_received"], KEYS.index("unit") + 1, "kg")
    sheet.cell(rows["fuel_natural_gas"], KEYS.index("value") + 1, "lots")
    book.save(filled)
    result = _invoke("assess", str(filled), "-s", STANDARD, "--format", "json")
    assert result.exit_code == 2
    errors = {e["field"]: e for e in json.loads(result.stdout)["errors"]}
    unit = errors["years.2024.facts.elec_grid_received.unit"]
    assert (unit["sheet"], unit["line"], unit["column"]) == (DATA_SHEET, rows["elec_grid_received"], 6)
    value = errors["years.2024.facts.fuel_natural_gas"]
    assert (value["line"], value["column"]) == (rows["fuel_natural_gas"], 5)
    assert "expected a number" in value["message"]
    shown = CliRunner().invoke(cli, ["assess", str(filled), "-s", STANDARD]).stderr
    assert f"bad.xlsx, sheet {DATA_SHEET}, row {rows['elec_grid_received']}, column F" in shown


def test_convert_refuses_a_broken_park_and_writes_nothing(tmp_path, write):
    broken = write("broken.csv", "年份 year,编码 fact,数值 value\n,park.id,Bad Id\n2024,elec_grid_received,12\n")
    out = tmp_path / "out.yaml"
    result = CliRunner().invoke(cli, ["convert", str(broken), "-o", str(out)])
    assert result.exit_code == 2
    assert not out.exists()
    assert "broken.csv, row 2, column C" in result.stderr


def test_a_table_without_the_needed_columns_is_a_located_error(write, catalog):
    path = write("park.csv", "fact,number\npark.id,x\n")
    park, errors = load_park(path, catalog.vocabulary)
    assert park is None
    assert "no column" in errors[0].message and errors[0].location.line == 1
