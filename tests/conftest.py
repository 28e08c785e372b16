"""Shared fixtures: the real bundled standards and parks, never mocks."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

from parkrules.analysis.assess import compile_standards
from parkrules.io.frame import from_parks
from parkrules.io.park import load_park
from parkrules.model.catalog import Catalog
from parkrules.model.result import RunResult

# No per-example deadline: speed is measured by the benchmark scripts, never by a test, and on a loaded machine a
# first example that pays for lazy imports (pyarrow compute, 0.35 s) is not a failure.
settings.register_profile("parkrules", deadline=None)
settings.load_profile("parkrules")

ROOT = Path(__file__).resolve().parent.parent
STANDARDS = ROOT / "standards"
PARKS = ROOT / "parks"


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return Catalog(STANDARDS)


@pytest.fixture(scope="module")
def bundled():
    """The bundled catalog, every pack's plan, and the bundled parks as one frame."""
    catalog = Catalog(STANDARDS)
    plans = compile_standards(catalog, [], RunResult())
    parks = [load_park(path, catalog.vocabulary)[0] for path in sorted(PARKS.glob("*.yaml"))]
    return catalog, plans, from_parks(parks, catalog.vocabulary.facts)


@pytest.fixture
def write(tmp_path: Path):
    """Write a text file under the test's temporary folder and return its path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return _write
