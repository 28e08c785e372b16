"""User text that tries to run in a report: HTML (in the real browser), Markdown, XLSX and CSV stay inert.

`tests/data/hostile/xss.yaml` puts a script tag, an attribute break-out with `onerror`, a `</style>`, a
spreadsheet formula, a table pipe and a Markdown link into every user-text field: the park's names and
type, a fact's source, an exclusion's justification and a factor override's source.
"""

from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner
from markdown_it import MarkdownIt
from openpyxl import load_workbook

from parkrules.cli.cli import cli
from tests.conftest import ROOT
from tests.report.test_render_html import browser  # noqa: F401 - the shared browser fixture

XSS_PARK = ROOT / "tests" / "data" / "hostile" / "xss.yaml"
SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x")'


def _assess(tmp_path, name: str, *more: str):
    output = tmp_path / name
    result = CliRunner().invoke(
        cli, ["assess", str(XSS_PARK), "-s", "cn-national-zero-carbon-park", "-o", str(output), *more]
    )
    assert result.exit_code == 1, result.output
    return output


def test_html_report_shows_hostile_text_as_text_in_the_browser(browser, tmp_path):  # noqa: F811
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(_assess(tmp_path, "report.html").as_uri(), wait_until="load")
    page.wait_for_timeout(200)  # an injected onerror would fire as the broken image fails to load
    assert dialogs == []
    assert page.eval_on_selector_all("script", "els => els.length") == 0
    assert page.eval_on_selector_all("img[onerror]", "els => els.length") == 0
    text = page.inner_text("body")
    assert text.count(SCRIPT) >= 5  # names in the summary and heading, the exclusion, the two sources
    assert page.eval_on_selector_all("style", "els => els.length") == 1  # `</style>` did not end ours early
    page.close()


def test_markdown_report_renders_hostile_text_as_text(tmp_path):
    text = _assess(tmp_path, "report.md").read_text(encoding="utf-8")
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(text)
    assert "<script" not in html and "<img" not in html and 'href="http://x"' not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 5
    rows = [line for line in text.splitlines() if line.startswith("|") and "alert(1)" in line]
    header_cells = {line.count("|") - line.count("\\|") for line in text.splitlines() if line.startswith("| ")}
    for row in rows:  # the user's pipe is escaped: every table row keeps its table's number of cells
        assert row.count("|") - row.count("\\|") in header_cells


def test_xlsx_report_holds_no_formula(tmp_path):
    book = load_workbook(_assess(tmp_path, "report.xlsx"))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    texts = {cell.value for cell in cells if isinstance(cell.value, str)}
    assert any(FORMULA in value for value in texts)
    indicators = book.worksheets[1]
    gap = [cell.value for cell in indicators[1]].index("Gap") + 1
    gaps = [row[gap - 1] for row in indicators.iter_rows(min_row=2, values_only=True) if row[gap - 1] is not None]
    assert gaps and all(isinstance(value, int | float) for value in gaps)  # gaps are numbers a committee can sort


def test_workbook_and_csv_from_convert_hold_no_formula_and_read_back_unchanged(tmp_path):
    runner = CliRunner()
    workbook, table, back = tmp_path / "park.xlsx", tmp_path / "park.csv", tmp_path / "back.yaml"
    for target in (workbook, table):
        assert runner.invoke(cli, ["convert", str(XSS_PARK), "-o", str(target)]).exit_code == 0
    book = load_workbook(workbook)
    assert not [c.coordinate for s in book.worksheets for r in s.iter_rows() for c in r if c.data_type == "f"]
    cells = [cell for row in csv.reader(io.StringIO(table.read_text(encoding="utf-8-sig"))) for cell in row]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert "'" + FORMULA in "".join(cells)
    assert runner.invoke(cli, ["convert", str(table), "-o", str(back)]).exit_code == 0
    original = runner.invoke(cli, ["assess", str(XSS_PARK), "--format", "json", "-s", "cn-national-zero-carbon-park"])
    again = runner.invoke(cli, ["assess", str(back), "--format", "json", "-s", "cn-national-zero-carbon-park"])
    assert json.dumps(FORMULA)[1:-1] in again.stdout  # as JSON writes it
    assert again.stdout.replace(str(back), "") == original.stdout.replace(str(XSS_PARK), "")


def test_batch_csv_quotes_text_a_spreadsheet_would_run(tmp_path):
    table = tmp_path / "parks.csv"
    table.write_text(
        "park.id,year,elec_grid_received [万kWh],fuel_raw_coal [t]\n=cmd|'/c calc'!A1,2024,12000,50000\n",
        encoding="utf-8",
    )
    output = _batch(tmp_path, table)
    cells = [cell for row in csv.reader(io.StringIO(output)) for cell in row]
    assert "'=cmd|'/c calc'!A1" in cells
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@"))]


def _batch(tmp_path, table) -> str:
    output = tmp_path / "out.csv"
    result = CliRunner().invoke(cli, ["assess", str(table), "-s", "cn-national-zero-carbon-park", "-o", str(output)])
    assert result.exit_code == 1, result.output
    return output.read_text(encoding="utf-8")
