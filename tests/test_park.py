"""Bad park input gives a located error (file, line, field) and never a traceback."""

from __future__ import annotations

import pytest
from parkrules.park import load_park

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
