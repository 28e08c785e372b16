"""Errors in rule packs reach the user located (file, line, field), never as a traceback."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from parkrules.base.errors import ParkrulesError
from parkrules.cli.cli import cli
from parkrules.model.catalog import Catalog
from parkrules.model.plan import build_plan, compile_plan, sources_for
from tests.conftest import PARKS, STANDARDS

NATIONAL = "cn-national-zero-carbon-park/2025.07-trial.yaml"


@pytest.fixture
def standards_copy(tmp_path):
    target = tmp_path / "standards"
    shutil.copytree(STANDARDS, target)
    return target


def _edit(root, old: str, new: str, pack_file: str = NATIONAL):
    path = root / pack_file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _line_of(path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    ("old", "new", "complaint"),
    [
        ("formula: e_park / energy_consumption_tce", "formula: e_park.__class__", "attribute access"),
        ("formula: e_park / energy_consumption_tce", "formula: e_prak / energy_consumption_tce", "did you mean"),
        ("    unit: tCO2/tce\n", "    unit: bogons\n", "unknown unit"),
        ("role: core", "role: kernel", "is not one of"),
    ],
)
def test_pack_errors_are_located(standards_copy, old, new, complaint):
    path = _edit(standards_copy, old, new)
    result = CliRunner().invoke(cli, ["assess", str(PARKS / "coal-town.yaml"), "--standards", str(standards_copy)])
    assert result.exit_code == 2
    assert complaint in result.stderr
    assert f"{path}:" in result.stderr
    assert "Traceback" not in result.output


def test_bool_threshold_needs_equality(standards_copy):
    path = _edit(
        standards_copy,
        '{operator: "==", value: true, clause: 附件1 一}',
        '{operator: "<=", value: true, clause: 附件1 一}',
    )
    result = CliRunner().invoke(cli, ["assess", str(PARKS / "coal-town.yaml"), "--standards", str(standards_copy)])
    assert result.exit_code == 2
    assert f"{path}:{_line_of(path, 'value: true, clause: 附件1 一')}:" in result.stderr
    assert "can only be compared with ==" in result.stderr


def test_factor_unit_of_another_dimension_is_a_located_rule_error(standards_copy):
    accounting = "cn-park-carbon-accounting/2025.07-trial.yaml"
    path = _edit(standards_copy, "    ef_raw_coal: tCO2/t\n", "    ef_raw_coal: tce/t\n", accounting)
    result = CliRunner().invoke(cli, ["assess", str(PARKS / "coal-town.yaml"), "--standards", str(standards_copy)])
    assert result.exit_code == 2
    assert f"{path}:{_line_of(path, 'ef_raw_coal: tce/t')}: factors.use.ef_raw_coal:" in result.stderr
    assert "cannot be converted" in result.stderr and "Traceback" not in result.output


def test_a_factor_with_the_id_of_a_fact_is_a_located_rule_error(standards_copy):
    """A formula reading the name could mean either; the per-park path reads factors as constants and relies on it."""
    vocabulary = standards_copy / "vocabulary.yaml"
    text = vocabulary.read_text(encoding="utf-8")
    start = text.index("  fuel_raw_coal:\n")
    entry = text[start : text.index("\n  fuel_", start + 1) + 1]  # the fact's whole entry, under a factor's id
    vocabulary.write_text(text.replace(entry, entry.replace("fuel_raw_coal:", "ef_raw_coal:", 1) + entry, 1))
    accounting = "cn-park-carbon-accounting/2025.07-trial.yaml"
    path = standards_copy / accounting
    result = CliRunner().invoke(cli, ["assess", str(PARKS / "coal-town.yaml"), "--standards", str(standards_copy)])
    assert result.exit_code == 2
    assert f"{path}:{_line_of(path, 'ef_raw_coal: tCO2/t')}: factors.use.ef_raw_coal:" in result.stderr
    assert "has the id of a fact" in result.stderr and "Traceback" not in result.output


def test_true_false_result_against_a_numeric_limit_is_an_error_status(standards_copy):
    _edit(standards_copy, "formula: industrial_water_reuse_rate\n", "formula: industrial_water_reuse_rate > 50\n")
    args = ["assess", str(PARKS / "green-valley.yaml"), "--standards", str(standards_copy), "--format", "json"]
    args += ["-s", "cn-national-zero-carbon-park"]
    result = CliRunner().invoke(cli, args)
    document = json.loads(result.stdout)
    reuse = next(i for i in document["assessments"][0]["indicators"] if i["id"] == "industrial_water_reuse")
    assert reuse["status"] == "error" and "cannot be compared" in reuse["message"]


def test_formula_error_points_at_its_line(standards_copy):
    path = _edit(standards_copy, "formula: e_park / energy_consumption_tce", 'formula: "(lambda: 1)()"')
    catalog = Catalog(standards_copy)
    with pytest.raises(ParkrulesError) as info:
        catalog.resolve("cn-national-zero-carbon-park")
    assert info.value.location.line == _line_of(path, "(lambda: 1)()")
    assert info.value.location.field.endswith(".formula")


def test_dependency_cycle_is_an_error(standards_copy):
    # green_direct_supply_kwh reads clean_energy_tce, and clean_energy_tce reads green_direct_supply_kwh
    _edit(
        standards_copy,
        "formula: elec_direct_nonfossil_received + elec_onsite",
        "formula: clean_energy_tce + elec_onsite",
    )
    _edit(
        standards_copy,
        "tce_elec_equivalent + (heat_nonfossil",
        "tce_elec_equivalent + green_direct_supply_kwh + (heat_nonfossil",
    )
    catalog = Catalog(standards_copy)
    with pytest.raises(ParkrulesError, match="cycle: .*clean_energy_tce.*green_direct_supply_kwh"):
        compile_plan(catalog, catalog.resolve("cn-national-zero-carbon-park"))


def test_json_park_file(tmp_path, catalog):
    park = {
        "park": {"id": "json-park", "name": {"zh": "JSON园区", "en": "JSON park"}, "province": "x", "type": "y"},
        "years": {"2024": {"facts": {"elec_direct_nonfossil_received": "1000 GWh", "fuel_natural_gas": "1000 万Nm3"}}},
    }
    path = tmp_path / "park.json"
    path.write_text(json.dumps(park, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(cli, ["assess", str(path), "--format", "json", "-s", "cn-national-zero-carbon-park"])
    document = json.loads(result.stdout)
    core = next(i for i in document["assessments"][0]["indicators"] if i["id"] == "carbon_per_energy")
    assert core["value"] == pytest.approx(1e7 * 0.002140348518 / 314_000)  # natural gas from its parts
    assert document["assessments"][0]["verdict"]["status"] == "incomplete"  # gates not assessed


REGIONAL = STANDARDS.parent / "tests" / "data" / "regional-grid" / "2026.12-test.yaml"


def _regional(standards_copy, old: str = "", new: str = ""):
    target = standards_copy / "regional-grid-test" / "2026.12-test.yaml"
    target.parent.mkdir()
    target.write_text(REGIONAL.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    args = ["assess", str(PARKS / "coal-town.yaml"), "--standards", str(standards_copy), "--format", "json"]
    result = CliRunner().invoke(cli, [*args, "-s", "regional-grid-test", "-s", "cn-national-zero-carbon-park"])
    return target, result


def test_a_pack_may_take_a_factor_from_another_table_for_its_own_assessments(standards_copy):
    """The regional pack counts grid power at the 2023 Northwest average; the national pack, in the same run, keeps
    附件4's 0.8325; each report names the table, version and factor that decided the number."""
    _, result = _regional(standards_copy)
    document = json.loads(result.stdout)
    assert document["errors"] == []
    by_pack = {a["standard"]["id"]: a for a in document["assessments"]}
    e_elec = {pack: next(d["value"] for d in a["derived"] if d["id"] == "e_elec") for pack, a in by_pack.items()}
    assert e_elec["regional-grid-test"] == pytest.approx(2e9 * 0.5543e-3)  # 20 亿kWh × 0.5543 kgCO2/kWh
    assert e_elec["cn-national-zero-carbon-park"] == pytest.approx(2e9 * 0.8325e-3)
    grid = next(f for f in by_pack["regional-grid-test"]["factors"] if f["id"] == "ef_elec_fossil_national")
    assert grid["table"] == "cn-grid-electricity@2023: ef_grid_northwest" and grid["provisional"] is True


@pytest.mark.parametrize(
    ("old", "new", "complaint"),
    [
        ("factor: ef_grid_northwest", "factor: ef_grid_northwset", "did you mean 'ef_grid_northwest'"),
        ("    ef_elec_fossil_national: {table:", "    ef_elec_fossil: {table:", "is used by no pack of this plan"),
        ("table: cn-grid-electricity@2023", "table: cn-grid-electricity@2031", "no factor table"),
    ],
)
def test_a_factor_taken_from_another_table_is_checked_where_it_is_written(standards_copy, old, new, complaint):
    target, result = _regional(standards_copy, old, new)
    assert result.exit_code == 2
    assert f"{target}:{_line_of(target, new.strip())}:" in result.stderr
    assert complaint in result.stderr and "Traceback" not in result.output


def test_a_plan_is_built_from_resolved_sources_without_reading_a_file(standards_copy):
    """The catalog reads the packs and tables (`sources_for`); building the plan reads nothing: with the standards
    folder gone, the same plan comes out."""
    catalog = Catalog(standards_copy)
    sources = sources_for(catalog, catalog.resolve("cn-national-zero-carbon-park"))
    assert [member.id for member in sources.packs] == ["cn-park-carbon-accounting", "cn-national-zero-carbon-park"]
    assert set(sources.tables) == {"cn-park-accounting@2025.07"}
    shutil.rmtree(standards_copy)
    plan = build_plan(sources)
    assert plan.factors["ef_elec_fossil_national"].value == pytest.approx(0.0008325)
    assert [indicator.id for indicator in plan.indicators][:1] == ["bc_eligible_entity"]
