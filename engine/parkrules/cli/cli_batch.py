"""`parkrules assess --format jsonl|csv|parquet`: the batch run behind the command line."""

from __future__ import annotations

import contextlib
from pathlib import Path

import click

from parkrules.analysis.assess import compile_standards
from parkrules.base.errors import ParkrulesError, error_line
from parkrules.cli.cli_options import EXIT_ERROR, EXIT_NOT_PASS, EXIT_PASS, not_passing
from parkrules.io import outfile
from parkrules.io.park import load_park
from parkrules.model.catalog import Catalog
from parkrules.model.result import RunResult
from parkrules.run import batchwrite
from parkrules.run.batch import run_batch
from parkrules.run.batchread import batch_inputs


def run(
    catalog: Catalog,
    standards: list[str],
    inputs: list[Path],
    output_format: str,
    output: Path | None,
    options: dict,
) -> int:
    """Assess every park-year of the inputs, stream the results, print a summary; the exit code."""
    if output_format == "parquet" and output is None:
        raise click.UsageError("--format parquet writes a file: give it with --output results.parquet")
    if options["partitioned"] and (output_format != "parquet" or output is None):
        raise click.UsageError("--partitioned writes a folder of Parquet files: give --format parquet --output FOLDER")
    if options["layout"] == "wide" and output_format == "jsonl":
        raise click.UsageError("--layout applies to csv and parquet; JSON Lines has a line per park-year already")
    setup = RunResult()
    try:
        plans = compile_standards(catalog, standards, setup)
        benchmark = None
        if options["benchmark"] is not None:
            benchmark, problems = load_park(options["benchmark"], catalog.vocabulary, catalog.factor_table)
            setup.errors.extend({**p.to_dict(), "park": None} for p in problems)
    except ParkrulesError as exc:
        setup.errors.append({**exc.to_dict(), "park": None})
    for error in setup.errors:
        click.echo(error_line(error), err=True)
    if setup.errors and not plans:
        return EXIT_ERROR
    with contextlib.ExitStack() as finishing:
        # the results go to a temporary file (or folder) beside the output, renamed once the run is complete
        replacing = outfile.new_folder if options["partitioned"] else outfile.replacing
        try:
            target = finishing.enter_context(replacing(output)) if output is not None else None
            written = batchwrite.Output(
                output_format, target, options["layout"], options["compression"], options["partitioned"]
            )
            writer = batchwrite.open_writer(written, plans, catalog.vocabulary)
        except OSError as exc:
            raise click.FileError(str(output), exc.strerror) from exc
        except ParkrulesError as exc:  # a partitioned output's folder that exists already
            click.echo(error_line({**exc.to_dict(), "park": None}), err=True)
            return EXIT_ERROR
        summary = run_batch(
            catalog,
            plans,
            batch_inputs(inputs),
            writer,
            period=options["period"],
            base_year=options["base_year"],
            benchmark=benchmark,
            engine=options["engine"],
            chunk_rows=options["chunk_rows"],
            on_warning=lambda warning: click.echo(f"warning: {error_line(warning)}", err=True),
        )
    facts = summary.as_dict()
    click.echo(
        f"assessed {facts['park_years_assessed']} park-years of {facts['parks_assessed']} parks against "
        f"{len(plans)} packs; {facts['parks_failing_a_standard']} parks fail or cannot be decided on some standard; "
        f"{facts['errors']} errors in {facts['parks_with_errors']} parks (in the output)",
        err=True,
    )
    for pack, counts in facts["verdicts"].items():
        click.echo(f"  {pack}: " + ", ".join(f"{status} {n}" for status, n in counts.items()), err=True)
    for pack, indicators in facts["classes"].items():  # cohorts: development type, decoupling state … by year
        for indicator, by_year in indicators.items():
            years = "; ".join(
                f"{year} " + ", ".join(f"{name} {n}" for name, n in counts.items()) for year, counts in by_year.items()
            )
            click.echo(f"  {pack} · {indicator}: {years}", err=True)
    if setup.errors or summary.errors:
        return EXIT_ERROR
    decided = [p.pack.ref for p in plans if p.pack.kind != "analysis"]
    verdicts = [status for ref in decided for status, n in facts["verdicts"].get(ref, {}).items() if n]
    return EXIT_NOT_PASS if not_passing(verdicts, options["fail_on"]) or not summary.park_years else EXIT_PASS
