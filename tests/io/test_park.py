"""Bad park input gives a located error (file, line, field) and never a traceback."""

from __future__ import annotations

import json

import pytest

from parkrules.io.park import load_park

HEADER = """park:
  id: test-park
  name: {zh: 测试园区, en: Test park}
  province: 测试省
  type: 省级开发区
years:
  2024:
    facts:
"""


def _errors(write, catalog, facts: str):
    path = write("park.yaml", HEADER + facts)
    park, errors = load_park(path, catalog.vocabulary)
    assert park is None
    return path, errors


def test_good_park_converts_units(write, catalog):
    path = write(
        "park.yaml",
        HEADER
        + '      elec_grid_received: "12.5 万kWh"\n      industrial_water_reuse_rate: {value: 0.9, unit: fraction}\n',
    )
    park, errors = load_park(path, catalog.vocabulary)
    assert errors == []
    facts = park.years[2024].facts
    assert facts["elec_grid_received"].value == pytest.approx(125_000)
    assert facts["industrial_water_reuse_rate"].value == pytest.approx(90)
    assert facts["elec_grid_received"].given == "12.5 万kWh"


@pytest.mark.parametrize(
    ("facts", "field", "line", "complaint"),
    [
        ('      elec_grid_recieved: "1 kWh"\n', "elec_grid_recieved", 9, "did you mean 'elec_grid_received'"),
        ('      elec_grid_received: "1 t"\n', "elec_grid_received.unit", 9, "cannot be converted"),
        ('      elec_grid_received: "lots"\n', "elec_grid_received", 9, "expected a number"),
        ("      elec_grid_received: {value: abc, unit: kWh}\n", "elec_grid_received", 9, "expected a number"),
        ("      industrial_water_reuse_rate: 0.9\n", "industrial_water_reuse_rate", 9, "a unit is required"),
        ('      fuel_raw_coal: "-5 t"\n', "fuel_raw_coal", 9, "below the minimum"),
        ('      elec_grid_received: "1 bogon"\n', "elec_grid_received.unit", 9, "unknown unit"),
        ("      bc_clear_boundary: maybe\n", "bc_clear_boundary", 9, "true or false"),
        ('      fuel_diesel: "1 t"\n      fuel_diesel: "2 t"\n', "fuel_diesel", 10, "duplicate key"),
    ],
)
def test_located_errors(write, catalog, facts, field, line, complaint):
    path, errors = _errors(write, catalog, facts)
    assert len(errors) == 1
    error = errors[0]
    assert error.location.file == str(path)
    assert error.location.line == line
    assert error.location.field.endswith(field)
    assert complaint in error.message


def test_all_problems_of_one_file_are_reported_together(write, catalog):
    _, errors = _errors(write, catalog, '      fuel_dieesel: "1 t"\n      fuel_raw_coal: "1 kWh"\n')
    assert len(errors) == 2


def test_schema_error_names_the_field_and_line(write, catalog):
    path = write("park.yaml", HEADER.replace("  province: 测试省\n", "") + '      fuel_diesel: "1 t"\n')
    park, errors = load_park(path, catalog.vocabulary)
    assert park is None
    assert "province" in errors[0].message
    assert errors[0].location.line == 1  # the `park:` mapping that lacks it
    assert errors[0].location.field == "park"


TABLE_OVERRIDE = '      elec_grid_received: "1000 GWh"\nfactors:\n  ef_elec_fossil_national: {table: %s, factor: %s}\n'


def test_a_factor_override_may_name_a_tables_factor_and_says_which_table_and_vintage(write, catalog):
    from click.testing import CliRunner

    from parkrules.cli.cli import cli

    path = write("park.yaml", HEADER + TABLE_OVERRIDE % ("cn-grid-electricity@2023", "ef_grid_north_china"))
    park, errors = load_park(path, catalog.vocabulary, catalog.factor_table)
    assert errors == []
    override = park.factor_overrides["ef_elec_fossil_national"]
    assert (override.value, override.unit, override.table, override.provisional) == (
        0.6361,
        "kgCO2/kWh",
        "cn-grid-electricity@2023",
        True,
    )
    runner = CliRunner()
    one = runner.invoke(cli, ["assess", str(path), "-s", "cn-national-zero-carbon-park", "--format", "json"])
    result = json.loads(one.stdout)["assessments"][0]
    assert next(d["value"] for d in result["derived"] if d["id"] == "e_elec") == pytest.approx(636_100)
    used = next(f for f in result["factors"] if f["id"] == "ef_elec_fossil_national")
    assert used["table"] == "park override (cn-grid-electricity@2023)" and used["provisional"] is True
    assert "cn-grid-electricity@2023 ef_grid_north_china" in used["source"]
    batch = runner.invoke(cli, ["assess", str(path), "-s", "cn-national-zero-carbon-park", "--format", "jsonl"])
    line = json.loads(batch.stdout.splitlines()[0])["packs"]["cn-national-zero-carbon-park@2025.07-trial"]
    core = next(i for i in result["indicators"] if i["id"] == "carbon_per_energy")
    assert line["indicators"]["carbon_per_energy"]["value"] == core["value"]


@pytest.mark.parametrize(
    ("table", "factor", "message"),
    [
        ("cn-grid-electricity@2023", "ef_grid_north_chin", "did you mean 'ef_grid_north_china'"),
        ("cn-grid-electricity@2019", "ef_grid_north_china", "no factor table 'cn-grid-electricity@2019'"),
        ("cn-grid-electricity@2023/../../../etc/passwd", "ef_grid_north_china", "not a factor table reference"),
    ],
)
def test_a_named_table_or_factor_that_does_not_exist_is_a_located_error(write, catalog, table, factor, message):
    path = write("park.yaml", HEADER + TABLE_OVERRIDE % (table, factor))
    park, errors = load_park(path, catalog.vocabulary, catalog.factor_table)
    assert park is None and len(errors) == 1
    assert message in errors[0].message
    assert (errors[0].location.line, errors[0].location.field) == (11, "factors.ef_elec_fossil_national")


def test_a_park_with_a_table_factor_converts_to_yaml_but_not_to_a_table(write, tmp_path):
    from click.testing import CliRunner

    from parkrules.cli.cli import cli

    path = write("park.yaml", HEADER + TABLE_OVERRIDE % ("cn-grid-electricity@2022", "ef_grid_northwest"))
    runner = CliRunner()
    assert runner.invoke(cli, ["convert", str(path), "-o", str(tmp_path / "again.json")]).exit_code == 0
    refused = runner.invoke(cli, ["convert", str(path), "-o", str(tmp_path / "park.csv")])
    assert refused.exit_code == 2
    assert "park.yaml: factors.ef_elec_fossil_national: " in refused.stderr and "cannot hold that" in refused.stderr
    assert not (tmp_path / "park.csv").exists()


def test_raw_coal_in_total_and_split_is_an_error_at_its_line(write, catalog):
    path = write("park.yaml", HEADER + '      fuel_raw_coal: "1000 t"\n      fuel_lignite: "200 t"\n')
    park, errors = load_park(path, catalog.vocabulary)
    assert park is None and len(errors) == 1
    assert "count twice" in errors[0].message and "fuel_lignite" in errors[0].message
    assert (errors[0].location.line, errors[0].location.field) == (9, "years.2024.facts.fuel_raw_coal")


def test_raw_coal_in_total_is_assessed_with_a_note_and_split_without_one(write, catalog):
    from parkrules.analysis.assess import compile_standards
    from parkrules.model.parkcheck import KnownIds
    from parkrules.model.result import RunResult

    known = KnownIds(catalog, compile_standards(catalog, ["cn-national-zero-carbon-park"], RunResult()))
    total = load_park(write("total.yaml", HEADER + '      fuel_raw_coal: "1000 t"\n'), catalog.vocabulary)[0]
    split = load_park(write("split.yaml", HEADER + '      fuel_lignite: "1000 t"\n'), catalog.vocabulary)[0]
    (note,) = known.park_warnings(total)
    assert "split into fuel_anthracite" in note.message and note.location.field == "years.2024.facts.fuel_raw_coal"
    assert known.park_warnings(split) == []
