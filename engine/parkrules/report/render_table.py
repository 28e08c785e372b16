"""The terminal report (rich): one table per park and standard, a verdict line, the accounting.

Renders only: every number comes from the result model. Status words carry a symbol, so the
table reads without colour (CI logs, `NO_COLOR`).
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from parkrules.base.errors import error_line
from parkrules.base.i18n import t
from parkrules.model.result import Assessment, IndicatorResult, RunResult
from parkrules.report import present, render_remedies

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


def _table(assessment: Assessment, lang: str) -> Table:
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
            Text(present.gap_text(result, lang)),
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
        console.print(_table(assessment, lang))
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
    if run.crosswalk:
        console.print(_crosswalk(run, lang))
    if run.assessments:
        console.print(_summary(run, lang))


def _print_rules(assessment: Assessment, console: Console, lang: str) -> None:
    """Each verdict rule with its count, and the score where the pack scores."""
    for rule in assessment.verdict.rules:
        line = "  " + present.rule_line(rule, lang)
        console.print(line, style="dim" if rule.status == "pass" else None, highlight=False, markup=False)
    score = present.score_line(assessment, lang)
    if score is not None:
        console.print("  " + score, highlight=False, markup=False)


def _summary(run: RunResult, lang: str) -> Table:
    """The matrix: each park × standard with its verdict, score and indicator counts."""
    table = Table(title=t("summary", lang), title_justify="left")
    for key in ("park", "pack", "period", "verdict", "score", "passed", "failed", "unknown", "not_applicable"):
        table.add_column(t(key, lang), justify="right" if key in ("passed", "failed", "unknown") else "left")
    for a in run.assessments:
        verdict = Text(present.verdict_word(a, lang), style=VERDICT_STYLE[a.verdict.status])
        scored = a.verdict.score
        score = (
            "—"
            if scored is None
            else f"{scored.total:.1f}" + (f"–{scored.upper:.1f}" if scored.upper > scored.total + 1e-9 else "")
        )
        counts = present.counts(a)
        table.add_row(
            a.park.id,
            f"{a.standard.id}@{a.standard.version}",
            str(a.period),
            verdict,
            score,
            str(counts["pass"]),
            str(counts["fail"]),
            str(counts["unknown"]),
            str(counts["not_applicable"]),
        )
    return table


def _crosswalk(run: RunResult, lang: str) -> Table:
    """Indicators measuring the same quantity in different packs, side by side, disagreements flagged."""
    table = Table(title=t("crosswalk", lang), title_justify="left", show_lines=True)
    for key in ("park", "measure", "pack", "value", "threshold", "status"):
        table.add_column(t(key, lang), overflow="fold")
    for row in run.crosswalk:
        measure = Text(row.name.get(lang))
        if row.disagree:
            measure.append(f"\n{t('disagree', lang)}", style="bold yellow")
        standards, values, thresholds, statuses = [], [], [], Text()
        for entry in row.entries:
            value, threshold = present.crosswalk_cells(entry)
            standards.append(entry.standard)
            values.append(value)
            thresholds.append(threshold)
            if statuses:
                statuses.append("\n")
            statuses.append(t(f"status.{entry.status}", lang), style=STATUS_STYLE[entry.status])
        table.add_row(
            f"{row.park} · {row.period}",
            measure,
            "\n".join(standards),
            "\n".join(values),
            "\n".join(thresholds),
            statuses,
        )
    return table


def render_errors(errors: list[dict], console: Console, lang: str, heading: str = "errors") -> None:
    if not errors:
        return
    console.print(f"{t(heading, lang)} ({len(errors)}):", style="bold red" if heading == "errors" else "bold yellow")
    for error in errors:
        console.print(f"  {error_line(error)}", highlight=False, markup=False, soft_wrap=True)
