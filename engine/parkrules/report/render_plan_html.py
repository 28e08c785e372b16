"""A plan as one self-contained HTML page: steps and costs, verdicts before and after, each requirement's
trajectory against its limit, the library's cost curve for the park and where the CO2 change comes from.
Every text from a park, pack or library is escaped by the template environment (`render_html.environment`)."""

from __future__ import annotations

from itertools import groupby

from parkrules import __version__
from parkrules.analysis.planner import PlanOutcome
from parkrules.base.i18n import t
from parkrules.report import plan_charts
from parkrules.report.render_html import environment
from parkrules.report.render_plan import plan_words, size_text


def render(outcome: PlanOutcome, lang: str) -> str:
    words = plan_words(lang)
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
            trajectories.append({"chart": chart, "label": f"{t('plan.goal', lang)} {text}"})
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
        "unavailable": outcome.unavailable,
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
