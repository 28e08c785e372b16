"""Every label the reports print, in Chinese and English."""

from __future__ import annotations

import os

LABELS: dict[str, dict[str, str]] = {
    "indicator": {"zh": "指标", "en": "Indicator"},
    "role": {"zh": "类型", "en": "Role"},
    "value": {"zh": "数值", "en": "Value"},
    "threshold": {"zh": "目标要求", "en": "Threshold"},
    "status": {"zh": "状态", "en": "Status"},
    "gap": {"zh": "差距", "en": "Gap"},
    "verdict": {"zh": "结论", "en": "Verdict"},
    "period": {"zh": "年份", "en": "Year"},
    "park": {"zh": "园区", "en": "Park"},
    "accounting": {"zh": "核算", "en": "Accounting"},
    "override": {"zh": "园区自定因子", "en": "park factor override"},
    "basis": {"zh": "核算基础", "en": "accounting basis"},
    "provisional_note": {
        "zh": "† 暂定：阈值或公式未经官方文本核实，依据见 JSON 结果的 rests_on",
        "en": "† provisional: threshold or formula not verified against the official text; "
        "see rests_on in the JSON result",
    },
    "missing_facts": {"zh": "缺少", "en": "missing"},
    "assumed_zero": {
        "zh": "项清单输入未报告、按零计（见 JSON 的 assumed_zero）",
        "en": "inventory inputs not reported, taken as zero (see assumed_zero in JSON)",
    },
    "margin": {"zh": "余量", "en": "margin"},
    "at_threshold": {"zh": "恰在限值", "en": "at the threshold"},
    "errors": {"zh": "错误", "en": "Errors"},
    "summary": {"zh": "汇总", "en": "Summary"},
    "packs_title": {"zh": "内置规则包", "en": "Bundled rule packs"},
    "pack": {"zh": "规则包", "en": "Pack"},
    "version": {"zh": "版本", "en": "Version"},
    "kind": {"zh": "类别", "en": "Kind"},
    "title": {"zh": "名称", "en": "Title"},
    "verified": {"zh": "已核实", "en": "Verified"},
    "provisional": {"zh": "暂定", "en": "Provisional"},
    "indicators": {"zh": "指标数", "en": "Indicators"},
    "derived": {"zh": "派生量", "en": "Derived"},
    "role.gate": {"zh": "基本条件", "en": "gate"},
    "role.core": {"zh": "核心", "en": "core"},
    "role.guidance": {"zh": "引导", "en": "guidance"},
    "role.advisory": {"zh": "建议", "en": "advisory"},
    "role.mandatory": {"zh": "必选", "en": "mandatory"},
    "role.optional": {"zh": "可选", "en": "optional"},
    "role.reference": {"zh": "参考", "en": "reference"},
    "role.bonus": {"zh": "加分", "en": "bonus"},
    "role.veto": {"zh": "一票否决", "en": "veto"},
    "rule": {"zh": "判定规则", "en": "Rule"},
    "score": {"zh": "得分", "en": "Score"},
    "score_range": {"zh": "缺数据指标全部得分时最高", "en": "at most, if every unknown indicator scored"},
    "grade": {"zh": "等级", "en": "Grade"},
    "passed": {"zh": "达标", "en": "Passed"},
    "failed": {"zh": "未达标", "en": "Failed"},
    "unknown": {"zh": "缺数据/错误", "en": "Missing/error"},
    "not_applicable": {"zh": "不适用", "en": "N/A"},
    "crosswalk": {"zh": "跨标准对照", "en": "Crosswalk across standards"},
    "measure": {"zh": "同一度量", "en": "Measure"},
    "disagree": {"zh": "⚠ 各标准结论不一", "en": "⚠ standards disagree"},
    "not_encoded": {"zh": "未编码", "en": "Not encoded"},
    "cases_passed": {"zh": "通过的用例", "en": "cases passed"},
    "cases_failed": {"zh": "未通过的用例", "en": "cases failed"},
    "encoded": {"zh": "已编码", "en": "Encoded"},
    "status.pass": {"zh": "✔ 达标", "en": "✔ pass"},
    "status.fail": {"zh": "✘ 未达标", "en": "✘ fail"},
    "status.missing": {"zh": "? 缺数据", "en": "? missing"},
    "status.not_applicable": {"zh": "– 不适用", "en": "– n/a"},
    "status.error": {"zh": "! 错误", "en": "! error"},
    "status.classified": {"zh": "◆ 已分类", "en": "◆ classified"},
    "verdict.analysis": {"zh": "分析（不作判定）", "en": "analysis (no verdict)"},
    "verdict.pass": {"zh": "✔ 通过", "en": "✔ PASS"},
    "verdict.fail": {"zh": "✘ 不通过", "en": "✘ FAIL"},
    "verdict.incomplete": {"zh": "? 无法判定", "en": "? INCOMPLETE"},
    "verdict.not_applicable": {"zh": "– 不适用", "en": "– NOT APPLICABLE"},
    "trend": {"zh": "趋势", "en": "Trend"},
    "what_it_takes": {
        "zh": "达标所需（每次只改变一项，其他保持不变）：",
        "en": "What it takes (one change at a time, everything else held fixed):",
    },
    "by": {"zh": "", "en": "by"},
    "reduce_by": {"zh": "减少", "en": "cut"},
    "raise_by": {"zh": "增加", "en": "raise"},
    "to": {"zh": "至", "en": "to"},
    "cannot_alone": {"zh": "单独调整无法达标", "en": "cannot close the gap alone"},
    "no_single_lever": {"zh": "没有单项调整可以达标", "en": "no single change closes the gap"},
    "trend.improving": {"zh": "↗ 改善", "en": "↗ improving"},
    "trend.worsening": {"zh": "↘ 恶化", "en": "↘ worsening"},
    "trend.steady": {"zh": "→ 持平", "en": "→ steady"},
    "first_passed": {"zh": "首次达标", "en": "first passed"},
    "never_passed": {"zh": "从未达标", "en": "never passed"},
    "kind.method": {"zh": "核算方法", "en": "method"},
    "kind.standard": {"zh": "评价标准", "en": "standard"},
    "kind.analysis": {"zh": "分析", "en": "analysis"},
    "yes": {"zh": "是", "en": "yes"},
    "no": {"zh": "否", "en": "no"},
}


def default_lang() -> str:
    """Chinese when the user's locale is Chinese, else English."""
    locale = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG") or ""
    return "zh" if locale.lower().startswith("zh") else "en"


def t(key: str, lang: str) -> str:
    return LABELS[key][lang]
