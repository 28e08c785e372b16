"""Shared fixtures: the real bundled standards and parks, never mocks."""

from __future__ import annotations

from pathlib import Path

import pytest
from parkrules.catalog import Catalog

ROOT = Path(__file__).resolve().parent.parent
STANDARDS = ROOT / "standards"
PARKS = ROOT / "parks"


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return Catalog(STANDARDS)


@pytest.fixture
def write(tmp_path: Path):
    """Write a text file under the test's temporary folder and return its path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return _write
