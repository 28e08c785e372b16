"""The Excel report (openpyxl): the HTML report's tables, one sheet each, numbers as numbers.

Sheets: summary, indicators (every park × standard × indicator), what it takes, crosswalk, the
park data as given and the factors used, so an assessor can filter, sort and check every figure.
"""

from __future__ import annotations

import unicodedata
from io import BytesIO
from typing import cast

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from parkrules.base.i18n import t
from parkrules.io.spreadsheet import as_text
from parkrules.model.result import RunResult
from parkrules.report import report_view

_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
STATUS_FILL = {
    "pass": PatternFill("solid", fgColor="DAF5E0"),
    "fail": PatternFill("solid", fgColor="FFE0E0"),
    "missing": PatternFill("solid", fgColor="FFF2CC"),
    "error": PatternFill("solid", fgColor="FFF2CC"),
    "incomplete": PatternFill("solid", fgColor="FFF2CC"),
}


def render(run: RunResult, lang: str) -> bytes:
    report = report_view.build(run, lang)
    book = Workbook()
    _summary(cast(Worksheet, book.active), report, lang)  # a new workbook's one sheet
    _indicators(book.create_sheet(), report, lang)
    _rules(book.create_sheet(), run, lang)
    _remedies(book.create_sheet(), report, lang)
    _crosswalk(book.create_sheet(), report, lang)
    _facts(book.create_sheet(), report, lang)
    _factors(book.create_sheet(), report, lang)
    if report.errors:
        sheet = book.create_sheet(t("errors", lang))
        write_table(sheet, [t("errors", lang)], [[line] for line in report.errors])
    if report.warnings:
        sheet = book.create_sheet(t("warnings", lang))
        write_table(sheet, [t("warnings", lang)], [[line] for line in report.warnings])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


NUMBER = "#,##0.0###"


def shown_width(value: object) -> int:
    """Columns a value takes: a Chinese, Japanese or Korean character is as wide as two Latin letters."""
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def number_formats(sheet: Worksheet, formats: dict[int, str]) -> None:
    """Number formats for the numeric cells of the given columns (1-based), below the header row."""
    for row in sheet.iter_rows(min_row=2):
        for column, number_format in formats.items():
            if isinstance(row[column - 1].value, int | float):
                row[column - 1].number_format = number_format


def write_table(sheet: Worksheet, headers: list[str], rows: list[list], status_column: int | None = None) -> None:
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), _HEADER_FILL
    for values in rows:
        sheet.append(values)
        as_text(sheet[sheet.max_row])  # names, sources and our own `= yes` are text, never formulas
        if status_column is not None:
            fill = STATUS_FILL.get(values[-1])
            if fill is not None:
                sheet.cell(sheet.max_row, status_column).fill = fill
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for number, header in enumerate(headers, start=1):
        widest = max([shown_width(header), *(shown_width(row[number - 1]) for row in rows[:200])])
        sheet.column_dimensions[get_column_letter(number)].width = min(60, max(8, widest + 2))
    sheet.page_setup.orientation = "landscape"  # printed: landscape, as wide as the page, header on every page
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = "1:1"
    if status_column is not None:  # the status key, kept last for filtering, is hidden behind the words
        sheet.column_dimensions[get_column_letter(len(headers))].hidden = True


def _summary(sheet: Worksheet, report, lang: str) -> None:
    sheet.title = t("summary", lang)
    keys = [
        *("park", "pack", "title", "period", "verdict", "score"),
        *("score_earlier", "passed", "failed", "unknown", "not_applicable"),
    ]
    rows = [
        [
            row["park"],
            row["standard"],
            row["title"],
            row["period"],
            row["verdict_text"],
            row["score"],
            row["score_earlier"],
            row["pass"],
            row["fail"],
            row["unknown"],
            row["not_applicable"],
            row["verdict"],
        ]
        for row in report.summary
    ]
    write_table(sheet, [t(key, lang) for key in keys] + ["verdict"], rows, status_column=5)


def _indicators(sheet: Worksheet, report, lang: str) -> None:
    sheet.title = t("indicator", lang)
    keys = ("park", "pack", "period", "id", "indicator", "role", "value", "unit", "threshold")
    headers = [t(key, lang) for key in keys] + [t("operator", lang), t("limit", lang), t("tier", lang)]
    headers += [t(key, lang) for key in ("status", "gap", "trend", "clause", "provisional")] + ["status"]
    rows = [
        [
            s.park, s.standard, s.period, row.id, row.name, row.role,
            row.number if row.number is not None else row.value, row.unit, row.threshold,
            row.operator, row.limit, row.tier or None, row.status_text, row.gap_number, row.trend, row.clause,
            t("yes", lang) if row.provisional else "", row.status,
        ]
        for s in report.sections
        for row in s.rows
    ]  # fmt: skip
    write_table(sheet, headers, rows, status_column=13)
    number_formats(sheet, {7: NUMBER, 11: NUMBER, 14: NUMBER})


def _rules(sheet: Worksheet, run: RunResult, lang: str) -> None:
    """Every verdict rule that ran, with its outcome, as CDISC CORE's reports list their rules."""
    sheet.title = t("rules", lang)
    headers = [t(key, lang) for key in ("park", "pack", "period", "rule", "status", "passed")]
    headers += [t(key, lang) for key in ("counted", "unknown", "needed", "clause", "provisional")] + ["status"]
    rows = [
        [
            a.park.id, f"{a.standard.id}@{a.standard.version}", a.period, rule.rule.get(lang),
            t(f"verdict.{rule.status}", lang),
            rule.passed, rule.counted, rule.unknown, rule.needed, rule.clause,
            t("yes", lang) if rule.provisional else "", str(rule.status),
        ]
        for a in run.assessments
        for rule in a.verdict.rules
    ]  # fmt: skip
    write_table(sheet, headers, rows, status_column=5)


def _remedies(sheet: Worksheet, report, lang: str) -> None:
    sheet.title = t("what_it_takes_title", lang)
    rows = []
    for s in report.sections:
        for item in s.remedies:
            rows += [[s.park, s.standard, item.indicator, phrase] for phrase in item.works]
            rows += [[s.park, s.standard, item.indicator, f"{t('cannot_alone', lang)}: {name}"] for name in item.alone]
    write_table(sheet, [t("park", lang), t("pack", lang), t("indicator", lang), t("what_it_takes_title", lang)], rows)


def _crosswalk(sheet: Worksheet, report, lang: str) -> None:
    sheet.title = t("crosswalk", lang)[:31]
    keys = ("park", "period", "measure", "pack", "indicator", "value", "threshold", "status")
    rows = [
        [
            row["park"],
            row["period"],
            row["measure"] + (f" {t('disagree', lang)}" if row["disagree"] else ""),
            row["standard"],
            row["indicator"],
            row["value"],
            row["threshold"],
            row["status_text"],
            row["status"],
        ]
        for row in report.crosswalk
    ]
    write_table(sheet, [t(key, lang) for key in keys] + ["status"], rows, status_column=8)


def _facts(sheet: Worksheet, report, lang: str) -> None:
    sheet.title = t("park_facts", lang)[:31]
    keys = ("park", "period", "id", "fact", "given", "read_as", "source")
    rows = [[f["park"], f["year"], f["id"], f["name"], f["given"], f["read_as"], f["source"]] for f in report.facts]
    write_table(sheet, [t(key, lang) for key in keys], rows)


def _factors(sheet: Worksheet, report, lang: str) -> None:
    sheet.title = t("factors_used", lang)[:31]
    rows = [
        [table["standard"], "", f["id"], f["number"], f["unit"], f["table"], f["source"]]
        for table in report.factor_tables
        for f in table["factors"]
    ]
    rows += [
        [f["standard"], f["park"], f["id"], f["number"], f["unit"], t("override", lang), f["source"]]
        for f in report.overrides
    ]
    keys = ("pack", "park", "id", "value", "unit", "table", "source")
    write_table(sheet, [t(key, lang) for key in keys], rows)
