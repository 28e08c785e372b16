"""`parkrules explain`: the tree's numbers are the assessment's numbers, down to the park's facts."""

from __future__ import annotations

import json

from click.testing import CliRunner

from parkrules.cli.cli import cli
from parkrules.report.present import number
from tests.conftest import PARKS

STANDARD = "cn-national-zero-carbon-park"


def _labels(node: dict) -> list[str]:
    return [node["label"], *(label for child in node["children"] for label in _labels(child))]


def _explain(*args: str):
    return CliRunner().invoke(cli, ["explain", *args, "--lang", "en"], catch_exceptions=False)


def test_tree_carries_the_assessed_value_inputs_factors_and_verdict():
    result = _explain(str(PARKS / "coal-town.yaml"), "-s", STANDARD, "-i", "carbon_per_energy", "--format", "json")
    assert result.exit_code == 0
    tree = json.loads(result.stdout)
    assessed = json.loads(
        CliRunner().invoke(cli, ["assess", str(PARKS / "coal-town.yaml"), "-s", STANDARD, "--format", "json"]).stdout
    )["assessments"][0]
    indicator = next(i for i in assessed["indicators"] if i["id"] == "carbon_per_energy")
    labels = _labels(tree)
    assert tree["label"].startswith("CO2 emissions per unit of energy consumed (carbon_per_energy) = ")
    assert number(indicator["value"]) in tree["label"]
    assert tree["children"][0]["label"] == "= e_park / energy_consumption_tce"
    e_park = next(d for d in assessed["derived"] if d["id"] == "e_park")
    assert any(label.startswith(f"park CO2 emissions (e_park) = {number(e_park['value'])} tCO2") for label in labels)
    # a fact as given, converted, with its source; a park override with its source; a table factor with its table
    assert any("(elec_grid_received) = 2,000,000,000 kWh ← 20 亿kWh · Source: 国网结算单" in label for label in labels)
    assert any(label.startswith("ef_heat_fossil_default = 0.095 tCO2/GJ · park factor override") for label in labels)
    assert any(
        label.startswith("ef_elec_fossil_national = 0.0008325 tCO2/kWh · cn-park-accounting@") for label in labels
    )
    assert not any(label.startswith("ef_process_lime") for label in labels)  # on a branch the park does not take
    last = tree["children"][-1]["label"]
    assert last.startswith("Status: ✘ fail · Threshold: <= 0.3 tCO2/tce")
    assert indicator["status"] == "fail" and indicator["threshold"]["value"] == 0.3


def test_period_references_name_the_year_they_read():
    result = _explain(str(PARKS / "west-hitech.yaml"), "-s", "park-transition-analysis", "-i", "tapio_decoupling")
    assert result.exit_code == 0
    assert "→ 2019" in result.stdout  # base(x) of the 2020 assessment reads 2019


def test_an_unknown_indicator_is_a_clear_error():
    result = CliRunner().invoke(
        cli, ["explain", str(PARKS / "coal-town.yaml"), "-s", STANDARD, "-i", "carbon_per_enrgy"]
    )
    assert result.exit_code == 2
    assert "no indicator 'carbon_per_enrgy'" in result.stderr and "did you mean 'carbon_per_energy'" in result.stderr
