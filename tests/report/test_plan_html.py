"""The plan page in the real headless browser: it loads with no console error or outside request, its charts
draw, its numbers are the JSON plan's, it fits a phone without sideways scrolling, and park text is escaped."""

from __future__ import annotations

import json
from dataclasses import replace

from click.testing import CliRunner

from parkrules.analysis.assess import compile_standards
from parkrules.analysis.planner import PlanRequest, make_plan
from parkrules.base.names import Names
from parkrules.cli.cli import cli
from parkrules.io.measure_library import load_library
from parkrules.io.park import load_park
from parkrules.model.result import RunResult
from parkrules.report import render_plan_html
from tests.conftest import PARKS, ROOT
from tests.report.test_render_html import OUTPUT, _open, browser  # noqa: F401 - browser is a fixture

LIBRARY = ROOT / "tests" / "data" / "measures" / "test-costs.yaml"
ARGS = [
    *("plan", str(PARKS / "coal-town.yaml"), "-s", "cn-national-zero-carbon-park", "--target-year", "2030"),
    *("--milestone", "2027", "--growth", "output=3%", "--discount-rate", "6%", "--measures", str(LIBRARY)),
]


def test_plan_page_matches_the_json_and_fits_a_phone(browser, tmp_path):  # noqa: F811 - the fixture
    html = tmp_path / "plan.html"
    runner = CliRunner()
    written = runner.invoke(cli, [*ARGS, "--format", "html", "-o", str(html)], catch_exceptions=False)
    assert written.exit_code == 0, written.output
    plan = json.loads(runner.invoke(cli, [*ARGS, "--format", "json"], catch_exceptions=False).stdout)
    page, problems = _open(browser, html)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT / "plan-1280.png"), full_page=True)
    assert problems == [], problems
    assert "Verified" in page.inner_text(".banner")
    rows = page.locator("h2:has-text('Measures by year') + div table tbody tr")
    assert rows.count() == len(plan["steps"])
    assert page.locator("td.num strong, p strong").first.inner_text() == f"{plan['discounted_cost']:,.0f}"
    widths = page.evaluate("[...document.images].map(image => image.naturalWidth)")
    assert len(widths) == 3 and all(width > 0 for width in widths)  # trajectory, cost curve, waterfall
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(OUTPUT / "plan-390.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_park_text_is_escaped(browser, catalog, tmp_path):  # noqa: F811 - the fixture
    plans = compile_standards(catalog, ["cn-national-zero-carbon-park"], RunResult())
    park = load_park(PARKS / "coal-town.yaml", catalog.vocabulary, catalog.factor_table)[0]
    hostile = "<img src=x onerror=alert(1)>"
    park = replace(park, name=Names(hostile, hostile))
    outcome = make_plan(plans, park, load_library(LIBRARY, catalog.vocabulary), PlanRequest(2026), catalog.vocabulary)
    html = tmp_path / "plan.html"
    html.write_text(render_plan_html.render(outcome, "en"), encoding="utf-8")
    page, problems = _open(browser, html)
    assert problems == [], problems
    assert hostile in page.inner_text("h1")  # shown as text, never run
    assert page.locator("img[src=x]").count() == 0
