"""Pack test cases: YAML files beside each pack (`<pack>/tests/*.yaml`), input facts → expected results.

Each case is assessed like a one-year park; expected values are compared within a tolerance
(absolute, in the quantity's unit; default 1e-9 relative), statuses and the verdict exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from parkrules import schema
from parkrules.catalog import Catalog
from parkrules.errors import Location, ParkrulesError
from parkrules.evaluate import evaluate_plan, factor_values
from parkrules.names import Names
from parkrules.park import Park, Year, parse_facts, parse_overrides
from parkrules.plan import compile_plan
from parkrules.verdict import decide
from parkrules.yamlsafe import load_file

CASE_YEAR = 0


@dataclass(frozen=True)
class CaseOutcome:
    file: str
    line: int | None
    name: str
    differences: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.differences


def case_files(root: Path) -> list[Path]:
    return sorted(root.glob("*/tests/*.yaml"))


def run_file(catalog: Catalog, path: Path) -> list[CaseOutcome]:
    """Run every case of one test file; a broken file raises a located ParkrulesError."""
    document = load_file(path)
    file = str(path)
    schema.validate(document, "pack-tests-1", file)
    pack = catalog.resolve(document["pack"], Location(file, document.line_of("pack"), "pack"))
    plan = compile_plan(catalog, pack)
    outcomes = []
    for i, case in enumerate(document["cases"]):
        line = document["cases"].line_of(i)
        errors: list[ParkrulesError] = []
        facts = parse_facts(case["facts"], f"cases[{i}].facts", catalog.vocabulary, file, errors)
        overrides = parse_overrides(case.get("factors", {}), file, errors)
        if errors:
            raise errors[0]
        year = Year(facts=facts, exclusions=dict(case.get("exclusions", {})))
        park = Park(case["name"], Names(case["name"], case["name"]), "", "", file, {CASE_YEAR: year}, overrides)
        factors, _ = factor_values(plan, park)
        derived, indicators = evaluate_plan(plan, {CASE_YEAR: year}, CASE_YEAR, factors)
        verdict = decide(pack, plan.indicators, indicators)
        outcomes.append(
            CaseOutcome(file, line, case["name"], tuple(_differences(case["expect"], derived, indicators, verdict)))
        )
    return outcomes


def _differences(expect: dict, derived, indicators, verdict) -> list[str]:
    found: list[str] = []
    if "verdict" in expect and expect["verdict"] != verdict.status:
        found.append(f"verdict: expected {expect['verdict']}, got {verdict.status} ({verdict.reason.en})")
    actual = {r.id: r for r in indicators} | {r.id: r for r in derived}
    for section in ("indicators", "derived"):
        for item_id, wanted in expect.get(section, {}).items():
            result = actual.get(item_id)
            if result is None:
                found.append(f"{section}.{item_id}: no such result")
                continue
            found.extend(_compare(f"{section}.{item_id}", wanted, result))
    return found


def _compare(label: str, wanted: dict, result) -> list[str]:
    found = []
    if "status" in wanted and wanted["status"] != result.status:
        found.append(
            f"{label}.status: expected {wanted['status']}, got {result.status} {result.message or ''}".rstrip()
        )
    if "missing" in wanted and sorted(wanted["missing"]) != list(result.missing):
        found.append(f"{label}.missing: expected {sorted(wanted['missing'])}, got {list(result.missing)}")
    if "value" in wanted:
        expected, got = wanted["value"], result.value
        if isinstance(expected, (int, float)) and not isinstance(expected, bool) and isinstance(got, (int, float)):
            tolerance = wanted.get("tolerance", 1e-9 * max(1.0, abs(expected)))
            if abs(got - expected) > tolerance:
                found.append(f"{label}.value: expected {expected} ± {tolerance:g}, got {got}")
        elif expected != got:
            found.append(f"{label}.value: expected {expected!r}, got {got!r}")
    if "threshold" in wanted:
        threshold = getattr(result, "threshold", None)
        got = threshold.value if threshold else None
        if got != wanted["threshold"]:
            found.append(f"{label}.threshold: expected {wanted['threshold']}, got {got}")
    return found
