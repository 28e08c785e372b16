"""Every YAML test case shipped beside a bundled pack must pass."""

from __future__ import annotations

import pytest

from parkrules.authoring.packcases import case_files, run_file
from parkrules.base.errors import ParkrulesError
from parkrules.formula.periods import special_reference
from parkrules.io.yamlsafe import load_file
from tests.conftest import STANDARDS

FILES = case_files(STANDARDS)


def test_every_bundled_pack_has_test_cases(catalog):
    packs_with_cases = {path.parent.parent.name for path in FILES if path.parent.parent.parent.name != "measures"}
    assert packs_with_cases == set(catalog.pack_ids())


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_pack_cases(catalog, path):
    outcomes = run_file(catalog, path)
    assert outcomes, "a test file must hold cases"
    failures = [f"{o.name}: {'; '.join(o.differences)}" for o in outcomes if not o.passed]
    assert not failures, "\n".join(failures)


def test_every_indicator_has_pass_fail_and_missing_cases(catalog):
    """The pack tests exercise each encoded indicator on all three paths (coverage is visible and enforced);
    a classification indicator on `classified` and `missing`."""
    seen: dict[tuple[str, str], set[str]] = {}
    for path in case_files(STANDARDS):
        document = load_file(path)
        pack_id = document["pack"].split("@")[0]
        for case in document["cases"]:
            for indicator_id, wanted in case["expect"].get("indicators", {}).items():
                seen.setdefault((pack_id, indicator_id), set()).add(wanted.get("status"))
    lacking = {
        (pack_id, indicator.id): sorted(_paths(indicator) - seen.get((pack_id, indicator.id), set()))
        for pack_id in catalog.pack_ids()
        for indicator in catalog.resolve(pack_id).indicators
    }
    assert {key: need for key, need in lacking.items() if need} == {}


def _paths(indicator) -> set[str]:
    """The statuses a case must show: pass and fail, or classified; missing unless the formula reads only has(x)."""
    paths = {"classified"} if indicator.classes else {"pass", "fail"}
    if any(special_reference(name) != "has" for name in indicator.formula.names):
        paths.add("missing")
    return paths


MEASURE_CASES = STANDARDS / "measures" / "cn-park-measures" / "tests" / "effects.yaml"


def test_measure_library_cases_are_found_and_move_the_facts(catalog):
    assert MEASURE_CASES in case_files(STANDARDS)
    outcomes = run_file(catalog, MEASURE_CASES)
    assert outcomes and all(outcome.passed for outcome in outcomes)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (("library: cn-park-measures@2026.12\n", ""), "needs `library: ID@VERSION`"),
        (("green_certificates: 400000", "green_certificate: 400000"), "green_certificate is not a measure of"),
        (("library: cn-park-measures@2026.12", "library: cn-park-measures@1999"), "no measure library"),
    ],
)
def test_broken_measure_cases_are_located_errors(catalog, tmp_path, change, words):
    text = MEASURE_CASES.read_text(encoding="utf-8")
    assert change[0] in text
    path = tmp_path / "cases.yaml"
    path.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    with pytest.raises(ParkrulesError, match=words) as caught:
        run_file(catalog, path)
    assert caught.value.location.file == str(path) and caught.value.location.line
