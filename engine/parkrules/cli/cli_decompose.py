"""`parkrules decompose`: where a park's change in CO2 between two years came from (LMDI), and its STIRPAT
elasticities over all its years where it has enough."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.table import Table
from rich.text import Text

from parkrules.base.errors import ParkrulesError
from parkrules.base.i18n import default_lang
from parkrules.cli.cli_options import EXIT_ERROR, EXIT_PASS, lang_option, report_errors, standards_option
from parkrules.model.catalog import bundled_root

PACK = "cn-national-zero-carbon-park"  # a standard whose accounting method counts park CO2 as 附件4 does


@click.command("decompose")
@click.argument("park_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="PARK")
@click.option("--from", "start", type=int, default=None, help="First year (default: the park's first).")
@click.option("--to", "end", type=int, default=None, help="Last year (default: the park's latest).")
@click.option("--standard", "-s", "standard", default=PACK, show_default=True, help="The pack whose accounting counts.")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True)
@lang_option
@standards_option
def decompose_command(park_file, start, end, standard, output_format, lang, standards_dir):
    """Split PARK's change in CO2 from --from to --to into output, energy-intensity, energy-mix and emission-factor
    effects (additive LMDI, exact), and fit STIRPAT elasticities over its years (descriptive, six years or more)."""
    from parkrules.analysis.assess import compile_standards
    from parkrules.analysis.decompose import decompose, park_quantities
    from parkrules.analysis.stirpat import MIN_YEARS, fit, park_rows
    from parkrules.io.park import load_park
    from parkrules.model.catalog import Catalog
    from parkrules.model.result import RunResult

    lang = lang or default_lang()
    catalog = Catalog(standards_dir or bundled_root() / "standards")
    run = RunResult()
    try:
        plans = compile_standards(catalog, [standard], run)
        park, errors = load_park(park_file, catalog.vocabulary, catalog.factor_table)
        run.errors += [{**error.to_dict(), "park": None} for error in errors]
        if park is not None and plans and not run.errors:
            first, last = start or min(park.years), end or max(park.years)
            absent = [year for year in (first, last) if year not in park.years]
            if absent or first >= last:
                years = sorted(park.years)
                raise click.BadParameter(f"--from and --to must be two of the park's years, in order: {years}")
            result = decompose(plans[0], park, first, park, last)
            stirpat = fit(park_rows({year: park_quantities(plans[0], park, year) for year in park.years}))
    except ParkrulesError as exc:
        run.errors.append({**exc.to_dict(), "park": None})
    if run.errors:
        report_errors(run.errors, lang)
        sys.exit(EXIT_ERROR)
    assert park is not None  # loaded without errors
    if output_format == "json":
        document = {
            "park": park.id,
            "from": first,
            "to": last,
            "start": result.start,
            "end": result.end,
            "effects": [{"id": e.id, "tco2": e.value} for e in result.effects],
            "stirpat": None
            if stirpat is None
            else {"years": list(stirpat.years), "coefficients": stirpat.coefficients, "r_squared": stirpat.r_squared},
        }
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
        sys.exit(EXIT_PASS)
    from parkrules.report.render_table import make_console

    console = make_console()
    table = Table(title=f"{park.id}: park CO2 {first} → {last}, {result.start:,.0f} → {result.end:,.0f} tCO2")
    table.add_column("effect")
    table.add_column("tCO2", justify="right")
    for effect in result.effects:
        table.add_row(Text(effect.name.zh if lang == "zh" else effect.name.en), f"{effect.value:+,.0f}")
    console.print(table)
    if stirpat is None:
        console.print(f"STIRPAT: needs {MIN_YEARS} years with output, GDP, energy and coal; this park has fewer")
    else:
        shown = ", ".join(f"{key} {value:+.3g}" for key, value in stirpat.coefficients.items())
        console.print(f"STIRPAT ({len(stirpat.years)} years, R² {stirpat.r_squared:.2f}, descriptive): {shown}")
    sys.exit(EXIT_PASS)
