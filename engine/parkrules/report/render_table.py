"""The terminal report (rich): one table per park and standard, a verdict line, the accounting.

Renders only: every number comes from the result model. Status words carry a symbol, so the
table reads without colour (CI logs, `NO_COLOR`).
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import groupby

from rich.console import Console
from rich.table import Table
from rich.text import Text

from parkrules.base.errors import error_line
from parkrules.base.i18n import t
from parkrules.base.names import Names
from parkrules.model.result import Assessment, IndicatorResult, RunResult
from parkrules.report import present, render_remedies, report_view

STATUS_STYLE = {
    "pass": "green",
    "fail": "red",
    "missing": "yellow",
    "not_applicable": "dim",
    "error": "magenta",
    "classified": "cyan",
}
VERDICT_STYLE = {"pass": "bold green", "fail": "bold red", "incomplete": "bold yellow", "not_applicable": "bold"}


def make_console(stderr: bool = False) -> Console:
    """A console for the terminal; piped or CI output gets a wide page so ids are never cut."""
    console = Console(stderr=stderr)
    if not console.is_terminal:
        console = Console(stderr=stderr, width=max(console.width, 200))
    return console


def _threshold(result: IndicatorResult, lang: str) -> Text:
    text = present.threshold_text(result, lang)
    if result.state is not None and result.state.meaning is not None:
        return Text(text, style="dim")
    tier = present.tier_text(result, lang)
    return Text.assemble(text, "\n", (tier, "dim")) if tier else Text(text)


def _table(assessment: Assessment, lang: str, names: Mapping[str, Names]) -> Table:
    title = (
        f"{assessment.park.name.get(lang)} · {assessment.standard.title.get(lang)} "
        f"({assessment.standard.id}@{assessment.standard.version}) · {assessment.period}"
    )
    table = Table(title=title, title_justify="left", show_lines=False, expand=False)
    trends = any(result.trend for result in assessment.indicators)
    for key in ("indicator", "role", "value", "threshold", "status", "gap", *(("trend",) if trends else ())):
        table.add_column(t(key, lang), overflow="fold")
    for result in assessment.indicators:
        name = result.name.get(lang) + (" †" if result.provisional else "")
        status = Text(present.status_text(result, lang), style=STATUS_STYLE[result.status])
        table.add_row(
            Text(name),
            t(f"role.{result.role}", lang),
            Text(present.value_text(result, lang)),
            _threshold(result, lang),
            status,
            Text(present.gap_text(result, lang, names)),
            *((Text(present.trend_text(result, lang)),) if trends else ()),
        )
    return table


def _accounting_line(assessment: Assessment, lang: str) -> str:
    parts = []
    for derived in assessment.derived:
        if not derived.headline:
            continue
        parts.append(present.derived_text(derived, lang))
    assumed = {name for d in assessment.derived for name in d.assumed_zero}
    line = f"{t('accounting', lang)}: " + " · ".join(parts)
    if assumed:
        line += f" · {len(assumed)} {t('assumed_zero', lang)}"
    return line


def render(run: RunResult, console: Console, lang: str) -> None:
    for assessment in run.assessments:
        console.print(_table(assessment, lang, run.names))
        verdict = assessment.verdict
        console.print(
            Text(
                f"{t('verdict', lang)}: {present.verdict_word(assessment, lang)}", style=VERDICT_STYLE[verdict.status]
            ),
            Text(f" — {verdict.reason.get(lang)}"),
        )
        _print_rules(assessment, console, lang)
        for line in render_remedies.lines(assessment, lang):
            console.print(line, highlight=False, markup=False)
        console.print(_accounting_line(assessment, lang), style="dim", highlight=False)
        for factor in assessment.factors:
            if factor.headline and not factor.overridden and factor.value is not None:
                mark = f" ({t('provisional', lang)})" if factor.provisional else ""
                console.print(
                    f"{t('basis', lang)}: {factor.id} = {factor.value:g} {factor.unit}{mark} — {factor.source}",
                    style="dim",
                    highlight=False,
                )
            if factor.overridden:
                console.print(
                    f"{t('override', lang)}: {factor.id} = {factor.value:g} {factor.unit} ({factor.source})",
                    style="cyan",
                    highlight=False,
                )
        if any(result.provisional for result in assessment.indicators):
            console.print(t("provisional_note", lang), style="dim", highlight=False)
        console.print()
    view = report_view.build(run, lang)
    if view.crosswalk:
        console.print(_crosswalk(view.crosswalk, lang))
    if view.summary:
        console.print(_summary(view.summary, lang))


def _print_rules(assessment: Assessment, console: Console, lang: str) -> None:
    """Each verdict rule with its count, and the score where the pack scores."""
    for rule in assessment.verdict.rules:
        line = "  " + present.rule_line(rule, lang)
        console.print(line, style="dim" if rule.status == "pass" else None, highlight=False, markup=False)
    score = present.score_line(assessment, lang)
    if score is not None:
        console.print("  " + score, highlight=False, markup=False)


def _summary(rows: list[dict], lang: str) -> Table:
    """The matrix: each park × standard with its verdict, score and indicator counts (the report view's rows)."""
    table = Table(title=t("summary", lang), title_justify="left")
    for key in ("park", "pack", "period", "verdict", "score", "passed", "failed", "unknown", "not_applicable"):
        table.add_column(t(key, lang), justify="right" if key in ("passed", "failed", "unknown") else "left")
    for row in rows:
        table.add_row(
            row["park"],
            row["standard"],
            str(row["period"]),
            Text(row["verdict_text"], style=VERDICT_STYLE[row["verdict"]]),
            row["score_range"],
            *(str(row[key]) for key in ("pass", "fail", "unknown", "not_applicable")),
        )
    return table


def _crosswalk(rows: list[dict], lang: str) -> Table:
    """Indicators measuring the same quantity in different packs, side by side, disagreements flagged: the report
    view's rows (one per pack's indicator), one table row per park, year and measure."""
    table = Table(title=t("crosswalk", lang), title_justify="left", show_lines=True)
    for key in ("park", "measure", "pack", "value", "threshold", "status"):
        table.add_column(t(key, lang), overflow="fold")
    for (park, period, name, disagree), group in groupby(
        rows, key=lambda row: (row["park"], row["period"], row["measure"], row["disagree"])
    ):
        entries = list(group)
        measure = Text(name)
        if disagree:
            measure.append(f"\n{t('disagree', lang)}", style="bold yellow")
        statuses = Text()
        for entry in entries:
            if statuses:
                statuses.append("\n")
            statuses.append(entry["status_text"], style=STATUS_STYLE[entry["status"]])
        table.add_row(
            f"{park} · {period}",
            measure,
            *("\n".join(entry[key] for entry in entries) for key in ("standard", "value", "threshold")),
            statuses,
        )
    return table


def render_errors(errors: list[dict], console: Console, lang: str, heading: str = "errors") -> None:
    if not errors:
        return
    console.print(f"{t(heading, lang)} ({len(errors)}):", style="bold red" if heading == "errors" else "bold yellow")
    for error in errors:
        console.print(f"  {error_line(error)}", highlight=False, markup=False, soft_wrap=True)
