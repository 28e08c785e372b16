"""An indicator over the years as a small chart (matplotlib, SVG), for the HTML report.

Charts carry only numbers; names and units are in the page around them, so the SVG needs no
Chinese font. Each chart is a data URI, so the report stays one self-contained file.
"""

from __future__ import annotations

import base64
import io

from parkrules.model.result import IndicatorResult

STATUS_COLOUR = {"pass": "#1a7f37", "fail": "#cf222e", "missing": "#9a6700", "error": "#8250df"}
_STYLE = {
    "svg.fonttype": "none",  # text stays text: the browser draws it in the page's fonts
    "svg.hashsalt": "parkrules",  # the same result gives the same file
    "font.size": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def numeric_points(result: IndicatorResult) -> list[tuple[int, float, str]]:
    """(year, value, status) for each year with a number; booleans and classes are not charted."""
    if result.trend is None:
        return []
    return [
        (p.year, float(p.value), p.status)
        for p in result.trend.points
        if isinstance(p.value, (int, float)) and not isinstance(p.value, bool)
    ]


def trend_chart(result: IndicatorResult) -> str | None:
    """A data URI of the chart, or None where fewer than two years have a number."""
    points = numeric_points(result)
    if len(points) < 2:
        return None
    # Imported here: matplotlib costs about 0.4 s to load, and only HTML reports with several years need it.
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_STYLE):  # type: ignore[arg-type]  # valid keys; its stubs list them as literals
        figure = Figure(figsize=(3.2, 1.5), dpi=100)
        axes = figure.add_subplot()
        years = [year for year, _, _ in points]
        axes.plot(years, [value for _, value, _ in points], color="#57606a", linewidth=1.2, zorder=1)
        for year, value, status in points:
            axes.scatter([year], [value], color=STATUS_COLOUR.get(status, "#57606a"), s=16, zorder=2)
        applied = result.threshold
        if applied is not None and isinstance(applied.value, (int, float)) and not isinstance(applied.value, bool):
            axes.axhline(float(applied.value), color="#0969da", linestyle="--", linewidth=1)
        axes.set_xticks(years, [str(year) for year in years])
        axes.margins(x=0.08, y=0.2)
        figure.tight_layout(pad=0.3)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
