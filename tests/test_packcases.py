"""Every YAML test case shipped beside a bundled pack must pass."""

from __future__ import annotations

import pytest
from parkrules.packcases import case_files, run_file

from .conftest import STANDARDS

FILES = case_files(STANDARDS)


def test_every_bundled_pack_has_test_cases(catalog):
    packs_with_cases = {path.parent.parent.name for path in FILES}
    assert packs_with_cases == set(catalog.pack_ids())


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_pack_cases(catalog, path):
    outcomes = run_file(catalog, path)
    assert outcomes, "a test file must hold cases"
    failures = [f"{o.name}: {'; '.join(o.differences)}" for o in outcomes if not o.passed]
    assert not failures, "\n".join(failures)
