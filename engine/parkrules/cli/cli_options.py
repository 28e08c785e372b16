"""Options and helpers several `parkrules` commands share."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:  # the checks and results load only when a command makes them (start-up stays quick)
    from parkrules.authoring.checks import Check
    from parkrules.model.result import RunResult

EXIT_PASS, EXIT_NOT_PASS, EXIT_ERROR = 0, 1, 2
BATCH_FORMATS = ("jsonl", "csv", "parquet")  # streamed batch output (parkrules.batchwrite)
ENGINES = ("columnar", "per-park")  # the two batch paths (parkrules.run.batch)
LAYOUTS = ("long", "wide")  # a batch table's rows (parkrules.run.tablesink)
# Parquet compressions, measured on 20 000 parks × 3 packs (1.2 M rows, bench/README.md): snappy writes in 0.17 s and
# 21 MB, zstd in 0.21 s and 18 MB, no compression in 0.19 s and 49 MB
COMPRESSIONS = ("snappy", "zstd", "none")
DEFAULT_COMPRESSION = "snappy"

standards_option = click.option(
    "--standards",
    "standards_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of rule packs, factor tables and vocabulary (default: the bundled standards).",
)


def standards_choice(help_text: str):
    """`--standard/-s ID[@VERSION]`, repeatable: the packs a command works with."""
    return click.option("--standard", "-s", "standards", multiple=True, metavar="ID[@VERSION]", help=help_text)


lang_option = click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Report language.")


def report_errors(errors: list[dict], lang: str) -> None:
    """Data and rule errors go to stderr, so stdout stays a clean report for pipes."""
    if not errors:
        return
    from parkrules.report import render_table  # rich's tables load only when there is something to show

    render_table.render_errors(errors, render_table.make_console(stderr=True), lang)


def report_warnings(warnings: list[dict], lang: str) -> None:
    """Warnings go to stderr too; they never change the exit code."""
    if not warnings:
        return
    from parkrules.report import render_table

    render_table.render_errors(warnings, render_table.make_console(stderr=True), lang, heading="warnings")


CI_FORMATS = ("junit", "sarif", "github")  # what assess, lint and test write for CI systems
FAIL_ON = ("fail", "incomplete", "never")  # which verdicts make `assess` exit 1 (`--fail-on`)


def not_passing(verdicts: list[str], fail_on: str) -> bool:
    """Whether these verdicts (of standards, not analyses) make the exit code 1, by `--fail-on`."""
    if fail_on == "never":
        return False
    if fail_on == "fail":
        return "fail" in verdicts
    return any(verdict != "pass" for verdict in verdicts)


def machine_output(output_format: str, run: RunResult | None, found: list[Check], name: str) -> str:
    if output_format == "github":
        from parkrules.report import render_github

        return render_github.render(found)
    if output_format == "junit":
        from parkrules.report import render_junit

        return render_junit.render(found, name)
    if output_format == "sarif":
        from parkrules.report import render_sarif

        return render_sarif.render(found)
    from parkrules.report import render_json

    assert run is not None  # JSON: of an assessment (test and lint offer JUnit and SARIF only)
    return render_json.render(run)
