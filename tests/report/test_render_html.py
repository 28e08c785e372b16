"""The HTML report in a real headless browser (Debian's Chromium driven by Playwright).

The browser is installed by the test set-up (`.ci/install-browser`); where it is absent these
tests skip and say why. Screenshots go to `test-output/` for a person to look at.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from parkrules.base.i18n import t
from parkrules.cli.cli import cli
from parkrules.report.present import number
from tests.conftest import PARKS, ROOT

OUTPUT = Path(os.environ.get("PARKRULES_TEST_OUTPUT", ROOT / "test-output"))
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",  # the machine's network is closed: no update or sync calls
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Sans SC")


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip("no Chromium on this machine: run .ci/install-browser (Debian's chromium and fonts-noto-cjk)")
    return path


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright is in the [test] extra")
    executable = _chromium()
    with playwright.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


def _report(tmp_path: Path, park: str, lang: str) -> tuple[Path, dict]:
    """The same run as HTML and as JSON."""
    runner = CliRunner()
    html = tmp_path / f"{park}-{lang}.html"
    args = ["assess", str(PARKS / f"{park}.yaml"), "--lang", lang]
    runner.invoke(cli, [*args, "--format", "html", "--output", str(html)], catch_exceptions=False)
    result = runner.invoke(cli, [*args, "--format", "json"], catch_exceptions=False)
    return html, json.loads(result.stdout)


def _open(browser, path: Path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "request", lambda request: None if request.url.startswith(("file:", "data:")) else problems.append(request.url)
    )
    page.goto(path.as_uri(), wait_until="load")
    return page, problems


@pytest.mark.parametrize(("park", "lang"), [("green-valley", "zh"), ("west-hitech", "en")])
def test_page_renders_without_console_errors_and_matches_the_json(browser, tmp_path, park, lang):
    html, result = _report(tmp_path, park, lang)
    page, problems = _open(browser, html)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    shot = OUTPUT / f"report-{park}-{lang}.png"
    page.screenshot(path=str(shot), full_page=False)
    assert problems == [], problems  # no console errors and no request leaving the file
    assert shot.stat().st_size > 10_000

    banners = page.eval_on_selector_all(
        "section.assessment",
        "els => els.map(e => [e.dataset.standard, e.querySelector('.banner').dataset.verdict])",
    )
    expected = [
        [f"{a['standard']['id']}@{a['standard']['version']}", a["verdict"]["status"]] for a in result["assessments"]
    ]
    assert banners == expected

    for assessment in result["assessments"]:
        ref = f"{assessment['standard']['id']}@{assessment['standard']['version']}"
        rows = page.eval_on_selector_all(
            f'section.assessment[data-standard="{ref}"] table.indicators tbody tr',
            "els => els.map(e => [e.dataset.indicator, e.dataset.status, e.querySelector('td.value').innerText])",
        )
        assert [(i, s) for i, s, _ in rows] == [(i["id"], i["status"]) for i in assessment["indicators"]]
        for (_, _, shown), indicator in zip(rows, assessment["indicators"], strict=True):
            value = indicator["value"]
            if isinstance(value, bool):
                assert shown.strip() == t("yes" if value else "no", lang)
            elif isinstance(value, (int, float)):
                assert shown.split()[0] == number(value), (indicator["id"], shown, value)
            elif value is None:
                assert shown.strip() == "—"
    page.close()


def test_chinese_text_is_drawn_with_a_chinese_font(browser, tmp_path):
    """Chromium reports which installed font drew each glyph: the Chinese title must not fall back to boxes."""
    html, _ = _report(tmp_path, "green-valley", "zh")
    page, _ = _open(browser, html)
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument")["root"]["nodeId"]
    heading = session.send("DOM.querySelector", {"nodeId": root, "selector": "h1"})["nodeId"]
    fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": heading})["fonts"]
    assert page.inner_text("h1") == "园区评估报告"
    assert fonts, "no font drew the heading"
    assert all(font["familyName"] in CJK_FONTS for font in fonts), fonts
    assert sum(font["glyphCount"] for font in fonts) == len("园区评估报告")
    page.close()


def test_several_years_give_charts_and_one_file_holds_everything(browser, tmp_path):
    html, result = _report(tmp_path, "west-hitech", "en")
    page, problems = _open(browser, html)
    charts = page.eval_on_selector_all("figure img", "els => els.map(e => [e.src.slice(0, 26), e.naturalWidth])")
    assert charts, "a park with five years shows its indicators over the years"
    assert all(src == "data:image/svg+xml;base64," and width > 0 for src, width in charts)
    page.locator("figure").first.scroll_into_view_if_needed()
    page.screenshot(path=str(OUTPUT / "report-west-hitech-charts.png"))
    facts = page.locator("table.facts tbody tr").count()
    assert facts == len(result["parks"][0]["facts"])
    assert problems == []
    page.close()


def test_report_to_hand_over_contents_footnotes_phone_and_metadata(browser, tmp_path):
    html = tmp_path / "report.html"
    args = ["assess", str(PARKS / "coal-town.yaml"), "--lang", "en", "--assessor", "<b>Zhang</b>"]
    CliRunner().invoke(cli, [*args, "--format", "html", "--output", str(html)], catch_exceptions=False)
    page, problems = _open(browser, html)
    assert problems == [], problems
    sections = page.locator("section.assessment").count()
    assert page.locator("nav.contents a[href^='#a']").count() == sections > 1  # a link to each park × standard
    assert page.locator("section.assessment details[open]").count() == sections  # each folds, open to begin
    notes = page.locator("section.assessment ol.footnotes li")
    assert notes.count() > 0 and page.locator("sup.fn").count() == notes.count()  # provisional marks on paper
    national = page.locator("#summary tr[data-standard^='cn-national-zero-carbon-park@']")
    assert "CO2 emissions per unit of energy consumed" in national.inner_text()  # what decided the fail
    header = page.inner_text("header")
    assert "Assessor: <b>Zhang</b>" in header and "cn-national-zero-carbon-park@2025.07-trial (" in header
    page.set_viewport_size({"width": 390, "height": 844})
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT / "report-coal-town-390.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling on a phone
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(OUTPUT / "report-coal-town-1280.png"))


def test_pdf_is_printed_by_the_browser(tmp_path):
    _chromium()
    pdf = tmp_path / "report.pdf"
    result = CliRunner().invoke(cli, ["assess", str(PARKS / "green-valley.yaml"), "-s", "cn-national-zero-carbon-park",
                                      "--output", str(pdf)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 10_000
