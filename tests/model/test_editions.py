"""Editions in force: `--period YEAR` without `@version` assesses against the edition in force that year, and says
why; `packs` lists each edition's dates."""

from __future__ import annotations

import json
import shutil

from click.testing import CliRunner

from parkrules.cli.cli import cli
from tests.conftest import STANDARDS

PARK = """
park: {id: two-years, name: {zh: 两年, en: two years}, province: x, type: x}
years:
  2025:
    facts: {renewable_energy_consumption: "85 tce", comprehensive_energy_consumption: "100 tce"}
  2026:
    facts: {renewable_energy_consumption: "85 tce", comprehensive_energy_consumption: "100 tce"}
"""


def _two_editions(tmp_path):
    """The bundled standards with a made-up 2026 edition of the Inner Mongolia pack (renewables ≥ 90 %) that
    replaces the 2023 one from 2026-01-01."""
    root = tmp_path / "standards"
    shutil.copytree(STANDARDS, root)
    folder = root / "nm-zero-carbon-industrial-park"
    old = (folder / "2023.yaml").read_text(encoding="utf-8")
    (folder / "2023.yaml").write_text(
        old.replace("dates: {published: 2023-03-08, effective: 2023-04-28}",
                    "dates: {published: 2023-03-08, effective: 2023-04-28, superseded: 2026-01-01}"),
        encoding="utf-8",
    )  # fmt: skip
    new = old.replace('version: "2023"', 'version: "2026"').replace(
        "dates: {published: 2023-03-08, effective: 2023-04-28}", "dates: {effective: 2026-01-01}"
    )
    assert "value: 80" in new
    (folder / "2026.yaml").write_text(new.replace("value: 80", "value: 90"), encoding="utf-8")
    shutil.rmtree(folder / "tests")
    park = tmp_path / "park.yaml"
    park.write_text(PARK, encoding="utf-8")
    return root, park


def test_the_edition_in_force_in_the_period_decides(tmp_path):
    root, park = _two_editions(tmp_path)
    common = ["assess", str(park), "-s", "nm-zero-carbon-industrial-park", "--standards", str(root), "--format", "json"]
    runner = CliRunner()
    in_2025 = json.loads(runner.invoke(cli, [*common, "--period", "2025"]).stdout)
    in_2026 = json.loads(runner.invoke(cli, [*common, "--period", "2026"]).stdout)
    assert in_2025["assessments"][0]["standard"]["version"] == "2023"
    assert in_2025["assessments"][0]["verdict"]["status"] == "pass"  # 85 % ≥ 80 %
    assert in_2026["assessments"][0]["standard"]["version"] == "2026"
    assert in_2026["assessments"][0]["verdict"]["status"] == "fail"  # 85 % < 90 %
    assert in_2026["editions"] == {
        "nm-zero-carbon-industrial-park@2026": "in force in 2026 (effective 2026-01-01), of 2 editions"
    }
    pinned = json.loads(runner.invoke(cli, [*common[:3], "nm-zero-carbon-industrial-park@2023", *common[4:],
                                            "--period", "2026"]).stdout)  # fmt: skip
    assert pinned["assessments"][0]["standard"]["version"] == "2023" and pinned["editions"] == {}
    listed = runner.invoke(cli, ["packs", "--standards", str(root), "--lang", "en"]).stdout
    assert "2023-04-28 → 2026-01-01" in listed and "2026-01-01 →" in listed


def test_a_draft_edition_is_used_only_when_named(catalog):
    from parkrules.analysis.assess import RunOptions, assess_parks, compile_standards
    from parkrules.model.result import RunResult
    from tests.conftest import PARKS

    assert catalog.versions("hj-274") == ["2015", "2025-draft"]
    assert catalog.resolve("hj-274").version == "2015"  # the newest edition that is not a draft
    assert catalog.in_force("hj-274", 2026)[0].version == "2015"
    draft = catalog.resolve("hj-274@2025-draft")
    assert draft.draft and not draft.in_force(2026)
    run = RunResult()
    plans = compile_standards(catalog, ["hj-274@2025-draft"], run)
    assess_parks(catalog, plans, [PARKS / "green-valley.yaml"], None, run, RunOptions(remedies=False))
    verdict = run.assessments[0].verdict
    # it decides its basic requirements; its mandatory indicators are the pack's gap, never a vacuous pass
    assert verdict.status == "incomplete"
    assert verdict.reason.en.startswith("cannot decide (the standard's indicators are not encoded, not the park's")
    listed = CliRunner().invoke(cli, ["packs", "--lang", "en"], terminal_width=240)
    assert listed.exit_code == 0
    line = next(row for row in listed.output.splitlines() if "2025-draft" in row)
    assert "draft (not in force)" in line
