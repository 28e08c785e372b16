"""The upload page in the real headless browser (upload → report → download) and a bounded load test on loopback:
every answer equals the command line's JSON."""

from __future__ import annotations

import json
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

pytest.importorskip("uvicorn", reason="the service is the [serve] extra (in [test] too)")
import httpx  # noqa: E402

from tests.conftest import PARKS  # noqa: E402
from tests.report.test_render_html import OUTPUT, _open, browser  # noqa: E402, F401 - browser is a fixture
from tests.serve.live import running  # noqa: E402
from tests.serve.test_app import NATIONAL, cli_json  # noqa: E402


def test_upload_report_and_download_in_the_browser(browser, tmp_path):  # noqa: F811 - the fixture
    with running() as url:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(url + "/")
        page.set_input_files("#file", str(PARKS / "green-valley.yaml"))
        page.check(f"input[value^='{NATIONAL}@']")
        page.select_option("#lang", "en")
        page.click("#submit")
        page.wait_for_load_state("load")
        OUTPUT.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(OUTPUT / "serve-report.png"))
        assert "green-valley" in page.content() and "PASS" in page.inner_text("body").upper()
        page.go_back()
        page.set_input_files("#file", str(PARKS / "green-valley.yaml"))
        page.select_option("#format", "xlsx")
        with page.expect_download() as download:
            page.click("#submit")
        saved = tmp_path / "report.xlsx"
        download.value.save_as(saved)
        assert saved.read_bytes()[:2] == b"PK" and download.value.suggested_filename.endswith(".xlsx")
        phone = browser.new_page(viewport={"width": 390, "height": 844})
        phone.goto(url + "/")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.screenshot(path=str(OUTPUT / "serve-page-390.png"))


def test_concurrent_clients_get_the_command_lines_answer():
    expected = cli_json("green-valley.yaml", "-s", NATIONAL)
    body = (PARKS / "green-valley.yaml").read_bytes()
    with running() as url:

        def one(_: int) -> tuple[float, dict]:
            start = time.perf_counter()
            answer = httpx.post(url + "/v1/assess", files={"file": ("green-valley.yaml", body)},
                                data={"standard": [NATIONAL]}, timeout=60)  # fmt: skip
            assert answer.status_code == 200
            return time.perf_counter() - start, json.loads(answer.text)

        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(one, range(40)))
    assert all(answer == expected for _, answer in results)
    latencies = sorted(seconds for seconds, _ in results)
    print(f"40 requests, 8 clients: median {statistics.median(latencies):.3f} s, max {latencies[-1]:.3f} s")
