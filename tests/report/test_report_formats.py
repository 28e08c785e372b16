"""Markdown and Excel reports say what the JSON result says; every label exists in both languages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from parkrules.base.i18n import LABELS, t
from parkrules.cli.cli import cli
from tests.conftest import PARKS, ROOT


def _run(*args: str):
    return CliRunner().invoke(cli, ["assess", *args], catch_exceptions=False)


@pytest.fixture(scope="module")
def result() -> dict:
    return json.loads(_run(str(PARKS / "coal-town.yaml"), "--format", "json").stdout)


def test_markdown_summary_and_rows_match_the_json(result):
    text = _run(str(PARKS / "coal-town.yaml"), "--format", "markdown", "--lang", "en").stdout
    for assessment in result["assessments"]:
        ref = f"{assessment['standard']['id']}@{assessment['standard']['version']}"
        verdict = "analysis (no verdict)" if assessment["standard"]["kind"] == "analysis" else None
        verdict = verdict or t(f"verdict.{assessment['verdict']['status']}", "en")
        assert re.search(rf"\(`{re.escape(ref)}`\) \| {assessment['period']} \| \*\*{re.escape(verdict)}\*\*", text)
        for indicator in assessment["indicators"]:
            assert f"(`{indicator['id']}`)" in text
    table_lines = [line for line in text.splitlines() if line.startswith("| ")]
    widths = {line.replace("\\|", "").count("|") for line in table_lines}
    assert widths <= {10, 7, 8, 6}, widths  # escaped pipes never add a column


def test_xlsx_report_has_every_indicator_with_numbers_as_numbers(tmp_path, result):
    out = tmp_path / "report.xlsx"
    assert _run(str(PARKS / "coal-town.yaml"), "--format", "xlsx", "-o", str(out), "--lang", "zh").exit_code == 1
    book = load_workbook(out)
    summary = [[c.value for c in row] for row in book[t("summary", "zh")].iter_rows(min_row=2)]
    assert [(row[1], row[-1]) for row in summary] == [
        (f"{a['standard']['id']}@{a['standard']['version']}", a["verdict"]["status"]) for a in result["assessments"]
    ]
    rows = [[c.value for c in row] for row in book[t("indicator", "zh")].iter_rows(min_row=2)]
    expected = [
        (a["standard"]["id"], i["id"], i["status"], i["value"]) for a in result["assessments"] for i in a["indicators"]
    ]
    found = [(row[1].partition("@")[0], row[3], row[-1], row[6]) for row in rows]
    for (pack, ident, status, value), (got_pack, got_id, got_status, got_value) in zip(expected, found, strict=True):
        assert (got_pack, got_id, got_status) == (pack, ident, status)
        if isinstance(value, float):
            assert got_value == pytest.approx(value)
    facts = book[t("park_facts", "zh")].max_row - 1
    assert facts == len(result["parks"][0]["facts"])


def test_xlsx_needs_an_output_file():
    result = CliRunner().invoke(cli, ["assess", "--format", "xlsx"])
    assert result.exit_code == 2 and "--output" in result.output


def test_every_label_exists_in_both_languages():
    for key, names in LABELS.items():
        assert set(names) == {"zh", "en"}, key
        assert names["zh"].strip() or key == "by", key  # Chinese needs no word for "by"
        assert names["en"].strip(), key


def _used_label_keys() -> set[str]:
    """Every literal key passed to t(...) in the engine and in its templates."""
    keys: set[str] = set()
    for path in [
        *Path(ROOT, "engine", "parkrules").glob("**/*.py"),
        *Path(ROOT, "engine", "parkrules", "templates").glob("*.j2"),
    ]:
        keys |= set(re.findall(r"""\bt\(\s*["']([a-z_.]+)["']""", path.read_text(encoding="utf-8")))
    return keys


def test_every_label_the_code_and_templates_use_is_defined():
    used = _used_label_keys()
    assert len(used) > 40
    assert used - set(LABELS) == set()


def _pack_roles() -> set[str]:
    """Every indicator role the pack schema allows."""
    found: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("role"), dict) and "enum" in node["role"]:
                found.update(node["role"]["enum"])
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(json.loads((ROOT / "engine" / "parkrules" / "schemas" / "pack-1.json").read_text(encoding="utf-8")))
    return found


@pytest.mark.parametrize("prefix", ["status.", "verdict.", "role.", "kind.", "trend."])
def test_labels_built_from_result_words_cover_every_word(prefix):
    words = {
        "status.": {"pass", "fail", "missing", "not_applicable", "error", "classified"},
        "verdict.": {"pass", "fail", "incomplete", "not_applicable", "analysis"},
        "role.": _pack_roles(),
        "kind.": {"method", "standard", "analysis"},
        "trend.": {"improving", "worsening", "steady"},
    }[prefix]
    assert words, prefix
    assert {prefix + word for word in words} <= set(LABELS)


@pytest.mark.parametrize("suffix", [".html", ".md", ".xlsx"])
def test_every_report_format_lists_the_warnings(tmp_path, suffix):
    """A committee reading the report sees what the park was assessed with but should hear about (an unused factor
    override, raw coal not split), not only the terminal's stderr."""
    output = tmp_path / f"report{suffix}"
    runner = CliRunner()
    args = ["assess", str(PARKS / "coal-town.yaml"), "-s", "nm-zero-carbon-industrial-park", "-o", str(output)]
    assert runner.invoke(cli, [*args, "--lang", "en"]).exit_code == 1
    if suffix == ".xlsx":
        sheet = load_workbook(output)["Warnings"]
        shown = "\n".join(str(row[0].value) for row in sheet.iter_rows(min_row=2))
    else:
        shown = output.read_text(encoding="utf-8").replace("\\_", "_")
    assert "Warnings (2)" in shown or suffix == ".xlsx"
    assert "ef_heat_fossil_default" in shown and "not used by the assessed packs" in shown
    assert "fuel_raw_coal is reported in total" in shown


def test_the_factor_tables_list_the_numbers_used_and_count_the_factors_without_a_value(result):
    """The JSON keeps every factor of the plan; a report lists those with a value (ef_raw_coal, natural gas's parts)
    and counts the rest (the fuel kinds the table has no factor for), so a committee reads what decided the result."""
    national = next(a for a in result["assessments"] if a["standard"]["id"] == "cn-national-zero-carbon-park")
    without = [f["id"] for f in national["factors"] if f["value"] is None and not f["overridden"]]
    assert "ef_anthracite" in without and "ncv_raw_coal" in without
    text = _run(str(PARKS / "coal-town.yaml"), "-s", "cn-national-zero-carbon-park", "--format", "markdown").stdout
    listed = set(re.findall(r"^\| `([a-z0-9_]+)` \|", text, re.M))
    assert {"ef_raw_coal", "ncv_natural_gas", "tce_elec_equivalent"} <= listed
    assert not listed & set(without)
    assert f"{len(without)} more factors have no value in the table" in text
