"""The assessment workbook as a committee uses it: numbers to sort by, every verdict rule listed, Chinese columns
wide enough, printable."""

from __future__ import annotations

from click.testing import CliRunner
from openpyxl import load_workbook

from parkrules.cli.cli import cli
from parkrules.report.render_xlsx import shown_width
from tests.conftest import PARKS


def test_workbook_numbers_rules_widths_and_print_setup(tmp_path):
    path = tmp_path / "report.xlsx"
    args = ["assess", str(PARKS / "coal-town.yaml"), "--lang", "zh", "-s", "cn-national-zero-carbon-park", "-o"]
    assert CliRunner().invoke(cli, [*args, str(path)]).exit_code == 1
    book = load_workbook(path)
    indicators = book["指标"]
    header = [cell.value for cell in indicators[1]]
    row = next(r for r in indicators.iter_rows(min_row=2, values_only=True) if r[3] == "carbon_per_energy")
    assert row[header.index("限值")] == 0.3 and row[header.index("比较")] == "<="
    assert abs(row[header.index("数值")] - 2.6322802744865696) < 1e-9 and row[header.index("差距")] > 2.3
    rules = book["判定规则"]
    assert [c.value for c in rules[2]][3:5] == ["核心指标、基本条件指标 全部达标", "✘ 不通过"]  # the one verdict rule
    name_column = indicators.column_dimensions["E"].width
    assert name_column >= shown_width(row[4]) >= 2 * len(row[4]) - 4  # Chinese characters counted double
    assert indicators.page_setup.orientation == "landscape" and indicators.print_title_rows == "$1:$1"


def test_the_summary_sheet_shows_a_standard_s_earlier_years_scores(tmp_path):
    from parkrules.base.i18n import t

    out = tmp_path / "report.xlsx"
    result = CliRunner().invoke(
        cli,
        ["assess", str(PARKS / "green-valley.yaml"), "-s", "cn-green-park@2016", "--lang", "en", "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out).worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    row = dict(zip(headers, (cell.value for cell in sheet[2]), strict=False))
    earlier = row[t("score_earlier", "en")]
    assert earlier.startswith("2022 ") and ", 2023 " in earlier
