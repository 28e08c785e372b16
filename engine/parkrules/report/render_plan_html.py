"""A plan as one self-contained HTML page: steps and costs, verdicts before and after, each requirement's
trajectory against its limit, the library's cost curve for the park and where the CO2 change comes from.
Every text from a park, pack or library is escaped by the template environment (`render_html.environment`)."""

from __future__ import annotations

from itertools import groupby

from parkrules import __version__
from parkrules.analysis.planner import PlanOutcome
from parkrules.report import plan_charts
from parkrules.report.render_html import environment
from parkrules.report.render_plan import size_text

WORDS = {
    "en": {
        "title": "Plan", "packs": "packs", "target": "target year", "milestones": "milestones", "library": "measures",
        "assumptions": "assumptions", "verified": "Verified: the planned park passes every pack in every checked year",
        "not_verified": "No plan that passes was found", "unmet": "What cannot be met",
        "left_out": "Left out (no sourced cost)", "steps": "Measures by year", "year": "Year", "measure": "Measure",
        "size": "Size", "capex": "Capital (yuan)", "opex": "Running (yuan/yr)", "provisional": "provisional",
        "cost": "Discounted cost (yuan)", "capex_total": "capital in total (yuan)", "no_steps": "No measure is needed.",
        "verdicts": "Verdicts", "pack": "Pack", "baseline": "Without the plan", "planned": "With the plan",
        "trajectory": "Trajectories", "legend": "dashed grey: without the plan; blue: with it; red: the limit; "
        "vertical lines: milestones", "curve": "Cost curve of the measures for this park",
        "curve_legend": "bar width: tCO2 a year the measure can cut at most; height: yuan per tCO2",
        "cut": "tCO2 a year per unit", "per_tonne": "yuan per tCO2", "potential": "tCO2 a year at most",
        "decomposition": "Where the change in park CO2 comes from (LMDI)", "effect": "Effect",
        "waterfall_legend": "first year, each effect (numbered as in the table), planned target year",
        "lmdi_note": "Additive LMDI over fuels, electricity and heat; the effects add up to the change exactly. "
        "Descriptive, not a forecast.",
    },
    "zh": {
        "title": "规划", "packs": "规则包", "target": "目标年", "milestones": "里程碑", "library": "措施库",
        "assumptions": "假设", "verified": "已复核：规划后的园区在各检查年份全部达标",
        "not_verified": "未得到可达标的方案",
        "unmet": "无法满足的要求", "left_out": "未计入（无有据成本）", "steps": "分年度措施", "year": "年份",
        "measure": "措施", "size": "规模", "capex": "投资（元）", "opex": "年运行费用（元/年）", "provisional": "暂定",
        "cost": "折现总成本（元）", "capex_total": "投资合计（元）", "no_steps": "无需采取措施。", "verdicts": "结论",
        "pack": "规则包", "baseline": "不采取措施", "planned": "规划后", "trajectory": "指标轨迹",
        "legend": "灰色虚线：不采取措施；蓝色：规划后；红色：限值；竖线：里程碑", "curve": "本园区措施边际减排成本曲线",
        "curve_legend": "宽度：每年最大减排量（tCO2）；高度：单位减排成本（元/tCO2）", "cut": "每单位年减排（tCO2）",
        "per_tonne": "元/tCO2", "potential": "年最大减排（tCO2）", "decomposition": "园区碳排放变化的来源（LMDI）",
        "effect": "效应", "waterfall_legend": "起始年、各效应（编号同下表）、规划目标年",
        "lmdi_note": "对燃料、电力、热力的加法 LMDI 分解，各效应之和精确等于变化量；为描述性分析，不是预测。",
    },
}  # fmt: skip


WORDS_TARGET = {"en": "target", "zh": "目标"}


def render(outcome: PlanOutcome, lang: str) -> str:
    words = WORDS[lang]
    return environment().get_template("plan.html.j2").render(p=_view(outcome, lang), w=words)


def _name(names, lang: str) -> str:
    return names.zh if lang == "zh" else names.en


def _view(outcome: PlanOutcome, lang: str) -> dict:
    request = outcome.request
    growth = ", ".join(f"{key} {rate:+.1%}/yr" for key, rate in request.growth.items()) or "no growth"
    assumptions = f"{growth}; discount rate {request.discount_rate:.1%}"
    if request.budget is not None:
        assumptions += f"; budget {request.budget:,.0f} 元"
    trajectories = []
    checked = [*request.milestones, request.target_year]
    ordered = sorted(outcome.readings, key=lambda r: (r.pack, r.indicator.id, r.year))
    for (pack, indicator_id), group in groupby(ordered, key=lambda r: (r.pack, r.indicator.id)):
        readings = list(group)
        chart = plan_charts.trajectory(plan_charts.reading_points(readings), checked)
        if chart is not None:
            name = _name(readings[0].indicator.name, lang)
            trajectories.append({"chart": chart, "label": f"{name} ({indicator_id}) · {pack}"})
    for text, target_group in groupby(outcome.target_readings, key=lambda reading: reading.target.text):
        points: list[plan_charts.Point] = [
            (t.year, t.baseline, t.planned, str(t.status), t.limit) for t in target_group
        ]
        chart = plan_charts.trajectory(points, checked)
        if chart is not None:
            trajectories.append({"chart": chart, "label": f"{WORDS_TARGET[lang]} {text}"})
    decomposition = outcome.decomposition
    return {
        "lang": lang,
        "version": __version__,
        "park_name": _name(outcome.park.name, lang),
        "packs": outcome.packs + outcome.blocked,
        "target_year": request.target_year,
        "milestones": list(request.milestones),
        "library": outcome.library,
        "assumptions": assumptions,
        "verified": outcome.verified,
        "unmet": outcome.unmet,
        "left_out": outcome.left_out,
        "steps": [
            {
                "year": step.year,
                "name": _name(step.measure.name, lang),
                "id": step.measure.id,
                "size": f"{size_text(step.size)} {step.measure.size_unit}",
                "capex": f"{step.capex:,.0f}",
                "opex": f"{step.opex_per_year:,.0f}",
                "provisional": step.measure.capex.basis.provisional or step.measure.opex.basis.provisional,
                "basis": "; ".join(
                    basis.text for basis in (step.measure.capex.basis, step.measure.opex.basis) if basis.provisional
                ),
            }
            for step in sorted(outcome.steps, key=lambda s: (s.year, s.measure.id))
        ],
        "discounted_cost": f"{outcome.discounted_cost:,.0f}",
        "capex_total": f"{outcome.capex:,.0f}",
        "verdicts": [
            {"pack": pack, "year": year, "baseline": str(before), "planned": str(after)}
            for (pack, year), (before, after) in sorted(outcome.verdicts.items())
        ],
        "trajectories": trajectories,
        "curve": plan_charts.cost_curve(list(outcome.abatement)),
        "abatement": [
            {
                "name": _name(step.measure.name, lang),
                "id": step.measure.id,
                "cut": f"{step.cut_per_unit:,.4g}",
                "per_tonne": f"{step.cost_per_tonne:,.1f}",
                "potential": f"{step.potential:,.0f}",
            }
            for step in outcome.abatement
        ],
        "waterfall": plan_charts.waterfall(decomposition) if decomposition else None,
        "effects": [
            {"name": _name(effect.name, lang), "value": f"{effect.value:+,.0f}"}
            for effect in (decomposition.effects if decomposition else ())
            if abs(effect.value) > 0
        ],
    }
