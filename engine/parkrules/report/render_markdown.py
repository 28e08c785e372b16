"""The Markdown report, for pull requests and e-mails: the HTML report's tables, without charts."""

from __future__ import annotations

from functools import cache

import jinja2

from parkrules.base.i18n import t
from parkrules.model.result import RunResult
from parkrules.report import report_view

# HTML's own characters become entities (no tag, no entity of the user's); Markdown's link, image, code
# and emphasis marks and the table pipe are backslash-escaped; line breaks become spaces, so user text
# stays inside its table cell or line. A report posted as a pull-request comment then cannot inject.
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MARKDOWN = "\\`*_[]|!"
_ESCAPES = str.maketrans({**_ENTITIES, **{mark: "\\" + mark for mark in _MARKDOWN}, "\n": " ", "\r": " "})


def cell(text: object) -> str:
    """User (or any) text made inert in Markdown: it shows as itself, in its table cell or line."""
    return str(text).translate(_ESCAPES)


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
