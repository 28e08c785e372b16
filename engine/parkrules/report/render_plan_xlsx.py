"""A plan as a workbook a committee can sort and sum: steps, verdicts, requirements by year, the cost curve and the
decomposition, every number a number (with a number format), every text stored as text."""

from __future__ import annotations

from io import BytesIO
from typing import cast

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from parkrules.analysis.planner import PlanOutcome
from parkrules.base.numbers import number
from parkrules.report.render_xlsx import write_table

WHOLE, DECIMAL = "#,##0", "#,##0.0000"


def render(outcome: PlanOutcome, lang: str) -> bytes:
    def name(names) -> str:
        return names.zh if lang == "zh" else names.en

    book = Workbook()
    steps = cast(Worksheet, book.active)
    steps.title = "steps"
    write_table(
        steps,
        ["year", "measure", "id", "size", "size unit", "capital (yuan)", "running (yuan/yr)", "cost basis"],
        [
            [s.year, name(s.measure.name), s.measure.id, s.size, s.measure.size_unit, s.capex, s.opex_per_year,
             "; ".join(dict.fromkeys((s.measure.capex.basis.text, s.measure.opex.basis.text)))]
            for s in sorted(outcome.steps, key=lambda s: (s.year, s.measure.id))
        ],
    )  # fmt: skip
    _formats(steps, {4: DECIMAL, 6: WHOLE, 7: WHOLE})
    summary: list[list] = [
        ["verified", "yes" if outcome.verified else "no"],
        ["discounted cost (yuan)", outcome.discounted_cost],
        ["capital in total (yuan)", outcome.capex],
        *(["cannot be met", why] for why in outcome.unmet),
        *(["left out (no sourced cost)", measure] for measure in outcome.left_out),
        *(["not available (no room in the park's data)", why] for why in outcome.unavailable),
    ]
    sheet = book.create_sheet("summary")
    write_table(sheet, ["what", "value"], summary)
    _formats(sheet, {2: WHOLE})
    verdicts = book.create_sheet("verdicts")
    rows: list[list] = [
        [pack, year, str(before), str(after)] for (pack, year), (before, after) in sorted(outcome.verdicts.items())
    ]
    write_table(verdicts, ["pack", "year", "without the plan", "with the plan"], rows)
    trajectory = book.create_sheet("requirements")
    rows = [
        [r.pack, r.year, r.indicator.id, number(r.baseline.value), number(r.indicator.value), str(r.indicator.status),
         r.indicator.threshold.operator if r.indicator.threshold else None,
         number(r.indicator.threshold.value) if r.indicator.threshold else None]
        for r in outcome.readings
    ] + [
        ["target", r.year, r.target.text, r.baseline, r.planned, str(r.status), r.target.operator, r.limit]
        for r in outcome.target_readings
    ]  # fmt: skip
    write_table(trajectory, ["pack", "year", "requirement", "without", "with", "status", "operator", "limit"], rows)
    _formats(trajectory, {4: DECIMAL, 5: DECIMAL, 8: DECIMAL})
    curve = book.create_sheet("cost curve")
    rows = [
        [name(a.measure.name), a.measure.id, a.cut_per_unit, a.cost_per_tonne,
         None if a.potential == float("inf") else a.potential]
        for a in outcome.abatement
    ]  # fmt: skip
    write_table(curve, ["measure", "id", "tCO2 a year per unit", "yuan per tCO2", "tCO2 a year at most"], rows)
    _formats(curve, {3: DECIMAL, 4: "#,##0.0", 5: WHOLE})
    if outcome.decomposition is not None:
        sheet = book.create_sheet("decomposition")
        d = outcome.decomposition
        rows = [[f"park CO2 {d.start_year}", d.start], *([name(e.name), e.value] for e in d.effects)]
        write_table(sheet, ["effect", "tCO2"], [*rows, [f"park CO2 {d.end_year}", d.end]])
        _formats(sheet, {2: WHOLE})
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _formats(sheet: Worksheet, formats: dict[int, str]) -> None:
    for row in sheet.iter_rows(min_row=2):
        for column, number_format in formats.items():
            cell = row[column - 1]
            if isinstance(cell.value, int | float):
                cell.number_format = number_format
