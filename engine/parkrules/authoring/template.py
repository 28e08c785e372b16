"""The data-entry template: the facts the chosen packs read, one row per fact and year.

Only the facts an indicator can reach (through the derived quantities it reads) are asked for,
so an assessor fills in what the standard needs and nothing else. Each row says which packs use
the fact, and prefills the unit statistics report it in (the canonical unit unless the vocabulary names
another, as 万Nm3 for gases), which the assessor may change.
"""

from __future__ import annotations

from typing import Any

from parkrules.formula.periods import split_period
from parkrules.io.parktable import EXCLUSION, FACTOR, PARK_FIELDS
from parkrules.io.vocabulary import Vocabulary
from parkrules.model.plan import Plan

PARK_FIELD_HELP = {
    "park.id": "园区编码，小写字母、数字和连字符 · park id: lower-case letters, digits and hyphens",
    "park.name.zh": "园区中文名称 · park name in Chinese",
    "park.name.en": "园区英文名称 · park name in English",
    "park.province": "所在省份 · province",
    "park.type": "园区类型（如 国家级经济技术开发区） · park type",
    "park.data_origin": "数据来源说明（可选） · where the data come from (optional)",
    "benchmark": "标杆园区文件（可选，用于追赶脱钩） · benchmark park file (optional, catch-up decoupling)",
}


def needed_facts(plans: list[Plan], vocabulary: Vocabulary) -> dict[str, list[str]]:
    """Fact id → the packs that read it, in vocabulary order."""
    readers: dict[str, list[str]] = {}
    for plan in plans:
        for fact_id in _reached(plan) & set(vocabulary.facts):
            readers.setdefault(fact_id, []).append(plan.pack.ref)
    return {fact_id: readers[fact_id] for fact_id in vocabulary.facts if fact_id in readers}


def _reached(plan: Plan) -> set[str]:
    """Every name an indicator reads, directly or through derived quantities."""
    formulas = {item.id: item.formula for item, _ in plan.derived}
    pending: list[str] = []
    for indicator in plan.indicators:
        pending += indicator.formula.names
        pending += [name for threshold in indicator.thresholds if threshold.when for name in threshold.when.names]
        pending += [name for entry in indicator.classes for name in entry.when.names]
    seen: set[str] = set()
    while pending:
        name = split_period(pending.pop())[0]
        if name in seen:
            continue
        seen.add(name)
        if name in formulas:
            pending += formulas[name].names
    return seen


def rows(plans: list[Plan], vocabulary: Vocabulary, years: list[int]) -> list[dict[str, Any]]:
    """Park fields first, then for each year one row per needed fact, value left blank."""
    out: list[dict[str, Any]] = [
        {"year": None, "fact": field, "definition": PARK_FIELD_HELP.get(field, "")}
        for field in PARK_FIELDS
        if field != "park.note"
    ]
    needed = needed_facts(plans, vocabulary)
    for year in years:
        for fact_id, packs in needed.items():
            fact = vocabulary.facts[fact_id]
            out.append(
                {
                    "year": year,
                    "fact": fact_id,
                    "name_zh": fact.name.zh,
                    "name_en": fact.name.en,
                    "unit": fact.unit_to_enter if fact.kind in ("quantity", "ratio") else None,
                    "definition": fact.definition,
                    "evidence": fact.evidence,
                    "needed_by": ", ".join(packs),
                }
            )
    return out


def readme(plans: list[Plan], years: list[int]) -> list[str]:
    """The read-me sheet: what the workbook is for and how to fill it in, in both languages."""
    packs = ", ".join(f"{plan.pack.ref} ({plan.pack.title.zh})" for plan in plans)
    return [
        "parkrules 园区数据填报表 · park data workbook",
        f"规则包 Packs: {packs}",
        f"年份 Years: {', '.join(str(year) for year in years)}",
        "",
        "填写「数据 Data」表中黄色的 数值 / 单位 / 数据来源 列；不知道的数值留空（评估时显示为缺数据）。",
        "Fill in the yellow value, unit and source columns of the Data sheet; leave unknown values blank "
        "(they are reported as missing).",
        "单位可从下拉列表中选择，也可填写其他可换算的单位。",
        "Pick a unit from the drop-down, or type any convertible unit.",
        "年份留空表示各年相同。 · A blank year means the value holds for every year.",
        f"排除某项指标：新增一行，编码写 {EXCLUSION}<指标编码>，数值写理由。 · To exclude an indicator, add a row "
        f"{EXCLUSION}<indicator> with the justification as its value.",
        f"园区自定因子：新增一行，编码写 {FACTOR}<因子编码>，填数值、单位和来源。 · A park-specific factor: a row "
        f"{FACTOR}<factor> with value, unit and source.",
        "评估 Assess: parkrules assess this-file.xlsx · 转换 Convert: parkrules convert this-file.xlsx -o park.yaml",
    ]
