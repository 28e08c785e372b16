"""JUnit and SARIF output of `assess`, `lint` and `test`, validated against the published schemas."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

import jsonschema
import pytest
import xmlschema
from click.testing import CliRunner

from parkrules.cli.cli import cli
from tests.authoring.test_lint import _bad_pack
from tests.conftest import PARKS, ROOT, STANDARDS

EXTERNAL = ROOT / "tests" / "data" / "external"


@cache
def _junit_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(EXTERNAL / "junit-10.xsd"))


@cache
def _sarif_validator() -> jsonschema.Draft4Validator:
    schema = json.loads((EXTERNAL / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout


def _valid_junit(text: str) -> ET.Element:
    _junit_schema().validate(text)
    return ET.fromstring(text)


def _valid_sarif(text: str) -> dict:
    log = json.loads(text)
    errors = sorted(_sarif_validator().iter_errors(log), key=str)
    assert not errors, errors[0]
    return log


def test_assess_junit_has_a_case_per_indicator_and_park() -> None:
    code, out = _run("assess", str(PARKS), "-s", "cn-national-zero-carbon-park", "--format", "junit")
    assert code == 1
    root = _valid_junit(out)
    suites = {suite.get("name"): suite for suite in root.iter("testsuite")}
    assert len(suites) == len(list(PARKS.glob("*.yaml")))  # each park × one standard
    coal = suites["coal-town · cn-national-zero-carbon-park@2025.07-trial"]
    failing = {case.get("name") for case in coal.iter("testcase") if case.find("failure") is not None}
    assert {"carbon_per_energy", "verdict"} <= failing
    green = suites["green-valley · cn-national-zero-carbon-park@2025.07-trial"]
    assert green.get("failures") == "0" and green.get("errors") == "0"
    # every indicator of the pack is a case for every park, plus the verdict
    assert all(int(s.get("tests")) == int(green.get("tests")) for s in suites.values())


def test_assess_sarif_locates_failing_indicators_in_the_pack_file() -> None:
    code, out = _run("assess", str(PARKS / "coal-town.yaml"), "-s", "cn-national-zero-carbon-park", "--format", "sarif")
    assert code == 1
    log = _valid_sarif(out)
    results = {r["ruleId"]: r for r in log["runs"][0]["results"]}
    result = results["cn-national-zero-carbon-park@2025.07-trial/carbon_per_energy"]
    assert result["level"] == "error"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].endswith("standards/cn-national-zero-carbon-park/2025.07-trial.yaml")
    pack_lines = (STANDARDS / "cn-national-zero-carbon-park" / "2025.07-trial.yaml").read_text("utf-8").split("\n")
    assert pack_lines[location["region"]["startLine"] - 1].strip() == "- id: carbon_per_energy"
    assert "coal-town" in result["message"]["text"]


@pytest.mark.parametrize("code_name", ["PR120", "PR131"])
def test_lint_junit_and_sarif(code_name: str, write) -> None:
    path = write("draft/1.0.yaml", _bad_pack(code_name))
    exit_code, out = _run("lint", str(path), "--format", "junit", "--strict")
    root = _valid_junit(out)
    failures = [f.get("type") for f in root.iter("failure")]
    assert code_name in failures and exit_code in (1, 2)
    _, out = _run("lint", str(path), "--format", "sarif")
    log = _valid_sarif(out)
    (result,) = [r for r in log["runs"][0]["results"] if r["ruleId"] == code_name]
    assert result["level"] == ("error" if code_name == "PR120" else "warning")
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] >= 1 and region["startColumn"] >= 1
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert rules[result["ruleIndex"]]["id"] == code_name


def test_lint_of_clean_bundled_packs_is_valid_and_all_passing() -> None:
    code, out = _run("lint", "--format", "junit")
    assert code == 0
    root = _valid_junit(out)
    assert root.get("failures") == "0" and int(root.get("tests")) >= 16
    code, out = _run("lint", "--format", "sarif")
    assert _valid_sarif(out)["runs"][0]["results"] == []


def test_pack_test_cases_as_junit_and_sarif(tmp_path: Path) -> None:
    """A failing case (expectation edited) shows as a JUnit failure and a SARIF result at the case's line."""
    case_file = STANDARDS / "nm-zero-carbon-industrial-park" / "tests" / "renewable-share.yaml"
    code, out = _run("test", "nm-zero-carbon-industrial-park", "--format", "junit")
    assert code == 0
    root = _valid_junit(out)
    assert root.get("failures") == "0" and int(root.get("tests")) >= 3
    standards = _copy_standards(tmp_path)
    broken = standards / "nm-zero-carbon-industrial-park" / "tests" / "renewable-share.yaml"
    text = case_file.read_text(encoding="utf-8")
    assert "verdict: pass" in text
    broken.write_text(text.replace("verdict: pass", "verdict: fail", 1), encoding="utf-8")
    code, out = _run("test", "nm-zero-carbon-industrial-park", "--standards", str(standards), "--format", "sarif")
    assert code == 1
    (result,) = _valid_sarif(out)["runs"][0]["results"]
    assert "verdict: expected fail, got pass" in result["message"]["text"]
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1


def _copy_standards(tmp_path: Path) -> Path:
    target = tmp_path / "standards"
    shutil.copytree(STANDARDS, target)
    return target


NATIONAL = "cn-national-zero-carbon-park"


def test_missing_data_is_skipped_in_junit_with_its_reason():
    code, text = _run("assess", str(PARKS / "river-port.yaml"), "-s", NATIONAL, "--format", "junit")
    root = _valid_junit(text)
    verdict = next(case for case in root.iter("testcase") if case.get("name") == "verdict")
    assert verdict.find("skipped") is not None and verdict.find("error") is None
    missing = next(case for case in root.iter("testcase") if case.get("name") == "carbon_per_energy")
    assert "elec_grid_received" in missing.find("skipped").get("message")
    assert code == 1  # incomplete still fails the run by default


@pytest.mark.parametrize(
    ("park", "fail_on", "code"),
    [
        ("river-port", "incomplete", 1),  # data missing
        ("river-port", "fail", 0),  # … is not a failing verdict
        ("coal-town", "fail", 1),  # a failing verdict
        ("coal-town", "never", 0),
    ],
)
def test_fail_on_tells_missing_data_from_failing(park, fail_on, code):
    assert _run("assess", str(PARKS / f"{park}.yaml"), "-s", NATIONAL, "--fail-on", fail_on)[0] == code


def test_fail_on_in_batch_runs(tmp_path):
    common = ["assess", str(PARKS / "river-port.yaml"), "-s", NATIONAL, "--format", "jsonl"]
    assert _run(*common, "-o", str(tmp_path / "a.jsonl"))[0] == 1
    assert _run(*common, "--fail-on", "fail", "-o", str(tmp_path / "b.jsonl"))[0] == 0


def test_github_annotations_point_at_the_pack_line_relative_to_the_working_folder(monkeypatch):
    monkeypatch.chdir(ROOT)
    code, text = _run("assess", "parks/coal-town.yaml", "-s", NATIONAL, "--format", "github")
    assert code == 1
    lines = text.splitlines()
    failing = next(line for line in lines if "carbon_per_energy" in line)
    assert (
        failing.startswith("::error ")
        and ",file=standards/cn-national-zero-carbon-park/2025.07-trial.yaml,line=" in failing
    )
    assert "\n" not in failing and all(line.startswith(("::error", "::warning", "::notice")) for line in lines)


def test_github_messages_escape_what_would_end_a_command():
    from parkrules.authoring.checks import Check
    from parkrules.report import render_github

    check = Check("suite, one", "a:b", "failed", "50% done\nnext", "rule", "rule", "x,y.yaml", 3)
    line = render_github.render([check])
    assert line == "::error title=suite%2C one%3A a%3Ab,file=x%2Cy.yaml,line=3::50%25 done%0Anext"
