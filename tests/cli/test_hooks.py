"""The pre-commit hooks this repository publishes run, as pre-commit would call them, on a standards folder."""

from __future__ import annotations

import shlex

import pytest
import yaml
from click.testing import CliRunner

from parkrules.cli.cli import cli
from tests.conftest import ROOT

HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("hook", HOOKS, ids=[hook["id"] for hook in HOOKS])
def test_hook_passes_on_the_bundled_standards(hook: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # pre-commit runs hooks at the repository root
    program, *arguments = shlex.split(hook["entry"])
    assert program == "parkrules" and hook["language"] == "python" and hook["pass_filenames"] is False
    result = CliRunner().invoke(cli, [*arguments, *hook["args"]])
    assert result.exit_code == 0, result.output


def test_lint_hook_fails_on_a_broken_pack(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "standards" / "draft").mkdir(parents=True)
    (tmp_path / "standards" / "draft" / "1.0.yaml").write_text("id: draft\nversion: '1.0'\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    hook = next(hook for hook in HOOKS if hook["id"] == "parkrules-lint")
    _, *arguments = shlex.split(hook["entry"])
    result = CliRunner().invoke(cli, [*arguments, *hook["args"]])
    assert result.exit_code == 2 and "PR002" in result.output
