"""The Markdown report, for pull requests and e-mails: the HTML report's tables, without charts."""

from __future__ import annotations

from functools import cache

import jinja2
from parkrules import report_view
from parkrules.i18n import t
from parkrules.result import RunResult


def cell(text: object) -> str:
    """Text that cannot break a Markdown table: pipes escaped, line breaks as spaces."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("parkrules", "templates"),
        autoescape=False,  # Markdown, not HTML: table cells are escaped by the `md` filter instead
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["md"] = cell
    return env


def render(run: RunResult, lang: str) -> str:
    report = report_view.build(run, lang)
    return environment().get_template("report.md.j2").render(r=report, t=lambda key: t(key, lang))
