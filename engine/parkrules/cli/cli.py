"""The `parkrules` command line.

Exit codes (stable, for CI): 0 every verdict passes; 1 some verdict is not a pass (fail,
incomplete or not applicable); 2 usage error, or a data or rule error kept something from
being assessed (the rest is still assessed and reported).
"""

from __future__ import annotations

import io
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from parkrules import __version__
from parkrules.analysis.assess import expand_paths
from parkrules.base.errors import ParkrulesError
from parkrules.base.i18n import default_lang, t
from parkrules.cli.cli_authoring import diff, lint, new_pack_command, schemas_command, test_command
from parkrules.cli.cli_benchmark import benchmark_command
from parkrules.cli.cli_data import convert, template_command
from parkrules.cli.cli_decompose import decompose_command
from parkrules.cli.cli_explain import explain_command
from parkrules.cli.cli_options import (
    BATCH_FORMATS,
    CI_FORMATS,
    COMPRESSIONS,
    DEFAULT_COMPRESSION,
    ENGINES,
    EXIT_ERROR,
    EXIT_NOT_PASS,
    EXIT_PASS,
    FAIL_ON,
    LAYOUTS,
    lang_option,
    machine_output,
    not_passing,
    report_errors,
    report_warnings,
    standards_choice,
    standards_option,
)
from parkrules.cli.cli_plan import plan_command
from parkrules.cli.cli_serve import serve_command
from parkrules.io import outfile, parkio
from parkrules.model.catalog import Catalog, bundled_root
from parkrules.model.pack import Derived, Indicator
from parkrules.model.result import RunResult
from parkrules.run import CHUNK_ROWS

if TYPE_CHECKING:
    pass

# Each command imports what only it uses in its own body, so that `parkrules assess` of one park
# starts without loading the linter, the pack tests, the differ or the other report formats.


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="parkrules")
def cli() -> None:
    """Assess industrial parks against zero-carbon, green and eco-industrial park standards."""


@cli.command()
@click.argument("parks", nargs=-1, type=click.Path(exists=True, path_type=Path))
@standards_choice("Pack to assess against (repeatable; default: every bundled standard).")
@click.option("--period", type=int, default=None, help="Year to assess (default: each park's latest year).")
@click.option(
    "--base-year",
    type=int,
    default=None,
    help="Year that base(x) reads, for changes between any two years (default: the year before the assessed one).",
)
@click.option(
    "--benchmark",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Benchmark park file for catch-up decoupling (default: the park file's `benchmark:`).",
)
@click.option(
    "--what-it-takes/--no-what-it-takes",
    "remedies",
    default=True,
    show_default=True,
    help="For each failing indicator, the change in each input alone that would make it pass.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json", *CI_FORMATS, "html", "pdf", "markdown", "xlsx", *BATCH_FORMATS]),
    default=None,
    help="Default: what the --output file's suffix names (.html, .md, .json, .jsonl, .csv, .parquet, .xlsx, "
    ".xml for junit, .sarif), else table. junit: each indicator × park a test case; sarif: failing indicators "
    "located in the pack file; github: workflow annotations; html: one self-contained page; xlsx: the report's "
    "tables as a workbook (needs "
    "--output). jsonl, csv, parquet: a batch run, every park-year of the inputs streamed (parquet needs --output).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="Write the report to this file instead of standard output.",
)
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="columnar",
    show_default=True,
    help="Batch runs: the columnar path over all park-years at once, or every park through the evaluator that "
    "writes single reports (the same results, far slower: to check one against the other).",
)
@click.option(
    "--chunk-rows",
    type=click.IntRange(1),
    default=CHUNK_ROWS,
    show_default=True,
    help="Batch runs: park-years per chunk.",
)
@click.option(
    "--layout",
    type=click.Choice(LAYOUTS),
    default="long",
    show_default=True,
    help="Batch csv and parquet: long (a row per park-year × pack × indicator, and per verdict) or wide (a row per "
    "park-year × pack, columns <indicator>.status, .value, .gap, .tier).",
)
@click.option(
    "--compression",
    type=click.Choice(COMPRESSIONS),
    default=DEFAULT_COMPRESSION,
    show_default=True,
    help="Batch parquet: the compression of the file's pages.",
)
@click.option(
    "--partitioned",
    is_flag=True,
    help="Batch parquet: --output names a new folder of Parquet files partitioned by year and pack "
    "(year=2024/pack=…/part-00001.parquet), as DuckDB, polars, Spark and pyarrow read a dataset.",
)
@click.option("--assessor", default=None, help="Name of the assessor, printed at the head of HTML and PDF reports.")
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    default="incomplete",
    show_default=True,
    help="Which verdicts make the exit code 1: fail (a failing verdict; missing data does not), incomplete (a "
    "failing or undecided verdict, or a pack that does not apply), never (only errors: exit 2).",
)
@lang_option
@standards_option
def assess(
    parks,
    standards,
    period,
    base_year,
    benchmark,
    remedies,
    output_format,
    output,
    engine,
    chunk_rows,
    layout,
    compression,
    partitioned,
    assessor,
    fail_on,
    lang,
    standards_dir,
) -> None:
    """Assess PARKS (park files, park-year tables (CSV, Parquet) or folders; default: the bundled example parks).

    \b
    Exit codes: 0 all verdicts pass; 1 some verdict fails or cannot be decided;
    2 usage, data or rule error (other parks are still assessed).
    """
    lang = lang or default_lang()
    root = bundled_root()
    output_format = _format_for(output_format, output)
    if output is not None:
        _refuse_inputs(output, [*(parks or [root / "parks"]), *([benchmark] if benchmark else [])], standards_dir)
    if output_format in BATCH_FORMATS:
        catalog = Catalog(standards_dir or root / "standards")
        options = {
            "period": period,
            "base_year": base_year,
            "benchmark": benchmark,
            "engine": engine,
            "chunk_rows": chunk_rows,
            "layout": layout,
            "compression": compression,
            "partitioned": partitioned,
            "fail_on": fail_on,
        }
        from parkrules.cli import cli_batch  # numpy and pyarrow load only for batch runs: one-park start-up stays quick

        sys.exit(
            cli_batch.run(catalog, list(standards), list(parks or [root / "parks"]), output_format, output, options)
        )
    tables = [p for p in parks if p.is_file() and parkio.is_park_table(p)]
    if tables:
        raise click.UsageError(
            f"{tables[0]} is a park-year table: assess it in batch, with --format jsonl, csv or parquet"
        )
    if output_format in ("xlsx", "pdf") and output is None:
        raise click.UsageError(f"--format {output_format} writes a file: give it with --output report.{output_format}")
    paths = expand_paths(parks or [root / "parks"])
    from parkrules import api
    from parkrules.run import progress

    with progress.for_parks(len(paths)) as advance:
        result = api.assess(
            paths,
            list(standards),
            period=period,
            base_year=base_year,
            benchmark=benchmark,
            what_it_takes=remedies,
            standards_dir=standards_dir or root / "standards",
            on_park=advance,
        )
    run, plans = result.run, list(result.plans)
    if output_format == "table" and output is None:
        from parkrules.report import render_table

        render_table.render(run, render_table.make_console(), lang)
    else:
        meta = _meta(run, standards_dir or root / "standards", assessor) if output_format in ("html", "pdf") else None
        _write_report(_document(output_format, run, plans, lang, meta), output)
    report_warnings(run.warnings, lang)
    report_errors(run.errors, lang)
    sys.exit(_exit_code(run, fail_on))


def _meta(run: RunResult, standards: Path, assessor: str | None):
    """What the HTML report says about itself (date, packs with their file hashes, assessor); None if the packs
    cannot be read again (their errors are reported already)."""
    from parkrules.report.report_meta import report_meta

    try:
        return report_meta(run, Catalog(standards), assessor)
    except (ParkrulesError, OSError):
        return None


def _document(output_format: str, run: RunResult, plans: list, lang: str, meta=None) -> str | bytes:
    """The report in a document format (the terminal table, when asked for in a file, as plain text)."""
    # The renderers are imported on use: Jinja2 and openpyxl, above all, would slow every command's start.
    if output_format == "table":
        from rich.console import Console

        from parkrules.report import render_table

        text = io.StringIO()
        render_table.render(run, Console(file=text, width=200, color_system=None), lang)
        return text.getvalue()
    if output_format in ("html", "pdf"):
        from parkrules.report import render_html

        html = render_html.render(run, lang, meta)
        if output_format == "html":
            return html
        from parkrules.report import render_pdf

        return render_pdf.render(html)
    if output_format == "markdown":
        from parkrules.report import render_markdown

        return render_markdown.render(run, lang)
    if output_format == "xlsx":
        from parkrules.report import render_xlsx

        return render_xlsx.render(run, lang)
    from parkrules.authoring import checks

    return machine_output(output_format, run, checks.from_assessments(run, plans), "parkrules assess")


def _format_for(given: str | None, output: Path | None) -> str:
    """`--format`, else what the output file's suffix names, else the terminal table; a contradiction is a usage
    error (a `report.xlsx` holding JSON would open as a broken workbook)."""
    named = outfile.format_of(output) if output is not None else None
    if given is not None and named is not None and named != given:
        assert output is not None  # a suffix names a format
        raise click.UsageError(f"--format {given} contradicts the output file's suffix ({output.name} is {named})")
    return given or named or "table"


def _refuse_inputs(output: Path, inputs: list[Path], standards_dir: Path | None) -> None:
    """Exit 2 before anything is read or written when the output would overwrite one of the run's inputs."""
    try:
        outfile.refuse_inputs(output, [*inputs, standards_dir or bundled_root() / "standards"])
    except ParkrulesError as exc:
        raise click.UsageError(exc.message) from exc


def _write_report(document: str | bytes, output: Path | None) -> None:
    if output is None:
        click.echo(document)
        return
    try:
        if isinstance(document, bytes):
            outfile.write_bytes(output, document)
        else:
            outfile.write_text(output, document if document.endswith("\n") else document + "\n")
    except OSError as exc:
        raise click.FileError(str(output), exc.strerror) from exc


def _exit_code(run: RunResult, fail_on: str) -> int:
    if run.errors or not run.assessments:
        return EXIT_ERROR
    verdicts = [a.verdict.status for a in run.assessments if a.standard.kind != "analysis"]
    return EXIT_NOT_PASS if not_passing(verdicts, fail_on) else EXIT_PASS


@cli.command()
@lang_option
@standards_option
def packs(lang, standards_dir) -> None:
    """List the rule packs: encoded indicators and derived quantities, how many are verified or
    provisional, and how many of the standard's indicators are not encoded yet."""
    from rich.table import Table

    from parkrules.report import render_table

    lang = lang or default_lang()
    catalog = Catalog(standards_dir or bundled_root() / "standards")
    table = Table(title=t("packs_title", lang), title_justify="left")
    columns = (
        *("pack", "version", "in_force", "kind", "title"),
        *("indicators", "derived", "verified", "provisional", "not_encoded"),
    )
    for key in columns:
        table.add_column(t(key, lang))
    errors = []
    for pack_id in catalog.pack_ids():
        for version in catalog.versions(pack_id):
            try:
                pack = catalog.resolve(f"{pack_id}@{version}")
            except ParkrulesError as exc:
                errors.append({**exc.to_dict(), "park": None})
                continue
            items: list[Indicator | Derived] = [*pack.indicators, *pack.derived]
            provisional = sum(1 for item in items if item.verification.provisional)
            dated = pack.effective or pack.superseded
            in_force = f"{pack.effective or '—'} → {pack.superseded or ''}" if dated else "—"
            in_force = t("pack_draft", lang) if pack.draft else in_force
            table.add_row(
                pack.id,
                pack.version,
                in_force,
                t(f"kind.{pack.kind}", lang),
                pack.title.get(lang),
                str(len(pack.indicators)),
                str(len(pack.derived)),
                str(len(items) - provisional),
                str(provisional),
                str(len(pack.not_encoded)),
            )
    render_table.make_console().print(table)
    report_errors(errors, lang)
    sys.exit(EXIT_ERROR if errors else EXIT_PASS)


for command in (test_command, lint, diff, new_pack_command, schemas_command):
    cli.add_command(command)
cli.add_command(template_command)
cli.add_command(convert)
cli.add_command(explain_command)
cli.add_command(plan_command)
cli.add_command(benchmark_command)
cli.add_command(decompose_command)
cli.add_command(serve_command)


def main() -> None:
    """Entry point: click's own usage errors exit 2, as documented. A termination signal unwinds like Ctrl-C,
    so an output being written is removed rather than left half-written beside its target. An exception that
    escapes is a bug of ours: one line a user can report, not a traceback (PARKRULES_TRACEBACK=1 shows it)."""
    signal.signal(signal.SIGTERM, _terminated)
    try:
        cli(prog_name="parkrules")
    except Exception as exc:
        if os.environ.get("PARKRULES_TRACEBACK"):
            raise
        click.echo(f"parkrules: internal error, please report it: {type(exc).__name__}: {exc}", err=True)
        sys.exit(EXIT_ERROR)


def _terminated(signum: int, frame: object) -> None:
    sys.exit(128 + signum)
