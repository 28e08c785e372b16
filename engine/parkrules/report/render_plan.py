"""A plan for a reader: the terminal table by year, and JSON."""

from __future__ import annotations

import json
import math
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from parkrules.analysis.planner import PlanOutcome, Reading
from parkrules.base.i18n import LABELS, t
from parkrules.base.numbers import number


def plan_words(lang: str) -> dict[str, str]:
    """The plan's labels (`plan.*` in the one label table), by their short keys, for the terminal and the page."""
    return {key.removeprefix("plan."): t(key, lang) for key in LABELS if key.startswith("plan.")}


def to_dict(outcome: PlanOutcome) -> dict[str, Any]:
    request = outcome.request
    return {
        "park": outcome.park.id,
        "packs": list(outcome.packs),
        "library": outcome.library,
        "target_year": request.target_year,
        "milestones": list(request.milestones),
        "growth": dict(request.growth),
        "discount_rate": request.discount_rate,
        "budget": request.budget,
        "targets": [target.text for target in request.targets],
        "verified": outcome.verified,
        "steps": [
            {
                "measure": step.measure.id,
                "year": step.year,
                "size": step.size,
                "size_unit": step.measure.size_unit,
                "capex": step.capex,
                "opex_per_year": step.opex_per_year,
                "cost_basis": {"capex": step.measure.capex.basis.text, "opex": step.measure.opex.basis.text},
                "provisional": step.measure.capex.basis.provisional or step.measure.opex.basis.provisional,
            }
            for step in outcome.steps
        ],
        "capex_total": outcome.capex,
        "discounted_cost": outcome.discounted_cost,
        "verdicts": [
            {"pack": pack, "year": year, "baseline": before, "planned": after}
            for (pack, year), (before, after) in sorted(outcome.verdicts.items())
        ],
        "trajectory": [_reading(reading) for reading in outcome.readings]
        + [
            {
                "pack": "target",
                "year": r.year,
                "indicator": r.target.quantity,
                "baseline": r.baseline,
                "planned": r.planned,
                "status": str(r.status),
                "operator": r.target.operator,
                "limit": r.limit,
            }
            for r in outcome.target_readings
        ],
        "decomposition": None
        if outcome.decomposition is None
        else {
            "from": outcome.decomposition.start_year,
            "to": outcome.decomposition.end_year,
            "start": outcome.decomposition.start,
            "end": outcome.decomposition.end,
            "effects": [{"id": e.id, "tco2": e.value} for e in outcome.decomposition.effects],
        },
        "abatement": [
            {
                "measure": step.measure.id,
                "cut_per_unit": step.cut_per_unit,
                "cost_per_tonne": step.cost_per_tonne,
                "potential": None if step.potential == float("inf") else step.potential,
            }
            for step in outcome.abatement
        ],
        "unmet": list(outcome.unmet),
        "blocked": list(outcome.blocked),
        "left_out": list(outcome.left_out),
        "unavailable": list(outcome.unavailable),
    }


def _reading(reading: Reading) -> dict[str, Any]:
    threshold = reading.indicator.threshold
    return {
        "pack": reading.pack,
        "year": reading.year,
        "indicator": reading.indicator.id,
        "baseline": _plain(reading.baseline.value),
        "planned": _plain(reading.indicator.value),
        "status": reading.indicator.status,
        "operator": threshold.operator if threshold else None,
        "limit": _plain(threshold.value) if threshold else None,
    }


def _plain(value: object) -> object:
    found = number(value)
    return value if found is None else found


def render_json(outcome: PlanOutcome) -> str:
    return json.dumps(to_dict(outcome), ensure_ascii=False, indent=2, allow_nan=False)


def render_terminal(outcome: PlanOutcome, console: Console, lang: str) -> None:
    words = plan_words(lang)
    steps = Table(title=f"{words['title']} · {outcome.park.id} → {outcome.request.target_year}")
    for header in ("year", "measure", "size", "capex", "opex"):
        steps.add_column(words[header], justify="right" if header in ("size", "capex", "opex") else "left")
    for step in sorted(outcome.steps, key=lambda s: (s.year, s.measure.id)):
        name = step.measure.name.zh if lang == "zh" else step.measure.name.en
        mark = " †" if step.measure.capex.basis.provisional or step.measure.opex.basis.provisional else ""
        steps.add_row(
            str(step.year),
            Text(f"{name} ({step.measure.id}){mark}"),
            f"{size_text(step.size)} {step.measure.size_unit}",
            f"{step.capex:,.0f}",
            f"{step.opex_per_year:,.0f}",
        )
    if outcome.steps:
        console.print(steps)
    elif outcome.verified:
        console.print(words["no_steps"])
    trajectory = Table()
    for header in ("year", "indicator", "baseline", "planned", "limit"):
        trajectory.add_column(words[header])
    for reading in outcome.readings:
        threshold = reading.indicator.threshold
        if threshold is None or isinstance(reading.indicator.value, bool):
            continue  # yes/no requirements are listed in the verdicts, not as a trajectory
        trajectory.add_row(
            str(reading.year),
            Text(f"{reading.pack.split('@')[0]} · {reading.indicator.id}"),
            _shown(reading.baseline.value),
            Text(f"{_shown(reading.indicator.value)} ({reading.indicator.status})"),
            f"{threshold.operator} {_shown(threshold.value)}",
        )
    for r in outcome.target_readings:
        trajectory.add_row(
            str(r.year),
            Text(f"{words['goal']} · {r.target.text}"),
            _shown(r.baseline),
            Text(f"{_shown(r.planned)} ({r.status})"),
            "—" if r.limit is None else f"{r.target.operator} {_shown(r.limit)}",
        )
    console.print(trajectory)
    console.print(f"{words['cost']}: {outcome.discounted_cost:,.0f}")
    verdict = words["verified"] if outcome.verified else words["not_verified"]
    console.print(Text(f"{'✔' if outcome.verified else '✘'} {verdict}"))
    for why in outcome.unmet:
        console.print(Text(f"  {words['unmet']}: {why}"))
    if outcome.left_out:
        console.print(Text(f"{words['left_out']}: {', '.join(outcome.left_out)}"))
    if outcome.unavailable:
        console.print(Text(f"{words['unavailable']}: {'; '.join(outcome.unavailable)}"))
    if any(step.measure.capex.basis.provisional or step.measure.opex.basis.provisional for step in outcome.steps):
        console.print(words["provisional_cost"])


def size_text(size: float) -> str:
    """Sizes to three significant figures, in full (781,000 rather than 7.81e+05)."""
    if size == 0:
        return "0"
    decimals = 2 - math.floor(math.log10(abs(size)))  # negative: rounds to tens, hundreds …
    return f"{round(size, decimals):,.{max(0, decimals)}f}"


def _shown(value: object) -> str:
    found = number(value)
    return str(value) if found is None else f"{found:,.4g}"
