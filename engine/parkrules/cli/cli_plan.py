"""`parkrules plan`: the least-cost measures, sizes and years for a park to pass the chosen packs."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from parkrules.analysis.targets import parse_target
from parkrules.base.errors import ParkrulesError
from parkrules.base.i18n import default_lang
from parkrules.cli.cli_options import (
    EXIT_ERROR,
    EXIT_NOT_PASS,
    EXIT_PASS,
    lang_option,
    report_errors,
    standards_choice,
    standards_option,
)
from parkrules.io import outfile, units
from parkrules.model.catalog import bundled_root

_RATE = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*(%?)\s*$")


def _rate(text: str, option: str) -> float:
    match = _RATE.match(text)
    if match is None:
        raise click.BadParameter(f"{text!r} is not a rate such as 5% or 0.05", param_hint=option)
    value = float(match.group(1))
    return value / 100 if match.group(2) else value


def _growth(values: tuple[str, ...]) -> dict[str, float]:
    out = {}
    for text in values:
        key, _, rate = text.partition("=")
        if not key.strip() or not rate:
            raise click.BadParameter(f"{text!r}: give KEY=RATE, such as output=5%", param_hint="--growth")
        out[key.strip()] = _rate(rate, "--growth")
    return out


def _amount(text: str | None) -> float | None:
    """A sum of money: a number of yuan, or with a unit such as 万元 or 亿元."""
    if text is None:
        return None
    match = re.match(r"^\s*(\d+(?:\.\d+)?)\s*(\S*)\s*$", text)
    if match is None:
        raise click.BadParameter(f"{text!r} is not an amount such as 5亿元", param_hint="--budget")
    try:
        return units.convert(float(match.group(1)), match.group(2) or "元", "元")
    except units.UnitError as exc:
        raise click.BadParameter(f"{text!r}: {exc}", param_hint="--budget") from exc


@click.command("plan")
@click.argument("park_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="PARK")
@standards_choice("The packs to pass (repeat for several).")
@click.option("--target-year", type=int, required=True, help="The year every pack must pass by.")
@click.option("--milestone", "milestones", type=int, multiple=True, help="A year to pass in as well (repeatable).")
@click.option("--budget", default=None, help="Capital that may be spent, e.g. 5亿元 (default: no limit).")
@click.option("--growth", multiple=True, metavar="KEY=RATE", help="Yearly growth: output=5% (every amount) or FACT=2%.")
@click.option("--discount-rate", default="0%", show_default=True, help="Rate costs are discounted at, e.g. 6%.")
@click.option(
    "--target",
    "targets",
    multiple=True,
    metavar="TARGET",
    help="Also reach: QUANTITY<=VALUE, QUANTITY>=VALUE or QUANTITY-50% (a cut from the latest year), optionally "
    "@YEAR; e.g. e_park-50%@2030 or e_park_net_of_offsets<=0.",
)
@click.option("--measures", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="A measure library.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json", "html", "xlsx"]),
    default="table",
    show_default=True,
    help="xlsx needs --output.",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the report here.")
@click.option("--write-park", type=click.Path(dir_okay=False, path_type=Path), help="Write the planned park file here.")
@lang_option
@standards_option
def plan_command(
    park_file,
    standards,
    target_year,
    milestones,
    budget,
    growth,
    discount_rate,
    targets,
    measures,
    output_format,
    output,
    write_park,
    lang,
    standards_dir,
):
    """Plan how PARK passes every chosen standard by --target-year (and at each --milestone) at least discounted
    cost, from a measure library; the plan is checked by assessing the planned park with the real packs."""
    from parkrules import api

    lang = lang or default_lang()
    root = standards_dir or bundled_root() / "standards"
    request_budget, rates = _amount(budget), _growth(growth)
    try:
        for text in targets:
            parse_target(text)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--target") from exc
    rate = _rate(discount_rate, "--discount-rate")
    if not standards:
        raise click.BadParameter("name at least one pack to pass", param_hint="--standard")
    if output_format == "xlsx" and output is None:
        raise click.BadParameter("a workbook is written to a file: give --output FILE.xlsx", param_hint="--format")
    errors: list[dict] = []
    try:
        for path in (output, write_park):
            if path is not None:
                outfile.refuse_inputs(path, [park_file, root, *([measures] if measures else [])])
        outcome = api.plan(
            park_file,
            list(standards),
            target_year=target_year,
            milestones=milestones,
            growth=rates,
            discount_rate=rate,
            budget=request_budget,
            targets=targets,
            measures=measures,  # None: the bundled library (api.DEFAULT_LIBRARY)
            standards_dir=root,
        )
    except ParkrulesError as exc:
        errors.append({**exc.to_dict(), "park": None})
    if errors:
        report_errors(errors, lang)
        sys.exit(EXIT_ERROR)
    _show(outcome, output_format, output, lang)
    if write_park is not None:
        from parkrules.io.parkwrite import write_park as write

        note = f"planned by parkrules plan to {target_year} with {outcome.library}; verified: {outcome.verified}"
        write(outcome.park, api.catalog(root).vocabulary, write_park, note)
        click.echo(f"wrote {write_park}", err=True)
    sys.exit(EXIT_PASS if outcome.verified else EXIT_NOT_PASS)


def _show(outcome, output_format: str, output: Path | None, lang: str) -> None:
    from parkrules.report import render_plan
    from parkrules.report.render_table import make_console

    if output_format == "xlsx":
        from parkrules.report import render_plan_xlsx

        assert output is not None  # checked with the options
        with outfile.replacing(output) as temporary:
            temporary.write_bytes(render_plan_xlsx.render(outcome, lang))
        return
    if output_format in ("json", "html"):
        if output_format == "json":
            text = render_plan.render_json(outcome)
        else:
            from parkrules.report import render_plan_html

            text = render_plan_html.render(outcome, lang)
        if output is None:
            click.echo(text)
        else:
            with outfile.replacing(output) as temporary:
                temporary.write_text(text + "\n", encoding="utf-8")
        return
    if output is None:
        render_plan.render_terminal(outcome, make_console(), lang)
        return
    from rich.console import Console

    with outfile.replacing(output) as temporary, temporary.open("w", encoding="utf-8") as handle:
        render_plan.render_terminal(outcome, Console(file=handle, width=160, color_system=None), lang)
