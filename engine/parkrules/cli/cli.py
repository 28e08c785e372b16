"""The `parkrules` command line.

Exit codes (stable, for CI): 0 every verdict passes; 1 some verdict is not a pass (fail,
incomplete or not applicable); 2 usage error, or a data or rule error kept something from
being assessed (the rest is still assessed and reported).
"""

from __future__ import annotations

import io
import json
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from parkrules import __version__
from parkrules.analysis.assess import RunOptions, assess_parks, compile_standards, expand_paths
from parkrules.base.errors import ParkrulesError
from parkrules.base.i18n import default_lang, t
from parkrules.cli.cli_data import convert, template_command
from parkrules.cli.cli_explain import explain_command
from parkrules.cli.cli_options import (
    BATCH_FORMATS,
    ENGINES,
    EXIT_ERROR,
    EXIT_NOT_PASS,
    EXIT_PASS,
    lang_option,
    report_errors,
    report_warnings,
    standards_choice,
    standards_option,
)
from parkrules.io import outfile, parkio
from parkrules.model.catalog import Catalog, bundled_root
from parkrules.model.result import RunResult

if TYPE_CHECKING:
    from parkrules.authoring.casecoverage import Coverage
    from parkrules.authoring.checks import Check
    from parkrules.authoring.packcases import CaseOutcome

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
    type=click.Choice(["table", "json", "junit", "sarif", "html", "markdown", "xlsx", *BATCH_FORMATS]),
    default=None,
    help="Default: what the --output file's suffix names (.html, .md, .json, .jsonl, .csv, .parquet, .xlsx, "
    ".xml for junit, .sarif), else table. junit: each indicator × park a test case; sarif: failing indicators "
    "located in the pack file; html: one self-contained page; xlsx: the report's tables as a workbook (needs "
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
    help="Batch runs: the columnar path over all park-years at once, or every park through the per-park path "
    "(the same results).",
)
@click.option(
    "--chunk-rows", type=click.IntRange(1), default=20_000, show_default=True, help="Batch runs: park-years per chunk."
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
    if output_format == "xlsx" and output is None:
        raise click.UsageError("--format xlsx writes a workbook: give the file with --output report.xlsx")
    paths = expand_paths(parks or [root / "parks"])
    run = RunResult()
    plans = []
    try:
        catalog = Catalog(standards_dir or root / "standards")
        plans = compile_standards(catalog, list(standards), run)
        if plans:
            from parkrules.run import progress

            with progress.for_parks(len(paths)) as advance:
                options = RunOptions(base_year, benchmark, remedies)
                assess_parks(catalog, plans, paths, period, run, options, on_park=advance)
    except ParkrulesError as exc:
        run.errors.append({**exc.to_dict(), "park": None})
    if output_format == "table" and output is None:
        from parkrules.report import render_table

        render_table.render(run, render_table.make_console(), lang)
    else:
        _write_report(_document(output_format, run, plans, lang), output)
    report_warnings(run.warnings, lang)
    report_errors(run.errors, lang)
    sys.exit(_exit_code(run))


def _document(output_format: str, run: RunResult, plans: list, lang: str) -> str | bytes:
    """The report in a document format (the terminal table, when asked for in a file, as plain text)."""
    # The renderers are imported on use: Jinja2 and openpyxl, above all, would slow every command's start.
    if output_format == "table":
        from rich.console import Console

        from parkrules.report import render_table

        console = Console(file=io.StringIO(), width=200, color_system=None)
        render_table.render(run, console, lang)
        return console.file.getvalue()
    if output_format == "html":
        from parkrules.report import render_html

        return render_html.render(run, lang)
    if output_format == "markdown":
        from parkrules.report import render_markdown

        return render_markdown.render(run, lang)
    if output_format == "xlsx":
        from parkrules.report import render_xlsx

        return render_xlsx.render(run, lang)
    from parkrules.authoring import checks

    return _machine_output(output_format, run, checks.from_assessments(run, plans), "parkrules assess")


def _format_for(given: str | None, output: Path | None) -> str:
    """`--format`, else what the output file's suffix names, else the terminal table; a contradiction is a usage
    error (a `report.xlsx` holding JSON would open as a broken workbook)."""
    named = outfile.format_of(output) if output is not None else None
    if given is not None and named is not None and named != given:
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


def _machine_output(output_format: str, run: RunResult | None, found: list[Check], name: str) -> str:
    if output_format == "junit":
        from parkrules.report import render_junit

        return render_junit.render(found, name)
    if output_format == "sarif":
        from parkrules.report import render_sarif

        return render_sarif.render(found)
    from parkrules.report import render_json

    return render_json.render(run)


def _exit_code(run: RunResult) -> int:
    if run.errors or not run.assessments:
        return EXIT_ERROR
    if all(a.verdict.status == "pass" for a in run.assessments if a.standard.kind != "analysis"):
        return EXIT_PASS
    return EXIT_NOT_PASS


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
    columns = ("pack", "version", "kind", "title", "indicators", "derived", "verified", "provisional", "not_encoded")
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
            items = [*pack.indicators, *pack.derived]
            provisional = sum(1 for item in items if item.verification.provisional)
            table.add_row(
                pack.id,
                pack.version,
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


@cli.command("test")
@click.argument("packs", nargs=-1, metavar="[PACK[@VERSION]]...")
@click.option("-k", "name_filter", default=None, help="Run only the cases whose name contains this text.")
@click.option("--coverage", "show_coverage", is_flag=True, help="Report what no case exercises, per pack.")
@click.option(
    "--min-coverage",
    type=click.FloatRange(0, 100),
    default=None,
    metavar="PERCENT",
    help="Fail (exit 1) when a pack's coverage is below PERCENT (implies --coverage).",
)
@click.option("--update", is_flag=True, help="Rewrite the expected values of failing cases to the current results.")
@click.option(
    "--format", "output_format", type=click.Choice(["text", "junit", "sarif"]), default="text", show_default=True
)
@lang_option
@standards_option
def test_command(packs, name_filter, show_coverage, min_coverage, update, output_format, lang, standards_dir) -> None:
    """Run the YAML test cases shipped beside each pack (default: every pack).

    Coverage counts, per pack, each indicator passing and failing, each tier applied, and each
    verdict rule and the verdict passing and failing.

    \b
    Exit codes: 0 every case passes (and coverage is met); 1 some case fails or coverage is
    below --min-coverage; 2 a test file or pack could not be read.
    """
    from parkrules.authoring import checks
    from parkrules.authoring.caseupdate import update_file
    from parkrules.authoring.packcases import case_files
    from parkrules.io.vocabulary import suggest

    lang = lang or default_lang()
    root = standards_dir or bundled_root() / "standards"
    catalog = Catalog(root)
    errors: list[dict] = []
    outcomes: list[CaseOutcome] = []
    for path in case_files(root):
        if packs and not _wanted(path, packs):
            continue
        try:
            found = _run_cases(catalog, path, name_filter)
            updated = update_file(path, found) if update else 0
            if updated:
                click.echo(f"updated {updated} expected value(s) in {path}", err=True)
                found = _run_cases(catalog, path, name_filter)
        except ParkrulesError as exc:
            errors.append({**exc.to_dict(), "park": None})
            continue
        outcomes += found
    if not outcomes and not errors:
        wanted = f" for {', '.join(packs)}" if packs else ""
        hint = "".join(suggest(spec.partition("@")[0], catalog.pack_ids()) for spec in packs)
        errors.append({"file": str(root), "line": None, "field": None, "message": f"no test cases{wanted}{hint}"})
    coverages = _coverages(outcomes) if show_coverage or min_coverage is not None else []
    short = [c for c in coverages if min_coverage is not None and c.percent < min_coverage]
    if output_format == "text":
        _print_cases(outcomes, coverages, lang)
        for coverage in short:
            click.echo(f"coverage of {coverage.pack} is {coverage.percent:.0f} %, below {min_coverage:g} %")
    else:
        click.echo(_machine_output(output_format, None, checks.from_cases(outcomes, errors), "parkrules test"))
    report_errors(errors, lang)
    failed = any(not o.passed for o in outcomes) or short
    sys.exit(EXIT_ERROR if errors else EXIT_NOT_PASS if failed else EXIT_PASS)


def _run_cases(catalog: Catalog, path: Path, name_filter: str | None) -> list[CaseOutcome]:
    from parkrules.authoring.packcases import run_file

    return [o for o in run_file(catalog, path) if not name_filter or name_filter in o.name]


def _coverages(outcomes: list[CaseOutcome]) -> list[Coverage]:
    from parkrules.authoring.casecoverage import measure

    by_pack: dict[str, list[CaseOutcome]] = {}
    for outcome in outcomes:
        by_pack.setdefault(outcome.pack.ref, []).append(outcome)
    return [measure(group[0].pack, group) for group in by_pack.values()]


def _print_cases(outcomes: list[CaseOutcome], coverages: list[Coverage], lang: str) -> None:
    from parkrules.report import render_table

    console = render_table.make_console()
    for outcome in outcomes:
        mark, style = ("✔", "green") if outcome.passed else ("✘", "red")
        console.print(
            f"{mark} {outcome.file}:{outcome.line} {outcome.name}", style=style, markup=False, highlight=False
        )
        for difference in outcome.differences:
            console.print(f"    {difference}", markup=False, highlight=False)
    passed = sum(1 for o in outcomes if o.passed)
    console.print(f"{t('cases_passed', lang)}: {passed} · {t('cases_failed', lang)}: {len(outcomes) - passed}")
    for coverage in coverages:
        console.print(
            f"coverage {coverage.pack}: {coverage.percent:.0f} % ({len(coverage.covered)}/{len(coverage.items)})",
            markup=False,
            highlight=False,
        )
        if coverage.uncovered:
            console.print(
                f"    not exercised: {', '.join(coverage.uncovered)}", markup=False, highlight=False, soft_wrap=True
            )


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--strict", is_flag=True, help="Warnings fail the run too (exit 1).")
@click.option("--codes", "list_codes", is_flag=True, help="Print the table of diagnostic codes and exit.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "junit", "sarif"]),
    default="text",
    show_default=True,
)
@standards_option
def lint(paths, strict, list_codes, output_format, standards_dir) -> None:
    """Check rule packs and their test-case files (default: every bundled pack).

    PATHS are pack files or folders. Packs they require or extend are looked up in the standards
    folder the file sits in, else in --standards (default: the bundled standards). Codes are
    listed in docs/lint-codes.md.

    \b
    Exit codes: 0 no errors (warnings allowed); 1 warnings only, with --strict; 2 errors.
    """
    from parkrules.authoring import checks
    from parkrules.authoring.diagnostics import ERROR, codes_markdown
    from parkrules.authoring.lint import Linter, pack_and_case_files
    from parkrules.report import render_table

    if list_codes:
        click.echo(codes_markdown(), nl=False)
        sys.exit(EXIT_PASS)
    root = standards_dir or bundled_root() / "standards"
    packs_found, cases = pack_and_case_files(paths or [root])
    diagnostics = Linter(root).lint(packs_found, cases)
    errors = sum(1 for d in diagnostics if d.severity == ERROR)
    warnings = len(diagnostics) - errors
    files = [str(path) for path in [*packs_found, *cases]]
    if output_format == "json":
        document = {"files": len(files), "diagnostics": [d.to_dict() for d in diagnostics]}
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
    elif output_format in ("junit", "sarif"):
        click.echo(_machine_output(output_format, None, checks.from_lint(diagnostics, files, strict), "parkrules lint"))
    else:
        console = render_table.make_console()
        for diagnostic in diagnostics:
            style = "red" if diagnostic.severity == ERROR else "yellow"
            console.print(str(diagnostic), style=style, markup=False, highlight=False, soft_wrap=True)
        console.print(
            f"{errors} error(s), {warnings} warning(s) in {len(files)} file(s)", markup=False, highlight=False
        )
    sys.exit(EXIT_ERROR if errors else EXIT_NOT_PASS if strict and warnings else EXIT_PASS)


@cli.command()
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@click.option(
    "--parks",
    "parks_dir",
    type=click.Path(exists=True, path_type=Path),
    help="Park files or a folder of them: show which verdicts and indicators the change moves.",
)
@click.option(
    "--format", "output_format", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True
)
@standards_option
def diff(old, new, parks_dir, output_format, standards_dir) -> None:
    """Compare two versions of a pack: OLD and NEW are ID@VERSION or pack files.

    \b
    Exit codes: 0 no difference; 1 the packs differ; 2 a pack or park could not be read.
    """
    from parkrules.analysis.impact import impact
    from parkrules.authoring.packdiff import diff_packs
    from parkrules.model.plan import compile_plan
    from parkrules.report import render_diff

    catalog = Catalog(standards_dir or bundled_root() / "standards")
    errors: list[dict] = []
    try:
        before, after = (_pack_argument(catalog, spec) for spec in (old, new))
        changes = diff_packs(before, after, catalog)
        effect = None
        if parks_dir is not None:
            effect = impact(
                catalog, compile_plan(catalog, before), compile_plan(catalog, after), expand_paths([parks_dir])
            )
            errors = effect.errors
    except ParkrulesError as exc:
        report_errors([exc.to_dict()], default_lang())
        sys.exit(EXIT_ERROR)
    render = {"text": render_diff.to_text, "markdown": render_diff.to_markdown, "json": render_diff.to_json}
    click.echo(render[output_format](before.ref, after.ref, changes, effect))
    sys.exit(EXIT_ERROR if errors else EXIT_NOT_PASS if changes else EXIT_PASS)


@cli.command("new-pack")
@click.argument("pack_id", metavar="ID")
@click.option("--version", "version", default="0.1", show_default=True, help="Version of the new pack.")
@click.option(
    "--into",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("standards"),
    show_default=True,
    help="Standards folder to create the pack in.",
)
def new_pack_command(pack_id, version, into) -> None:
    """Scaffold a pack: ID/VERSION.yaml with one example indicator, a passing test case, and the
    JSON Schemas editors use (INTO/schemas). Then: parkrules lint INTO/ID; parkrules test ID --standards INTO."""
    from parkrules.authoring.scaffold import new_pack

    try:
        written = new_pack(into, pack_id, version)
    except ParkrulesError as exc:
        report_errors([exc.to_dict()], default_lang())
        sys.exit(EXIT_ERROR)
    for path in written:
        click.echo(f"wrote {path}")


@cli.command("schemas")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("schemas"), show_default=True)
def schemas_command(out) -> None:
    """Write the JSON Schemas (packs, pack tests, parks, factor tables, vocabulary, results) into OUT,
    for editors: put `# yaml-language-server: $schema=<path>/pack-1.json` at the top of a pack."""
    from parkrules.authoring.scaffold import export_schemas

    for path in export_schemas(out):
        click.echo(f"wrote {path}")


def _pack_argument(catalog: Catalog, argument: str):
    """A pack named by ID[@VERSION], or a pack file (resolved against the catalog for what it builds on)."""
    path = Path(argument)
    return catalog.load(path) if path.is_file() else catalog.resolve(argument)


def _wanted(path: Path, packs: tuple[str, ...]) -> bool:
    """A test file belongs to a requested pack when its `pack:` is `ID@VERSION` or `ID` matches."""
    from parkrules.io.yamlsafe import load_file

    try:
        target = str(load_file(path).get("pack", ""))
    except ParkrulesError:
        return True  # let the run report the broken file
    return any(spec in (target, target.partition("@")[0]) for spec in packs)


cli.add_command(template_command)
cli.add_command(convert)
cli.add_command(explain_command)


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
