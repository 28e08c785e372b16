"""`parkrules diff`: structural changes between two pack versions and their impact on real parks."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from parkrules.analysis.assess import expand_paths
from parkrules.analysis.impact import impact
from parkrules.authoring.packdiff import Change, diff_packs
from parkrules.cli.cli import cli
from parkrules.model.catalog import Catalog
from parkrules.model.plan import compile_plan
from tests.conftest import PARKS, ROOT, STANDARDS

NATIONAL = "cn-national-zero-carbon-park@2025.07-trial"
REVISION = ROOT / "tests" / "data" / "national-revision" / "2025.07-trial-tier-example.yaml"


def test_one_changed_tier_is_the_only_change(catalog: Catalog) -> None:
    changes = diff_packs(catalog.resolve(NATIONAL), catalog.load(REVISION), catalog)
    assert changes == [Change("changed", "indicator", "carbon_per_energy", "thresholds[0].value", 0.2, 0.1)]


def test_the_revision_flips_green_valley_only(catalog: Catalog) -> None:
    old = compile_plan(catalog, catalog.resolve(NATIONAL))
    new = compile_plan(catalog, catalog.load(REVISION))
    effect = impact(catalog, old, new, expand_paths([PARKS]))
    assert effect.errors == []
    flips = {park.park: (park.old_verdict, park.new_verdict) for park in effect.parks if park.flipped}
    assert flips == {"green-valley": ("pass", "fail")}
    green = next(park for park in effect.parks if park.park == "green-valley")
    (shift,) = green.indicators
    assert (shift.id, shift.old_status, shift.new_status) == ("carbon_per_energy", "pass", "fail")
    # Same value, threshold 0.1 lower: the margin turns into a shortfall exactly 0.1 larger.
    assert shift.old_value == shift.new_value
    assert shift.old_gap < 0 < shift.new_gap
    assert abs((shift.new_gap - shift.old_gap) - 0.1) < 1e-12


def test_cli_lists_the_change_and_the_flip_in_every_format() -> None:
    runner = CliRunner()
    args = ["diff", NATIONAL, str(REVISION), "--parks", str(PARKS)]
    text = runner.invoke(cli, args)
    assert text.exit_code == 1, text.output
    assert "changed indicator carbon_per_energy thresholds[0].value: 0.2 → 0.1" in text.output
    assert "green-valley (2024): pass → fail  ⚠ verdict flips" in text.output
    markdown = runner.invoke(cli, [*args, "--format", "markdown"])
    assert "| changed | indicator | `carbon_per_energy` | thresholds[0].value | 0.2 | 0.1 |" in markdown.output
    assert "| green-valley | 2024 | pass → **fail** ⚠ |" in markdown.output
    document = json.loads(runner.invoke(cli, [*args, "--format", "json"]).output)
    assert [p["park"] for p in document["impact"]["parks"] if p["flipped"]] == ["green-valley"]
    assert document["changes"][0]["new"] == 0.1


def test_identical_versions_exit_zero() -> None:
    result = CliRunner().invoke(cli, ["diff", NATIONAL, NATIONAL])
    assert result.exit_code == 0, result.output
    assert "0 change(s)" in result.output


def test_unknown_version_is_a_located_error_not_a_traceback() -> None:
    result = CliRunner().invoke(cli, ["diff", NATIONAL, "cn-national-zero-carbon-park@2031"])
    assert result.exit_code == 2
    assert "has no version '2031'" in result.output
    assert "Traceback" not in result.output


def test_rename_rule_and_factor_changes(tmp_path: Path) -> None:
    """A copied standards folder with a renamed indicator, a changed rule and a revised factor table."""
    root = tmp_path / "standards"
    shutil.copytree(STANDARDS, root)
    hj = root / "hj-274" / "2015.yaml"
    text = hj.read_text(encoding="utf-8")
    assert text.count("- id: energy_per_va\n") == 1 and text.count("    - at_least: 1\n") == 2
    text = text.replace("- id: energy_per_va\n", "- id: energy_intensity_va\n").replace(
        "    - at_least: 1\n", "    - at_least: 2\n", 1
    )
    (root / "hj-274" / "2025.yaml").write_text(text.replace('version: "2015"', 'version: "2025"'), encoding="utf-8")
    table = root / "factors" / "cn-park-accounting"
    (table / "2026.01.yaml").write_text(
        (table / "2025.07.yaml").read_text(encoding="utf-8").replace("value: 0.8325", "value: 0.7921"),
        encoding="utf-8",
    )
    accounting = root / "cn-park-carbon-accounting" / "2025.07-trial.yaml"
    (root / "cn-park-carbon-accounting" / "2026.01.yaml").write_text(
        accounting.read_text(encoding="utf-8")
        .replace("table: cn-park-accounting@2025.07", "table: cn-park-accounting@2026.01")
        .replace("version: 2025.07-trial", 'version: "2026.01"'),
        encoding="utf-8",
    )
    catalog = Catalog(root)
    hj_changes = diff_packs(catalog.resolve("hj-274@2015"), catalog.resolve("hj-274@2025"), catalog)
    assert Change("renamed", "indicator", "energy_intensity_va", "id", "energy_per_va", "energy_intensity_va") in (
        hj_changes
    )
    rule = next(change for change in hj_changes if change.part == "rule")
    assert rule.old.startswith("at_least 1 of") and rule.new.startswith("at_least 2 of")
    accounting_changes = diff_packs(
        catalog.resolve("cn-park-carbon-accounting@2025.07-trial"),
        catalog.resolve("cn-park-carbon-accounting@2026.01"),
        catalog,
    )
    factor = {(c.target, c.field): c for c in accounting_changes if c.part == "factor"}
    assert factor[("table", "")].new == "cn-park-accounting@2026.01"
    assert factor[("ef_elec_fossil_national", "value")].old.startswith("0.8325 kgCO2/kWh")
    assert factor[("ef_elec_fossil_national", "value")].new.startswith("0.7921 kgCO2/kWh")


def test_an_accounting_revision_shows_the_quantities_it_moves(catalog: Catalog, tmp_path: Path) -> None:
    """A method pack has no indicators: its impact is on the headline quantities (e_fuel, e_park), per park."""
    accounting = STANDARDS / "cn-park-carbon-accounting" / "2025.07-trial.yaml"
    text = accounting.read_text(encoding="utf-8")
    burned = "formula: ncv_natural_gas * cc_natural_gas * of_natural_gas * 44 / 12"
    assert text.count(burned) == 1
    revision = tmp_path / "accounting.yaml"
    revision.write_text(text.replace(burned, burned.replace("44 / 12", "44 / 12 * 2")), encoding="utf-8")
    old = compile_plan(catalog, catalog.resolve("cn-park-carbon-accounting@2025.07-trial"))
    new = compile_plan(catalog, catalog.load(revision))
    effect = impact(catalog, old, new, [PARKS / "green-valley.yaml", PARKS / "steel-coking.yaml"])
    moved = {park.park: {shift.id: shift for shift in park.quantities} for park in effect.parks}
    assert set(moved["green-valley"]) == {"e_fuel", "e_park"}  # it burns natural gas
    gas = moved["green-valley"]["e_fuel"]
    assert gas.new_value - gas.old_value == pytest.approx(5e6 * 0.002140348518)  # its 500 万Nm3 of gas, twice over
    assert moved["steel-coking"] == {}  # it burns none


def test_a_change_of_the_table_a_factor_is_taken_from_is_a_change(catalog: Catalog, tmp_path: Path) -> None:
    fixture = ROOT / "tests" / "data" / "regional-grid" / "2026.12-test.yaml"
    revision = tmp_path / "regional.yaml"
    revision.write_text(fixture.read_text(encoding="utf-8").replace("ef_grid_northwest", "ef_grid_north_china"))
    changes = diff_packs(catalog.load(fixture), catalog.load(revision), catalog)
    assert changes == [
        Change(
            "changed",
            "factor",
            "ef_elec_fossil_national",
            "value",
            "cn-grid-electricity@2023: ef_grid_northwest",
            "cn-grid-electricity@2023: ef_grid_north_china",
        )
    ]


def test_a_revision_that_changes_what_a_pass_says_shows_in_the_impact(tmp_path: Path) -> None:
    """HJ 274 before its 13th environmental row was given a role: green valley passes both ways, and the diff says
    the pass now carries "not encoded: env_indicator_13"."""
    text = (STANDARDS / "hj-274" / "2015.yaml").read_text(encoding="utf-8")
    role = "    clause: HJ 274-2015 表1 第29项\n    role: mandatory\n    group: environment\n"
    assert text.count(role) == 1
    earlier = tmp_path / "hj-274-earlier.yaml"
    earlier.write_text(text.replace(role, "    clause: HJ 274-2015 表1 第29项\n"), encoding="utf-8")
    args = ["diff", str(earlier), "hj-274@2015", "--parks", str(PARKS / "green-valley.yaml")]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert "changed not_encoded env_indicator_13 role: — → mandatory" in result.output
    line = "green-valley (2024): pass → pass; caveat: selection rule unknown → selection rule unknown; not encoded"
    assert line in result.output
    assert "verdict flips" not in result.output
