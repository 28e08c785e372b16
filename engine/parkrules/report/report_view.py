"""The report as rows of words and numbers, built once for every document format (HTML, Markdown, Excel).

Renders only: every number comes from the result model, through `present`, so the HTML page, the
Markdown text and the workbook say the same thing as the terminal table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from parkrules import __version__
from parkrules.base.errors import error_line
from parkrules.base.i18n import t
from parkrules.base.names import Names
from parkrules.model.result import Assessment, IndicatorResult, RunResult
from parkrules.report import present, render_remedies

BAR_HEADROOM = 1.15  # the longer of value and threshold fills this fraction less than the whole bar


@dataclass(frozen=True)
class IndicatorRow:
    id: str
    name: str
    provisional: bool
    rests_on: str | None
    clause: str
    role: str
    value: str
    number: float | None  # the value where it is a number, for spreadsheets
    unit: str
    threshold: str
    tier: str
    status: str  # the status key: pass, fail, missing, not_applicable, error, classified
    status_text: str
    gap: str
    operator: str | None  # the applied threshold's operator and limit, for spreadsheets
    limit: float | str | None  # a number where the limit is one
    gap_number: float | None  # the gap (positive: shortfall) in the indicator's unit
    trend: str
    bar: tuple[float, float] | None  # value and threshold as % of the bar's width
    chart: str | None  # a data URI (HTML only)


@dataclass(frozen=True)
class Remedies:
    indicator: str
    works: list[str]
    alone: list[str]


@dataclass(frozen=True)
class Section:
    """One park × standard."""

    park: str
    park_name: str
    period: int
    standard: str
    title: str
    document: str
    edition: str  # why this edition decided (chosen by year), or empty
    kind: str
    verdict: str  # pass, fail, incomplete, not_applicable
    verdict_text: str
    reason: str
    rules: list[str]
    score: str | None
    rows: list[IndicatorRow]
    remedies: list[Remedies]
    accounting: list[str]
    factors: list[dict]
    provisional: bool


@dataclass(frozen=True)
class Report:
    lang: str
    version: str
    sections: list[Section]
    summary: list[dict]
    crosswalk: list[dict]
    facts: list[dict]
    factor_tables: list[dict]  # per pack: the table factors its formulas used
    overrides: list[dict]  # park-specific factors, each with its park and source
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # what the park was assessed with but should hear about


def build(run: RunResult, lang: str, chart: Callable[[IndicatorResult], str | None] | None = None) -> Report:
    """The report's content; `chart` draws an indicator over the years (HTML passes one, text formats do not)."""
    sections = [_section(a, lang, chart, run.names, run.editions) for a in run.assessments]
    tables: dict[str, dict] = {}
    for section in sections:
        tables.setdefault(
            section.standard,
            {
                "standard": section.standard,
                "title": section.title,
                # a table factor with no value decided nothing here (one a result needed is among its missing
                # inputs): counted, not listed, so the table shows the numbers that were used
                "factors": [f for f in section.factors if not f["overridden"] and f["number"] is not None],
                "without_value": sum(1 for f in section.factors if not f["overridden"] and f["number"] is None),
            },
        )
    return Report(
        lang=lang,
        version=__version__,
        sections=sections,
        summary=[_summary_row(a, lang) for a in run.assessments],
        crosswalk=_crosswalk(run, lang),
        facts=_facts(run, lang),
        factor_tables=[table for table in tables.values() if table["factors"]],
        overrides=[
            {"park": s.park, "standard": s.standard, **f} for s in sections for f in s.factors if f["overridden"]
        ],
        errors=[error_line(error) for error in run.errors],
        warnings=[error_line(warning) for warning in run.warnings],
    )


def _section(a: Assessment, lang: str, chart, names: Mapping[str, Names], editions: Mapping[str, str]) -> Section:
    verdict = a.verdict
    return Section(
        park=a.park.id,
        park_name=a.park.name.get(lang),
        period=a.period,
        standard=f"{a.standard.id}@{a.standard.version}",
        title=a.standard.title.get(lang),
        document=a.standard.document,
        edition=editions.get(f"{a.standard.id}@{a.standard.version}", ""),
        kind=a.standard.kind,
        verdict=verdict.status,
        verdict_text=present.verdict_word(a, lang),
        reason=verdict.reason.get(lang),
        rules=[present.rule_line(rule, lang) for rule in verdict.rules],
        score=present.score_line(a, lang),
        rows=[_row(result, lang, chart, names) for result in a.indicators],
        remedies=[Remedies(*item) for item in render_remedies.by_indicator(a, lang)],
        accounting=[present.derived_text(d, lang) for d in a.derived if d.headline],
        factors=[
            {
                "id": f.id,
                "name": names[f.id].get(lang) if f.id in names else "",
                "value": "—" if f.value is None else f"{f.value:g}",
                "number": f.value,
                "unit": f.unit,
                "table": f.table,
                "source": f.source,
                "overridden": f.overridden,
                "provisional": f.provisional,
            }
            for f in a.factors
        ],
        provisional=any(result.provisional for result in a.indicators),
    )


def _row(result: IndicatorResult, lang: str, chart, names: Mapping[str, Names]) -> IndicatorRow:
    number = result.value if isinstance(result.value, (int, float)) and not isinstance(result.value, bool) else None
    return IndicatorRow(
        id=result.id,
        name=result.name.get(lang),
        provisional=result.provisional,
        rests_on=result.rests_on,
        clause=result.clause,
        role=t(f"role.{result.role}", lang),
        value=present.value_text(result, lang),
        number=number,
        unit=result.unit,
        threshold=present.threshold_text(result, lang),
        tier=present.tier_text(result, lang),
        status=result.status,
        status_text=present.status_text(result, lang),
        gap=present.gap_text(result, lang, names),
        operator=result.threshold.operator if result.threshold else None,
        limit=_limit(result),
        gap_number=result.gap.absolute if result.gap else None,
        trend=present.trend_text(result, lang),
        bar=bar(result),
        chart=chart(result) if chart else None,
    )


def _limit(result: IndicatorResult) -> float | str | None:
    if result.threshold is None:
        return None
    limit = result.threshold.value
    if isinstance(limit, bool):
        return "yes" if limit else "no"
    return float(limit) if isinstance(limit, int | float) else str(limit)


def bar(result: IndicatorResult) -> tuple[float, float] | None:
    """Value and threshold as percentages of one bar, where both are non-negative numbers."""
    value, applied = result.value, result.threshold
    if applied is None or not (_non_negative(value) and _non_negative(applied.value)):
        return None
    limit = applied.value
    assert isinstance(value, (int, float)) and isinstance(limit, (int, float))
    top = max(value, limit) * BAR_HEADROOM
    if top == 0:
        return None
    return round(100 * value / top, 1), round(100 * limit / top, 1)


def _non_negative(x: object) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and x >= 0


def _summary_row(a: Assessment, lang: str) -> dict:
    counts = present.counts(a)
    scored = a.verdict.score
    return {
        "park": a.park.id,
        "park_name": a.park.name.get(lang),
        "standard": f"{a.standard.id}@{a.standard.version}",
        "title": a.standard.title.get(lang),
        "period": a.period,
        "verdict": a.verdict.status,
        "verdict_text": present.verdict_word(a, lang),
        "score": None if scored is None else round(scored.total, 1),
        "score_range": present.score_range(a),
        "score_earlier": present.earlier_scores(a),
        "deciding": _deciding(a, lang),
        **counts,
    }


def _deciding(a: Assessment, lang: str) -> str:
    """The indicators that kept the verdict from a pass (failing, unknown or not applying under a rule that did
    not pass), by name."""
    names = {result.id: result.name.get(lang) for result in a.indicators}
    ids = dict.fromkeys(i for rule in a.verdict.rules if rule.status != "pass" for i in rule.ids)
    return ("、" if lang == "zh" else ", ").join(names.get(i, i) for i in ids)


def _crosswalk(run: RunResult, lang: str) -> list[dict]:
    rows = []
    for row in run.crosswalk:
        for entry in row.entries:
            value, threshold = present.crosswalk_cells(entry)
            rows.append(
                {
                    "park": row.park,
                    "period": row.period,
                    "measure": row.name.get(lang),
                    "disagree": row.disagree,
                    "standard": entry.standard,
                    "indicator": entry.name.get(lang),
                    "value": value,
                    "threshold": threshold,
                    "status": entry.status,
                    "status_text": t(f"status.{entry.status}", lang),
                }
            )
    return rows


def _facts(run: RunResult, lang: str) -> list[dict]:
    return [
        {
            "park": park.id,
            "year": fact.year,
            "id": fact.id,
            "name": fact.name.get(lang),
            "given": fact.given,
            "read_as": f"{present.plain(fact.value)} {fact.unit}".strip()
            if fact.unit != "1"
            else present.plain(fact.value),
            "source": fact.source or "",
        }
        for park in run.parks
        for fact in park.facts
    ]
