"""Numbers, statuses and trends as words: the text every report format shows (terminal, HTML, Markdown, Excel).

Renders only: every number comes from the result model.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from parkrules.base.i18n import t
from parkrules.base.names import Names
from parkrules.model.result import Assessment, CrosswalkEntry, DerivedResult, IndicatorResult, RuleOutcome


def number(value: float) -> str:
    magnitude = abs(value)
    if magnitude >= 1000:
        return f"{value:,.0f}"
    if magnitude >= 100:
        return f"{value:.1f}"
    return f"{value:.4g}"


def derived_text(derived: DerivedResult, lang: str) -> str:
    """`e_park = 4,195,000 tCO2`, or the status word where it could not be computed."""
    shown = number(derived.value) if derived.value is not None else t(f"status.{derived.status}", lang)
    return f"{derived.id} = {shown} {derived.unit}"


def value_text(result: IndicatorResult, lang: str) -> str:
    if result.value is None:
        return "—"
    if isinstance(result.value, bool):
        return t("yes" if result.value else "no", lang)
    if isinstance(result.value, (int, float)):
        unit = "" if result.unit == "1" else f" {result.unit}"
        return number(result.value) + unit
    return str(result.value)


def threshold_text(result: IndicatorResult, lang: str) -> str:
    """`<= 0.2 tCO2/tce`, a class's meaning for a classification, or `—`."""
    applied = result.threshold
    if result.state is not None and result.state.meaning is not None:
        return result.state.meaning.get(lang)
    if applied is None:
        return "—"
    if isinstance(applied.value, bool):
        return f"= {t('yes' if applied.value else 'no', lang)}"
    unit = "" if result.unit == "1" else f" {result.unit}"
    shown = f"{applied.value:g}" if isinstance(applied.value, (int, float)) else str(applied.value)
    return f"{applied.operator} {shown}{unit}"


def tier_text(result: IndicatorResult, lang: str) -> str:
    applied = result.threshold
    return "" if applied is None or applied.tier is None or result.state is not None else applied.tier.get(lang)


def missing_names(missing: Iterable[str], lang: str, names: Mapping[str, Names]) -> list[str]:
    """Each missing input by its name in the report's language, its id after it (`从公共电网受入的电力
    (elec_grid_received)`); an input without a name by its id."""
    out = []
    for given in missing:
        base = given.removeprefix("factor:").split("@", 1)[0]
        name = names.get(base)
        out.append(f"{name.get(lang)} ({given})" if name is not None else given)
    return out


def status_text(result: IndicatorResult, lang: str) -> str:
    return f"◆ {result.state.name.get(lang)}" if result.state else t(f"status.{result.status}", lang)


def gap_text(result: IndicatorResult, lang: str, names: Mapping[str, Names] | None = None) -> str:
    gap = result.gap
    if gap is None:
        if result.status == "missing":
            listed = missing_names(result.missing, lang, names or {})
            return f"{t('missing_facts', lang)}: " + ("、" if lang == "zh" else ", ").join(listed)
        return result.message or ""
    if gap.absolute == 0:
        return t("at_threshold", lang)
    relative = f" ({gap.relative:+.1%})" if gap.relative is not None else ""
    text = f"{gap.absolute:+.4g}{relative}"
    return text if gap.absolute > 0 else f"{text} {t('margin', lang)}"


def trend_text(result: IndicatorResult, lang: str) -> str:
    """Classes year by year; or first → last value, the direction of travel and the year it first passed."""
    trend = result.trend
    if trend is None:
        return ""
    if result.state is not None or any(p.state for p in trend.points):
        runs: list[list] = []  # [first year, last year, class name] with repeats folded: "2019–2020 weak decoupling"
        for p in trend.points:
            name = p.state_name.get(lang) if p.state_name else "–"
            if runs and runs[-1][2] == name:
                runs[-1][1] = p.year
            else:
                runs.append([p.year, p.year, name])
        return " → ".join(f"{a}{'' if a == b else f'–{b}'} {name}" for a, b, name in runs)
    known = [p for p in trend.points if p.value is not None]
    parts = []
    if known:
        first, last = known[0], known[-1]
        parts.append(f"{first.year} {_word(first.value, lang)} → {last.year} {_word(last.value, lang)}")
    if trend.direction:
        parts.append(t(f"trend.{trend.direction}", lang))
    if trend.first_passed is not None:
        parts.append(f"{t('first_passed', lang)} {trend.first_passed}")
    elif any(p.status == "fail" for p in trend.points):
        parts.append(t("never_passed", lang))
    return " · ".join(parts)


def verdict_word(assessment: Assessment, lang: str) -> str:
    """The verdict in words; a pass that a rule the pack could not encode might overturn says so with it."""
    if assessment.standard.kind == "analysis":
        return t("verdict.analysis", lang)
    word = t(f"verdict.{assessment.verdict.status}", lang)
    caveat = assessment.verdict.caveat
    return f"{word}（{caveat.zh}）" if caveat and lang == "zh" else f"{word} ({caveat.en})" if caveat else word


def counts(assessment: Assessment) -> dict[str, int]:
    counts = {"pass": 0, "fail": 0, "unknown": 0, "not_applicable": 0, "classified": 0}
    for result in assessment.indicators:
        key = "unknown" if result.status in ("missing", "error") else result.status
        counts[key] += 1
    return counts


def _word(value, lang: str) -> str:
    """A trend value: yes/no in the report's language, numbers as `plain`."""
    return t("yes" if value else "no", lang) if isinstance(value, bool) else plain(value)


def plain(value) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return number(value)
    return str(value)


RULE_MARK = {"pass": "✔", "fail": "✘", "incomplete": "?", "not_applicable": "–"}


def rule_line(rule: RuleOutcome, lang: str) -> str:
    """`✘ every gate indicator passes [3/4] — 附件1 一`."""
    counted = f" [{rule.passed}/{rule.counted}]" if rule.counted else ""
    mark = " †" if rule.provisional else ""
    return f"{RULE_MARK[rule.status]} {rule.rule.get(lang)}{counted}{mark} — {rule.clause}"


def score_range(assessment: Assessment) -> str:
    """The score in a table cell: the total, and its upper bound while indicators are unknown; — where not scored."""
    scored = assessment.verdict.score
    return "—" if scored is None else _span(scored.total, scored.upper)


def _span(total: float, upper: float) -> str:
    """`78.1`, or `78.1–92.3` while unknown indicators could still earn points."""
    return f"{total:.1f}" + (f"–{upper:.1f}" if upper > total + 1e-9 else "")


def score_line(assessment: Assessment, lang: str) -> str | None:
    """The weighted score, its upper bound while indicators are unknown, and the grade; None where not scored."""
    scored = assessment.verdict.score
    if scored is None:
        return None
    line = f"{t('score', lang)}: {scored.total:.1f} / {scored.scale:g}"
    if scored.upper > scored.total + 1e-9:
        line += f" ({t('score_range', lang)} {scored.upper:.1f})"
    if scored.grade is not None:
        line += f" · {t('grade', lang)}: {scored.grade.get(lang)}"
    if scored.earlier:
        line += f" · {t('score_earlier', lang)}: {earlier_scores(assessment)}"
    return line


def earlier_scores(assessment: Assessment) -> str:
    """The scores of the years before the assessed one, where the standard scores several: `2022 78.1, 2023 80.2`."""
    scored = assessment.verdict.score
    return "" if scored is None else ", ".join(f"{y.year} {_span(y.total, y.upper)}" for y in scored.earlier)


def crosswalk_cells(entry: CrosswalkEntry) -> tuple[str, str]:
    """A crosswalk entry's value and threshold as every report shows them: in the indicator's unit, the threshold
    marked † where it is provisional."""
    unit = "" if entry.unit == "1" else f" {entry.unit}"
    value = "—" if entry.value is None else plain(entry.value) + unit
    threshold = "—" if entry.threshold is None else f"{entry.operator} {plain(entry.threshold)}{unit}"
    return value, threshold + (" †" if entry.provisional else "")
