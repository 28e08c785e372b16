"""The terminal's "what it takes" lines: for each failing indicator, each lever alone, in the input's own unit.

Renders only: every amount comes from the result model (see remedy.py). Amounts are shown to four
significant figures; the JSON result carries the exact values that were verified to pass.
"""

from __future__ import annotations

from parkrules.base.i18n import t
from parkrules.model.result import Assessment, IndicatorResult, Remedy


def lines(assessment: Assessment, lang: str) -> list[str]:
    out = []
    for name, works, alone in by_indicator(assessment, lang):
        out += [f"  • {name}:", *(f"    {phrase}" for phrase in works or [t("no_single_lever", lang)])]
        if alone:
            out.append(f"    {t('cannot_alone', lang)}: {', '.join(alone)}")
    return [t("what_it_takes", lang), *out] if out else []


def by_indicator(assessment: Assessment, lang: str) -> list[tuple[str, list[str], list[str]]]:
    """For each failing indicator with remedies: its name, the changes that pass, and the levers that cannot alone."""
    return [_indicator(result, lang) for result in assessment.indicators if result.remedies]


def _indicator(result: IndicatorResult, lang: str) -> tuple[str, list[str], list[str]]:
    works = [_phrase(remedy, lang) for remedy in result.remedies if remedy.target is not None]
    alone = [remedy.name.get(lang) for remedy in result.remedies if remedy.target is None]
    return result.name.get(lang), works, alone


def _phrase(remedy: Remedy, lang: str) -> str:
    """A remedy that works: its change and the value it reaches (only such remedies have both)."""
    assert remedy.change is not None and remedy.target is not None
    amount = f"{_amount(abs(remedy.change))} {remedy.unit}"
    if remedy.kind == "shift":
        return f"{remedy.name.get(lang)}: {amount}"
    verb = t("reduce_by" if remedy.change < 0 else "raise_by", lang)
    target = f"{_amount(remedy.target)} {remedy.unit}"
    return (
        " ".join(p for p in (verb, remedy.name.get(lang), t("by", lang), amount) if p) + f" ({t('to', lang)} {target})"
    )


def _amount(value: float) -> str:
    shown = float(f"{value:.4g}")
    return f"{shown:,.0f}" if abs(shown) >= 1000 else f"{shown:g}"
