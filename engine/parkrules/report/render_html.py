"""The HTML report: one self-contained file a park committee can read, print and check.

Jinja2 renders `templates/report.html.j2` from the report view; charts are matplotlib SVGs
inlined as data URIs, the styles are in the page and the fonts are the reader's own, so the file
needs no network.
"""

from __future__ import annotations

from functools import cache

import jinja2

from parkrules.base.i18n import t
from parkrules.model.result import RunResult
from parkrules.report import charts, report_view
from parkrules.report.report_meta import ReportMeta


@cache
def environment() -> jinja2.Environment:
    """Templates shipped in the package, every value HTML-escaped (names and sources are user data).

    `autoescape=True`, not `select_autoescape(["html"])`: that chooses by the file name's last suffix,
    and `report.html.j2` ends in `.j2`, so it rendered unescaped."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("parkrules", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def render(run: RunResult, lang: str, meta: ReportMeta | None = None) -> str:
    """The page; `meta` (date, assessor, pack hashes) heads it where the caller knows the packs' files."""
    report = report_view.build(run, lang, chart=charts.trend_chart)
    return environment().get_template("report.html.j2").render(r=report, m=meta, t=lambda key: t(key, lang))
