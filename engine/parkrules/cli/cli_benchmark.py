"""`parkrules benchmark`: the benchmark park among many, by the transition analysis's rule."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.table import Table
from rich.text import Text

from parkrules.base.i18n import default_lang
from parkrules.cli.cli_options import EXIT_ERROR, EXIT_NOT_PASS, EXIT_PASS, lang_option, report_errors, standards_option
from parkrules.model.catalog import bundled_root


@click.command("benchmark")
@click.argument("parks", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--period", type=int, default=None, help="Year to compare (default: each park's latest year).")
@click.option("--base-year", type=int, default=None, help="Year the decoupling is measured from (as for assess).")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True)
@lang_option
@standards_option
def benchmark_command(parks, period, base_year, output_format, lang, standards_dir):
    """Choose the benchmark park among PARKS (files or folders): among those in strong Tapio decoupling, the least
    sum of ranks of output per capita (high first) and CO2 intensity (low first), as 郑玉雯等 (seed 000) chose it."""
    from parkrules.analysis.assess import RunOptions, assess_parks, compile_standards, expand_paths
    from parkrules.analysis.benchmark_choice import PACK, choose_benchmark
    from parkrules.model.catalog import Catalog
    from parkrules.model.result import RunResult
    from parkrules.report.render_table import make_console

    lang = lang or default_lang()
    catalog = Catalog(standards_dir or bundled_root() / "standards")
    run = RunResult()
    plans = compile_standards(catalog, [PACK], run)
    if plans:
        assess_parks(catalog, plans, expand_paths(parks), period, run, RunOptions(base_year, remedies=False))
    report_errors(run.errors, lang)
    if not run.assessments:
        sys.exit(EXIT_ERROR)
    choice = choose_benchmark(run.assessments)
    if output_format == "json":
        click.echo(json.dumps(_as_dict(choice), ensure_ascii=False, indent=2))
    else:
        table = Table(title="benchmark candidates: strong decoupling, ranked")
        for header in ("park", "year", "output per capita", "rank", "CO2 intensity", "rank", "sum", ""):
            table.add_column(header)
        for c in choice.candidates:
            mark = "✔ benchmark" if choice.chosen is not None and c.park == choice.chosen.park else ""
            table.add_row(
                Text(c.park), str(c.year), f"{c.output_per_capita:,.4g}", str(c.output_rank),
                f"{c.carbon_intensity:,.4g}", str(c.intensity_rank), str(c.rank_sum), mark,
            )  # fmt: skip
        console = make_console()
        console.print(table)
        for park, why in choice.left_out:
            console.print(Text(f"  not a candidate: {park}: {why}"))
        if choice.tied:
            console.print(Text(f"  equal rank sums: {', '.join(choice.tied)} (chosen by lower CO2 intensity)"))
        console.print(Text(f"benchmark: {choice.chosen.file}" if choice.chosen else "no park is a candidate"))
    sys.exit(EXIT_ERROR if run.errors else EXIT_PASS if choice.chosen else EXIT_NOT_PASS)


def _as_dict(choice) -> dict:
    def candidate(c) -> dict:
        return {
            "park": c.park,
            "file": c.file,
            "year": c.year,
            "output_per_capita": c.output_per_capita,
            "output_rank": c.output_rank,
            "carbon_intensity": c.carbon_intensity,
            "intensity_rank": c.intensity_rank,
            "rank_sum": c.rank_sum,
        }

    return {
        "benchmark": candidate(choice.chosen) if choice.chosen else None,
        "candidates": [candidate(c) for c in choice.candidates],
        "tied": list(choice.tied),
        "left_out": [{"park": park, "why": why} for park, why in choice.left_out],
    }
