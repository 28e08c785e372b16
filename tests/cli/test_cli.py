"""The command line as a user meets it: exit codes, JSON output, errors without tracebacks."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from parkrules.cli.cli import cli
from parkrules.io.schema import validator
from parkrules.io.yamlsafe import load_file
from tests.conftest import PARKS, STANDARDS


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_default_run_assesses_bundled_parks_against_all_standards():
    result = run("assess", "--lang", "en")
    assert result.exit_code == 1  # coal-town fails
    for park in ("coal-town", "green-valley", "river-port", "small-hitech"):
        assert park in result.output
    assert "✘ FAIL" in result.output and "✔ PASS" in result.output
    assert "park factor override: ef_heat_fossil_default = 0.095" in result.output
    assert "accounting basis: tce_elec_equivalent = 0.0003007 tce/kWh (Provisional) — Vintage 2022" in result.output


def test_json_result_matches_its_schema():
    result = run("assess", "--format", "json")
    document = json.loads(result.stdout)
    errors = sorted(validator("result-1").iter_errors(document), key=str)
    assert errors == []
    national = [a for a in document["assessments"] if a["standard"]["id"] == "cn-national-zero-carbon-park"]
    verdicts = {a["park"]["id"]: a["verdict"]["status"] for a in national}
    assert verdicts == {
        "coal-town": "fail",
        "green-valley": "pass",
        "river-port": "incomplete",
        "small-hitech": "not_applicable",
        "steel-coking": "fail",
        "west-hitech": "fail",
    }


def test_exit_zero_when_everything_passes():
    result = run("assess", str(PARKS / "green-valley.yaml"), "-s", "cn-national-zero-carbon-park")
    assert result.exit_code == 0


def test_chinese_labels():
    result = run("assess", str(PARKS / "green-valley.yaml"), "--lang", "zh")
    assert "单位能耗碳排放" in result.output and "结论" in result.output and "通过" in result.output


def test_bad_park_is_reported_and_others_still_assessed(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        (PARKS / "green-valley.yaml").read_text(encoding="utf-8").replace("elec_grid_received", "elec_grid_recieved"),
        encoding="utf-8",
    )
    result = run(
        "assess", str(bad), str(PARKS / "coal-town.yaml"), "--format", "json", "-s", "cn-national-zero-carbon-park"
    )
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    assert [a["park"]["id"] for a in document["assessments"]] == ["coal-town"]
    assert document["errors"][0]["field"] == "years.2021.facts.elec_grid_recieved"
    assert f"{bad}:" in result.stderr and "did you mean 'elec_grid_received'" in result.stderr
    assert "Traceback" not in result.output + result.stderr


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("park: [unclosed\n", "malformed YAML"),
        ("park: {id: x}\npark: {id: y}\n", "duplicate key"),
        ("just a string\n", "is not of type 'object'"),
    ],
)
def test_malformed_files_exit_2_with_location(tmp_path, text, complaint):
    bad = tmp_path / "broken.yaml"
    bad.write_text(text, encoding="utf-8")
    result = run("assess", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:" in result.stderr and complaint in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_unknown_standard_suggests_a_name():
    result = run("assess", "--standard", "cn-national-zero-carbon-prak")
    assert result.exit_code == 2
    assert "did you mean 'cn-national-zero-carbon-park'" in result.stderr


def test_method_pack_is_not_a_standard():
    result = run("assess", "--standard", "cn-park-carbon-accounting")
    assert result.exit_code == 2 and "accounting method" in result.stderr


def test_period_missing_from_one_park_only_errors_that_park():
    result = run(
        "assess",
        str(PARKS / "green-valley.yaml"),
        str(PARKS / "coal-town.yaml"),
        "--period",
        "2023",
        "--format",
        "json",
        "-s",
        "cn-national-zero-carbon-park",
    )
    document = json.loads(result.stdout)
    assert result.exit_code == 2
    assert [a["park"]["id"] for a in document["assessments"]] == ["green-valley"]
    assert "no data for 2023" in document["errors"][0]["message"]


def _counted_from_files(path) -> list[str]:
    """Indicators, derived, verified, provisional and not-encoded counts, read straight from the YAML."""
    pack = load_file(path)
    indicators = {i["id"]: i.get("verification", {}).get("status") for i in pack.get("indicators", [])}
    derived = [d.get("verification", {}).get("status") for d in pack.get("derived", [])]
    not_encoded = len(pack.get("not_encoded", []))
    if "extends" in pack:
        base_id, version = pack["extends"].split("@")
        base = load_file(STANDARDS / base_id / f"{version}.yaml")
        inherited = {i["id"]: i.get("verification", {}).get("status") for i in base["indicators"]}
        for indicator_id in pack.get("drop", []):
            del inherited[indicator_id]
        for indicator_id, override in pack.get("overrides", {}).items():
            inherited[indicator_id] = override.get("verification", {}).get("status", inherited[indicator_id])
        indicators = {**inherited, **indicators}
        derived += [d.get("verification", {}).get("status") for d in base.get("derived", [])]
        not_encoded += len(base.get("not_encoded", []))
    statuses = [*indicators.values(), *derived]
    provisional = statuses.count("provisional")
    return [
        str(len(indicators)),
        str(len(derived)),
        str(len(statuses) - provisional),
        str(provisional),
        str(not_encoded),
    ]


def test_packs_counts_match_the_pack_files():
    result = run("packs", "--lang", "en")
    assert result.exit_code == 0
    paths = sorted(STANDARDS.glob("*/*.yaml"))
    assert len(paths) >= 7
    for path in paths:
        pack_id, version = load_file(path)["id"], str(load_file(path)["version"])
        row = next(
            line
            for line in result.output.splitlines()
            if [c.strip() for c in line.split("│")][1:3] == [pack_id, version]
        )
        numbers = [cell.strip() for cell in row.split("│") if cell.strip().isdigit()][-5:]
        assert numbers == _counted_from_files(path), pack_id


def test_python_dash_m_runs_the_same_cli():
    completed = subprocess.run(
        [sys.executable, "-m", "parkrules", "--version"], capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0 and "parkrules" in completed.stdout


def test_pack_tests_command_runs_and_filters_cases():
    result = run("test", "nm-zero-carbon-industrial-park@2023", "-k", "80 %", "--lang", "en")
    assert result.exit_code == 0
    assert "cases passed: 3 · cases failed: 0" in result.output  # "above 80 %", "exactly 80 %", "below 80 %"
    assert "renewable-share.yaml" in result.output and "no energy data" not in result.output


def test_pack_tests_command_reports_differences_and_broken_files(tmp_path):
    root = tmp_path / "standards"
    shutil.copytree(STANDARDS, root)
    cases = root / "nm-zero-carbon-industrial-park" / "tests" / "renewable-share.yaml"
    cases.write_text(
        cases.read_text(encoding="utf-8").replace("{status: pass, value: 85}", "{status: pass, value: 86}"),
        encoding="utf-8",
    )
    result = run("test", "nm-zero-carbon-industrial-park", "--standards", str(root), "--lang", "en")
    assert result.exit_code == 1
    assert "indicators.renewable_energy_share.value: expected 86" in result.output and "got 85" in result.output
    cases.write_text("pack: nm-zero-carbon-industrial-park@2023\ncases: []\n", encoding="utf-8")
    result = run("test", "nm-zero-carbon-industrial-park", "--standards", str(root))
    assert result.exit_code == 2 and f"{cases}:" in result.stderr and "Traceback" not in result.output + result.stderr


def test_pack_tests_command_names_an_unknown_pack():
    result = run("test", "hj-247")
    assert result.exit_code == 2 and "no test cases for hj-247 (did you mean 'hj-274'?)" in result.stderr


def test_multi_year_example_shows_analysis_trend_and_what_it_takes():
    result = run(
        "assess",
        str(PARKS / "west-hitech.yaml"),
        "-s",
        "park-transition-analysis",
        "-s",
        "cn-national-zero-carbon-park",
    )
    assert result.exit_code == 1  # the national verdict fails; the analysis gives no verdict
    for text in ("weak decoupling", "II intensive expansion", "strong negative decoupling", "partly balanced"):
        assert text in result.output
    assert "2019–2020" in result.output  # the trend column folds repeated states into a span
    assert "What it takes" in result.output and "cannot close the gap alone" in result.output


def test_benchmark_named_in_the_park_file_can_be_overridden_and_missing_benchmark_is_an_error(tmp_path):
    own = run("assess", str(PARKS / "west-hitech.yaml"), "-s", "park-transition-analysis", "--format", "json")
    same = run(
        "assess",
        str(PARKS / "west-hitech.yaml"),
        "-s",
        "park-transition-analysis",
        "--format",
        "json",
        "--benchmark",
        str(PARKS / "west-hitech.yaml"),
    )
    catch_up = [
        next(i for i in json.loads(r.stdout)["assessments"][0]["indicators"] if i["id"] == "catch_up_decoupling")
        for r in (own, same)
    ]
    assert catch_up[0]["state"]["id"] == "strong_negative_decoupling"
    assert catch_up[1]["status"] == "error"  # against itself every gap is zero: 0/0, reported, not a crash
    broken = tmp_path / "park.yaml"
    broken.write_text(
        (PARKS / "west-hitech.yaml")
        .read_text(encoding="utf-8")
        .replace("benchmarks/benchmark-hitech.yaml", "nowhere.yaml"),
        encoding="utf-8",
    )
    result = run("assess", str(broken), "-s", "park-transition-analysis")
    assert result.exit_code == 2
    assert "benchmark park file" in result.stderr and "nowhere.yaml" in result.stderr
    assert "Tapio decoupling state" in result.stdout  # the park is still assessed


def test_base_year_must_come_before_the_assessed_year():
    result = run("assess", str(PARKS / "west-hitech.yaml"), "-s", "park-transition-analysis", "--base-year", "2020")
    assert result.exit_code == 2
    assert "--base-year 2020 is not before the assessed year 2020" in result.stderr
