"""Pack test coverage, `--min-coverage`, and golden `--update` of expected values, on real packs."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from parkrules.authoring.casecoverage import items_of, measure
from parkrules.authoring.packcases import run_file
from parkrules.cli.cli import cli
from parkrules.model.catalog import Catalog
from tests.conftest import STANDARDS

NM = "nm-zero-carbon-industrial-park"
NM_CASES = Path(NM) / "tests" / "renewable-share.yaml"


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "standards"
    shutil.copytree(STANDARDS, root)
    return root


def test_every_bundled_pack_with_a_verdict_and_indicators_is_fully_covered(catalog: Catalog) -> None:
    covered = {}
    for path in sorted(STANDARDS.glob("*/tests/*.yaml")):
        outcomes = run_file(catalog, path)
        covered.setdefault(outcomes[0].pack.ref, []).extend(outcomes)
    for ref, outcomes in covered.items():
        coverage = measure(outcomes[0].pack, outcomes)
        assert coverage.uncovered == [], (ref, coverage.uncovered)
    # a pack that encodes none of its standard's indicators has nothing a case could cover: no rule can pass or fail
    assert measure(catalog.resolve("sd-near-zero-carbon-park"), []).items == ()


def test_dropping_a_case_shows_the_branch_it_covered(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    path = root / NM_CASES
    text = path.read_text(encoding="utf-8")
    start = text.index("  - name: below 80 % fails")
    end = text.index("  - name: no energy data")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    outcomes = run_file(Catalog(root), path)
    coverage = measure(outcomes[0].pack, outcomes)
    assert coverage.uncovered == ["renewable_energy_share: fail", "rule 1: fail", "verdict: fail"]
    assert len(coverage.items) == len(items_of(outcomes[0].pack)) == 6
    assert round(coverage.percent) == 50

    result = CliRunner().invoke(cli, ["test", NM, "--standards", str(root), "--min-coverage", "80"])
    assert result.exit_code == 1, result.output
    assert "coverage of nm-zero-carbon-industrial-park@2023 is 50 %, below 80 %" in result.output
    assert "not exercised: renewable_energy_share: fail, rule 1: fail, verdict: fail" in result.output
    assert CliRunner().invoke(cli, ["test", NM, "--standards", str(root), "--min-coverage", "50"]).exit_code == 0


def test_update_rewrites_only_the_values_that_moved_and_keeps_the_file_shape(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    pack = root / NM / "2023.yaml"
    text = pack.read_text(encoding="utf-8")
    assert text.count("value: 80") == 1
    pack.write_text(text.replace("value: 80", "value: 85"), encoding="utf-8")  # a deliberate change of the limit
    path = root / NM_CASES
    before = path.read_text(encoding="utf-8")

    failing = CliRunner().invoke(cli, ["test", NM, "--standards", str(root)])
    assert failing.exit_code == 1
    assert "verdict: expected pass, got fail" in failing.output

    updated = CliRunner().invoke(cli, ["test", NM, "--standards", str(root), "--update"])
    assert updated.exit_code == 0, updated.output
    after = path.read_text(encoding="utf-8")
    changed = [(old, new) for old, new in zip(before.split("\n"), after.split("\n"), strict=True) if old != new]
    assert changed == [
        ("      verdict: pass", "      verdict: fail"),
        (
            "        renewable_energy_share: {status: pass, value: 80}",
            "        renewable_energy_share: {status: fail, value: 80}",
        ),
    ]
    assert CliRunner().invoke(cli, ["test", NM, "--standards", str(root)]).exit_code == 0
