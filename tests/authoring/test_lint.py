"""`parkrules lint`: each diagnostic code triggered by a small bad pack, located at the right line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from parkrules.authoring.diagnostics import CODES, codes_markdown
from parkrules.authoring.lint import Linter, pack_and_case_files
from parkrules.cli.cli import cli
from tests.conftest import ROOT, STANDARDS

BASE = """\
id: draft
version: "1.0"
kind: standard
title: {zh: 草案, en: draft}
issuer: {zh: 测试, en: test}
document: none
dates: {}
status: provisional
sources:
  none: {title: lint fixture}
groups:
  main: {name: {zh: 主要指标, en: main indicators}}
derived:
  - id: energy_per_va_d
    name: {zh: 能耗强度, en: energy intensity}
    unit: tce/万元
    formula: comprehensive_energy_consumption / industrial_value_added
    clause: 表1
    verification: {status: provisional, rests_on: "lint fixture, not a standard"}
indicators:
  - id: energy_intensity
    name: {zh: 能耗强度, en: energy intensity}
    role: mandatory
    group: main
    unit: tce/万元
    formula: energy_per_va_d
    thresholds:
      - when: comprehensive_energy_consumption >= 1000
        operator: "<="
        value: 0.5
        clause: 表1 大园区
      - when: comprehensive_energy_consumption < 1000
        operator: "<="
        value: 0.8
        clause: 表1 小园区
    clause: 表1
    verification: {status: provisional, rests_on: "lint fixture, not a standard"}
  - id: reclaimed_water
    name: {zh: 再生水回用率, en: reclaimed-water reuse}
    role: mandatory
    unit: "%"
    formula: reclaimed_water_reuse_rate
    thresholds:
      - {when: "water_region_class == 'jing_jin_ji'", operator: ">=", value: 30, clause: 表2}
      - {when: "water_region_class != 'jing_jin_ji'", operator: ">=", value: 10, clause: 表2}
    clause: 表2
    verification: {status: provisional, rests_on: "lint fixture, not a standard"}
verdict:
  rules:
    - all_pass: {roles: [mandatory]}
      clause: 第5条
"""

TWO_DERIVED_IN_A_CYCLE = """\
  - id: loop_a
    name: {zh: 甲, en: a}
    unit: tce
    formula: loop_b + 1
    clause: 表1
    verification: {status: provisional, rests_on: "lint fixture, not a standard"}
  - id: loop_b
    name: {zh: 乙, en: b}
    unit: tce
    formula: loop_a * 2
    clause: 表1
    verification: {status: provisional, rests_on: "lint fixture, not a standard"}
indicators:
"""

# code → (replacements applied to BASE, text on the line the diagnostic must point to)
CASES: dict[str, tuple[list[tuple[str, str]], str]] = {
    "PR001": ([("title: {zh: 草案, en: draft}", "title: {zh: 草案, en: [draft}")], "title:"),
    "PR002": ([("status: provisional\n", "status: provisional\ncolour: red\n")], "colour: red"),
    "PR009": (
        [("    group: main\n", "    group: main\n    score: {points: 5, method: linear, baseline: 1, leading: 1}\n")],
        "score: {points: 5",
    ),
    "PR101": (
        [
            (
                "formula: comprehensive_energy_consumption / industrial",
                "formula: comprehensive_energy_consumptoin / industrial",
            )
        ],
        "formula: comprehensive_energy_consumptoin",
    ),
    "PR102": ([("formula: reclaimed_water_reuse_rate", "formula: sqrt(reclaimed_water_reuse_rate)")], "formula: sqrt("),
    "PR103": (
        [("formula: reclaimed_water_reuse_rate", "formula: reclaimed_water_reuse_rate.real")],
        "formula: reclaimed_water_reuse_rate.real",
    ),
    "PR104": ([('unit: "%"', "unit: furlong_percent")], "unit: furlong_percent"),
    "PR110": ([("indicators:\n", TWO_DERIVED_IN_A_CYCLE)], "  - id: loop_a"),
    "PR120": (
        [("    group: main\n    unit: tce/万元", "    group: main\n    unit: t/万元")],
        "formula: energy_per_va_d",
    ),
    "PR121": (  # an accounting method reading one fuel fact and not the others
        [
            ("kind: standard", "kind: method"),
            (
                "derived:\n",
                "derived:\n  - id: coal_burned\n    name: {zh: 燃煤, en: coal burned}\n    unit: t\n"
                "    formula: fuel_raw_coal\n    clause: 表1\n"
                '    verification: {status: provisional, rests_on: "lint fixture, not a standard"}\n',
            ),
        ],
        "derived:",
    ),
    "PR130": (
        [("when: comprehensive_energy_consumption < 1000", "when: comprehensive_energy_consumption < 2000")],
        "when: comprehensive_energy_consumption < 2000",
    ),
    "PR131": (
        [("when: comprehensive_energy_consumption < 1000", "when: comprehensive_energy_consumption < 500")],
        "when: comprehensive_energy_consumption < 500",
    ),
    "PR132": (
        [
            (
                "clause: 表1 小园区\n",
                "clause: 表1 小园区\n"
                "      - {when: comprehensive_energy_consumption > 5000, operator: '<=', value: 0.1, clause: 表1}\n",
            )
        ],
        "when: comprehensive_energy_consumption > 5000",
    ),
    "PR140": (
        [("  - id: reclaimed_water\n", "  - id: energy_intensity\n")],
        "  - id: energy_intensity\n    name: {zh: 再生水",
    ),
    "PR150": ([("clause: 表1 大园区", 'clause: " "')], 'clause: " "'),
    "PR151": (
        [
            (
                "formula: reclaimed_water_reuse_rate\n",
                "formula: reclaimed_water_reuse_rate\n    verification: {status: provisional}\n",
            ),
            (
                '    clause: 表2\n    verification: {status: provisional, rests_on: "lint fixture, not a standard"}\n',
                "    clause: 表2\n",
            ),
        ],
        "verification: {status: provisional}",
    ),
    "PR152": ([("document: none", "document: TODO number")], "document: TODO"),
    "PR160": (
        [("name: {zh: 再生水回用率, en: reclaimed-water reuse}", "name: {zh: 再生水回用率}")],
        "name: {zh: 再生水回用率}",
    ),
    "PR170": (
        [("status: provisional\n", "status: provisional\nrequires: [cn-park-carbon-acounting@2025.07-trial]\n")],
        "requires:",
    ),
    "PR180": ([("    group: main\n", "    group: mian\n")], "group: mian"),
    "PR190": ([("groups:\n", "factors: {table: no-such-table@1, use: {}}\ngroups:\n")], "factors:"),
}


def _line_of(text: str, marker: str) -> int:
    return text[: text.index(marker)].count("\n") + 1


def _bad_pack(code: str) -> str:
    text = BASE
    for old, new in CASES[code][0]:
        assert old in text, (code, old)
        text = text.replace(old, new, 1)
    return text


def _lint(*paths: Path, root: Path = STANDARDS):
    packs, cases = pack_and_case_files(paths)
    return Linter(root).lint(packs, cases)


def test_base_pack_is_clean(write) -> None:
    assert _lint(write("draft/1.0.yaml", BASE)) == []


@pytest.mark.parametrize("code", sorted(CASES))
def test_each_code_is_triggered_and_located(code: str, write) -> None:
    text = _bad_pack(code)
    found = _lint(write("draft/1.0.yaml", text))
    codes = [d.code for d in found]
    assert code in codes, found
    diagnostic = next(d for d in found if d.code == code)
    assert diagnostic.file.endswith("draft/1.0.yaml")
    assert diagnostic.line == _line_of(text, CASES[code][1]), str(diagnostic)
    assert diagnostic.column is not None and diagnostic.column >= 1


def test_pack_in_the_wrong_place_and_packs_in_a_cycle(tmp_path: Path) -> None:
    """PR003 and PR171 need their own standards folder (a vocabulary beside the packs)."""
    shutil.copy(STANDARDS / "vocabulary.yaml", tmp_path / "vocabulary.yaml")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "1.0.yaml").write_text(BASE, encoding="utf-8")
    for name, other in (("alpha", "beta"), ("beta", "alpha")):
        (tmp_path / name).mkdir()
        text = BASE.replace("id: draft", f"id: {name}").replace(
            "status: provisional\n", f"status: provisional\nrequires: [{other}@1.0]\n"
        )
        (tmp_path / name / "1.0.yaml").write_text(text, encoding="utf-8")
    found = _lint(tmp_path, root=tmp_path)
    by_code = {d.code: d for d in found}
    assert by_code["PR003"].file.endswith("elsewhere/1.0.yaml")
    assert "sits at elsewhere/1.0.yaml" in by_code["PR003"].message
    cycles = {d.message for d in found if d.code == "PR171"}
    prefix = "packs require each other in a cycle: "
    assert cycles and cycles <= {
        prefix + "alpha@1.0 → beta@1.0 → alpha@1.0",
        prefix + "beta@1.0 → alpha@1.0 → beta@1.0",
    }


def test_every_code_is_tested_and_documented() -> None:
    tested = set(CASES) | {"PR003", "PR171"}
    assert tested == set(CODES)
    documented = (ROOT / "docs" / "lint-codes.md").read_text(encoding="utf-8")
    assert documented.endswith(codes_markdown()), "regenerate the table with `parkrules lint --codes`"
    assert CliRunner().invoke(cli, ["lint", "--codes"]).output == codes_markdown()


def test_all_problems_of_a_stage_are_reported_at_once(write) -> None:
    text = BASE.replace("formula: reclaimed_water_reuse_rate", "formula: sqrt(reclaimed_water_reuse_rate)").replace(
        'unit: "%"', "unit: furlong_percent"
    )
    assert sorted(d.code for d in _lint(write("draft/1.0.yaml", text))) == ["PR102", "PR104"]


def test_a_base_pack_problem_is_reported_once_not_per_extending_pack(tmp_path: Path) -> None:
    shutil.copy(STANDARDS / "vocabulary.yaml", tmp_path / "vocabulary.yaml")
    (tmp_path / "draft").mkdir()
    (tmp_path / "draft" / "1.0.yaml").write_text(_bad_pack("PR131"), encoding="utf-8")
    (tmp_path / "child").mkdir()
    child = BASE.split("groups:")[0].replace("id: draft", "id: child") + "extends: draft@1.0\n"
    (tmp_path / "child" / "1.0.yaml").write_text(child, encoding="utf-8")
    found = _lint(tmp_path, root=tmp_path)
    assert [(d.code, Path(d.file).parent.name) for d in found] == [("PR131", "draft")]


def test_bundled_packs_lint_clean_even_strict() -> None:
    result = CliRunner().invoke(cli, ["lint", "--strict"])
    assert result.exit_code == 0, result.output
    assert "0 error(s), 0 warning(s)" in result.output


@pytest.mark.parametrize(
    ("code", "strict", "exit_code"),
    [("PR131", False, 0), ("PR131", True, 1), ("PR120", False, 2), ("PR120", True, 2)],
)
def test_exit_codes(code: str, strict: bool, exit_code: int, write) -> None:
    path = write("draft/1.0.yaml", _bad_pack(code))
    result = CliRunner().invoke(cli, ["lint", str(path), *(["--strict"] if strict else [])])
    assert result.exit_code == exit_code, result.output
    assert f"{code}" in result.output


def test_unit_mismatch_names_both_dimensions(write) -> None:
    found = _lint(write("draft/1.0.yaml", _bad_pack("PR120")))
    message = next(d.message for d in found if d.code == "PR120")
    assert "[coal_equivalent] / [currency]" in message and "[mass] / [currency]" in message
