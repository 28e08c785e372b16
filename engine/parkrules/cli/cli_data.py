"""Data-entry commands: `parkrules template` writes the workbook, `parkrules convert` moves a park between formats."""

from __future__ import annotations

import datetime
import sys
from dataclasses import replace
from pathlib import Path

import click

from parkrules.analysis.assess import compile_standards
from parkrules.authoring import template
from parkrules.base.errors import Location, ParkrulesError
from parkrules.base.i18n import default_lang
from parkrules.cli.cli_options import EXIT_ERROR, EXIT_PASS, report_errors, standards_choice, standards_option
from parkrules.io import outfile, parkio
from parkrules.io.park import load_park
from parkrules.model.catalog import Catalog, bundled_root
from parkrules.model.result import RunResult

_OUTPUT_SUFFIXES = (".xlsx", ".csv")


@click.command("template")
@standards_choice("Pack whose facts to ask for (repeatable; default: every bundled standard).")
@click.option(
    "--year",
    "years",
    type=click.IntRange(1900, 2100),
    multiple=True,
    help="Year to collect (repeatable; default: last year).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("park-data.xlsx"),
    show_default=True,
    help="The workbook to write (.xlsx, or .csv for the same columns).",
)
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
@standards_option
def template_command(standards, years, output, force, standards_dir) -> None:
    """Write a data-entry workbook for a park: one row per fact the chosen packs read, per year."""
    lang = default_lang()
    _check_output(output, force, _OUTPUT_SUFFIXES)
    try:
        outfile.refuse_inputs(output, [standards_dir or bundled_root() / "standards"])
    except ParkrulesError as exc:
        raise click.BadParameter(exc.message, param_hint="--output") from exc
    run = RunResult()
    catalog = Catalog(standards_dir or bundled_root() / "standards")
    plans = compile_standards(catalog, list(standards), run)
    if run.errors or not plans:
        report_errors(run.errors, lang)
        sys.exit(EXIT_ERROR)
    wanted = sorted(set(years)) or [datetime.date.today().year - 1]
    rows = template.rows(plans, catalog.vocabulary, wanted)
    readme = template.readme(plans, wanted)
    try:
        with outfile.replacing(output) as temporary:
            if output.suffix.lower() == ".xlsx":
                parkio.write_workbook(temporary, rows, catalog.vocabulary, readme)
            else:
                parkio.write_csv(temporary, rows)
    except OSError as exc:
        raise click.FileError(str(output), exc.strerror) from exc
    facts = len(template.needed_facts(plans, catalog.vocabulary))
    click.echo(f"wrote {output}: {facts} facts × {len(wanted)} year(s) for {', '.join(p.pack.ref for p in plans)}")
    sys.exit(EXIT_PASS)


@click.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The file to write; its suffix picks the format (.yaml, .json, .xlsx, .csv).",
)
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
@standards_option
def convert(source, output, force, standards_dir) -> None:
    """Convert a park file between YAML, JSON, Excel and CSV; the park is checked first, so what is written loads."""
    lang = default_lang()
    _check_output(output, force, parkio.PARK_SUFFIXES)
    try:
        outfile.refuse_inputs(output, [source, standards_dir or bundled_root() / "standards"])
    except ParkrulesError as exc:
        raise click.BadParameter(exc.message, param_hint="--output") from exc
    catalog = Catalog(standards_dir or bundled_root() / "standards")
    try:
        park, errors = load_park(source, catalog.vocabulary, catalog.factor_table)
        if park is not None:
            document = parkio.read(source)[0]
            with outfile.replacing(output) as temporary:
                parkio.write(document, temporary, catalog.vocabulary)
    except ParkrulesError as exc:  # a problem of the document being written is located in the source file
        errors = [exc if exc.location.file else ParkrulesError(exc.message, replace(exc.location, file=str(source)))]
    except OSError as exc:
        errors = [ParkrulesError(f"cannot write: {exc.strerror}", Location(str(output)))]
    if errors:
        report_errors([{**error.to_dict(), "park": None} for error in errors], lang)
        sys.exit(EXIT_ERROR)
    click.echo(f"wrote {output}")
    sys.exit(EXIT_PASS)


def _check_output(output: Path, force: bool, suffixes: tuple[str, ...]) -> None:
    if output.suffix.lower() not in suffixes:
        raise click.BadParameter(f"the file name must end in {', '.join(suffixes)}", param_hint="--output")
    if output.exists() and not force:
        raise click.BadParameter(f"{output} exists; add --force to overwrite it", param_hint="--output")
