"""`parkrules explain`: one indicator's computation as a tree, from the formula down to the park's facts."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from parkrules import api
from parkrules.base.errors import ParkrulesError
from parkrules.base.i18n import default_lang
from parkrules.cli.cli_options import EXIT_ERROR, EXIT_PASS, lang_option, report_errors, standards_option
from parkrules.model.catalog import bundled_root
from parkrules.report.explain import Node

if TYPE_CHECKING:
    from rich.tree import Tree


@click.command("explain")
@click.argument("park_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="PARK")
@click.option("--standard", "-s", "standard", required=True, metavar="ID[@VERSION]", help="The pack.")
@click.option("--indicator", "-i", "indicator", required=True, metavar="ID", help="The indicator to explain.")
@click.option("--period", type=int, default=None, help="Year (default: the park's latest year).")
@click.option("--base-year", type=int, default=None, help="Year that base(x) reads (as for assess).")
@click.option(
    "--benchmark",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Benchmark park file (as for assess).",
)
@click.option("--format", "output_format", type=click.Choice(["tree", "json"]), default="tree", show_default=True)
@lang_option
@standards_option
def explain_command(park_file, standard, indicator, period, base_year, benchmark, output_format, lang, standards_dir):
    """Show how PARK's INDICATOR was computed: formula, inputs with values, units and sources, factors with
    their tables, and the status and threshold that applied."""
    lang = lang or default_lang()
    errors: list[dict] = []
    tree: Node | None = None
    try:
        tree = api.explain(park_file, standard, indicator, period=period, base_year=base_year, benchmark=benchmark,
                           lang=lang, standards_dir=standards_dir or bundled_root() / "standards")  # fmt: skip
    except ParkrulesError as exc:
        errors.append({**exc.to_dict(), "park": None})
    if tree is None:
        report_errors(errors, lang)
        sys.exit(EXIT_ERROR)
    if output_format == "json":
        click.echo(json.dumps(tree.to_dict(), ensure_ascii=False, indent=2))
    else:
        from parkrules.report.render_table import make_console  # rich's tables load only for this command's tree

        make_console().print(_rich(tree), highlight=False)
    sys.exit(EXIT_PASS)


def _rich(node: Node, into: Tree | None = None) -> Tree:
    """The tree for the terminal; labels are plain text (no rich markup read from pack or park data)."""
    from rich.text import Text
    from rich.tree import Tree

    branch = Tree(Text(node.label)) if into is None else into.add(Text(node.label))
    for child in node.children:
        _rich(child, branch)
    return branch
