"""The HTML report printed to PDF by a headless Chromium (its print stylesheet: A4, a park per page, repeated table
heads), where one is installed; a clear error where none is."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from parkrules.base.errors import Location, ParkrulesError

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIME_LIMIT = 120  # seconds


def browser() -> str | None:
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


def render(html: str) -> bytes:
    executable = browser()
    if executable is None:
        raise ParkrulesError(
            "--format pdf needs a Chromium or Chrome on PATH (Debian: apt install chromium); --format html and the "
            "browser's own Print → PDF give the same pages",
            Location("--format"),
        )
    with tempfile.TemporaryDirectory(prefix="parkrules-pdf-") as folder:
        page, pdf = Path(folder) / "report.html", Path(folder) / "report.pdf"
        page.write_text(html, encoding="utf-8")
        command = [
            executable, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
            "--disable-background-networking", "--no-pdf-header-footer", f"--user-data-dir={folder}/profile",
            f"--print-to-pdf={pdf}", page.as_uri(),
        ]  # fmt: skip
        try:
            subprocess.run(command, capture_output=True, timeout=TIME_LIMIT, check=False)
        except subprocess.TimeoutExpired as exc:
            raise ParkrulesError(f"the browser took longer than {TIME_LIMIT} s to print", Location("--format")) from exc
        if not pdf.is_file() or pdf.stat().st_size == 0:
            raise ParkrulesError(f"{executable} did not print the report to PDF", Location("--format"))
        return pdf.read_bytes()
