"""The plan's charts (matplotlib, SVG data URIs, numbers only: names are in the page around them, as in
`charts.py`): a requirement's trajectory by year against its limit and the milestones, the cost curve of the
library, the decomposition as a waterfall."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from contextlib import contextmanager

from parkrules.analysis.abatement import AbatementStep
from parkrules.analysis.decompose import Decomposition
from parkrules.analysis.planner import Reading
from parkrules.base.numbers import number
from parkrules.report.charts import STATUS_COLOUR

_STYLE = {
    "svg.fonttype": "none",
    "svg.hashsalt": "parkrules",
    "font.size": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
BASELINE, PLANNED, LIMIT = "#8c959f", "#0969da", "#cf222e"


@contextmanager
def _figure(width: float, height: float) -> Iterator:
    import matplotlib  # loaded only for HTML plans: about 0.4 s
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_STYLE):  # type: ignore[arg-type]  # valid keys; its stubs list them as literals
        figure = Figure(figsize=(width, height), dpi=100)
        yield figure


def _uri(figure, image_format: str = "svg") -> str:
    figure.tight_layout(pad=0.4)
    buffer = io.BytesIO()
    figure.savefig(buffer, format=image_format, metadata={"Date": None} if image_format == "svg" else None)
    kind = "svg+xml" if image_format == "svg" else image_format
    return f"data:image/{kind};base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


Point = tuple[int, float | None, float | None, str, float | None]  # year, without, with the plan, status, limit


def trajectory(points: list[Point], milestones: list[int], image_format: str = "svg") -> str | None:
    """A quantity by year, without and with the plan, against its limit; None with fewer than two numbers."""
    numbers = [p for p in points if p[1] is not None and p[2] is not None]
    if len(numbers) < 2:
        return None
    with _figure(4.2, 2.0) as figure:
        axes = figure.add_subplot()
        years = [year for year, *_ in numbers]
        axes.plot(years, [b for _, b, _, _, _ in numbers], color=BASELINE, linestyle="--", linewidth=1.2)
        axes.plot(years, [p for _, _, p, _, _ in numbers], color=PLANNED, linewidth=1.6)
        for year, _, value, status, _ in numbers:
            axes.scatter([year], [value], color=STATUS_COLOUR.get(status, PLANNED), s=14, zorder=3)
        limits = [(year, limit) for year, _, _, _, limit in numbers if limit is not None]
        if limits:  # a limit may start later (a peak sets none before its year)
            axes.step([y for y, _ in limits], [v for _, v in limits], where="mid", color=LIMIT, linewidth=1)
        for year in milestones:
            axes.axvline(year, color="#d0d7de", linewidth=0.8, zorder=0)
        axes.set_xticks(years, [str(year) for year in years])
        return _uri(figure, image_format)


def reading_points(readings: list[Reading]) -> list[Point]:
    """A pack requirement's readings as chart points (the limit that applied each year)."""
    return [
        (
            r.year,
            number(r.baseline.value),
            number(r.indicator.value),
            r.indicator.status,
            number(r.indicator.threshold.value) if r.indicator.threshold else None,
        )
        for r in readings
    ]


def cost_curve(steps: list[AbatementStep]) -> str | None:
    """Each measure a bar as wide as what it can cut a year and as high as its cost per tonne, cheapest first."""
    finite = [step for step in steps if step.potential != float("inf")]
    if not finite:
        return None
    with _figure(4.2, 2.0) as figure:
        axes = figure.add_subplot()
        left = 0.0
        for number, step in enumerate(finite, 1):
            axes.bar(left, step.cost_per_tonne, width=step.potential, align="edge", color=PLANNED, alpha=0.75,
                     edgecolor="white")  # fmt: skip
            axes.text(left + step.potential / 2, step.cost_per_tonne, str(number), ha="center", va="bottom")
            left += step.potential
        axes.set_xlim(0, left)
        return _uri(figure)


def waterfall(decomposition: Decomposition) -> str | None:
    """Park CO2 in the first year, each effect as a rise or fall, and the last year."""
    effects = [effect for effect in decomposition.effects if abs(effect.value) > 0]
    with _figure(4.2, 2.0) as figure:
        axes = figure.add_subplot()
        axes.bar(0, decomposition.start, color=BASELINE)
        level = decomposition.start
        for position, effect in enumerate(effects, 1):
            colour = STATUS_COLOUR["fail"] if effect.value > 0 else STATUS_COLOUR["pass"]
            axes.bar(position, effect.value, bottom=level, color=colour)
            level += effect.value
        axes.bar(len(effects) + 1, decomposition.end, color=PLANNED)
        labels = [str(decomposition.start_year), *(str(i) for i in range(1, len(effects) + 1))]
        axes.set_xticks(range(len(effects) + 2), [*labels, str(decomposition.end_year)])
        return _uri(figure)
