"""`parkrules new-pack` and `parkrules schemas`: a new pack lints (placeholders warned) and its case passes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from parkrules.cli.cli import cli
from parkrules.io.schema import SCHEMAS, schema_text


def test_new_pack_lints_without_errors_and_its_case_passes(tmp_path: Path) -> None:
    runner = CliRunner()
    into = tmp_path / "standards"
    made = runner.invoke(cli, ["new-pack", "my-standard", "--version", "2026.1", "--into", str(into)])
    assert made.exit_code == 0, made.output
    pack = into / "my-standard" / "2026.1.yaml"
    assert pack.is_file() and (into / "my-standard" / "tests" / "example.yaml").is_file()

    lint = runner.invoke(cli, ["lint", str(into / "my-standard")])
    assert lint.exit_code == 0, lint.output
    assert "0 error(s)" in lint.output and "PR152" in lint.output
    assert runner.invoke(cli, ["lint", "--strict", str(into / "my-standard")]).exit_code == 1

    test = runner.invoke(cli, ["test", "my-standard", "--standards", str(into)])
    assert test.exit_code == 0, test.output
    assert "cases passed: 1 · cases failed: 0" in test.output

    again = runner.invoke(cli, ["new-pack", "my-standard", "--version", "2026.1", "--into", str(into)])
    assert again.exit_code == 2 and "already exists" in again.output
    bad = runner.invoke(cli, ["new-pack", "My Standard", "--into", str(into)])
    assert bad.exit_code == 2 and "must be lowercase" in bad.output


def test_schemas_are_written_for_editors_and_match_the_shipped_ones(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["schemas", "--out", str(tmp_path / "schemas")])
    assert result.exit_code == 0, result.output
    for name in SCHEMAS:
        written = (tmp_path / "schemas" / f"{name}.json").read_text(encoding="utf-8")
        assert written == schema_text(name)
        assert json.loads(written)["$id"]
