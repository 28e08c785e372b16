"""A Chinese report names missing inputs in Chinese (the vocabulary's and factor table's names), ids beside them."""

from __future__ import annotations

import json

from click.testing import CliRunner

from parkrules.cli.cli import cli
from tests.conftest import PARKS


def test_missing_inputs_are_named_in_the_reports_language():
    args = ["assess", str(PARKS / "river-port.yaml"), "-s", "cn-national-zero-carbon-park"]
    zh = CliRunner().invoke(cli, [*args, "--lang", "zh", "--format", "html"]).stdout
    assert "从公共电网受入的电力 (elec_grid_received)" in zh
    en = CliRunner().invoke(cli, [*args, "--lang", "en", "--format", "html"]).stdout
    assert "electricity received from the public grid (elec_grid_received)" in en
    names = json.loads(CliRunner().invoke(cli, [*args, "--format", "json"]).stdout)["names"]
    assert names["elec_grid_received"] == {
        "zh": "从公共电网受入的电力",
        "en": "electricity received from the public grid",
    }


def test_factors_used_are_named_in_the_reports_language():
    args = ["assess", str(PARKS / "coal-town.yaml"), "-s", "cn-national-zero-carbon-park", "--format", "html"]
    zh = CliRunner().invoke(cli, [*args, "--lang", "zh"]).stdout
    assert '全国化石能源电力排放因子<span class="id">ef_elec_fossil_national</span>' in zh
