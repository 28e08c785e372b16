"""Pack test cases: YAML files beside each pack (`<pack>/tests/*.yaml`), input facts → expected results.

A case is assessed like a park: one year (`facts`), or several (`years`, for formulas with
period references; `year` picks the one assessed, default the latest; `base_year` the year
`base(x)` reads; `benchmark` the data `benchmark(x)` reads). Expected values are compared
within a tolerance (absolute, in the quantity's unit; default 1e-9 relative), statuses, class
states, the verdict and the grade exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parkrules.analysis.projection import with_changes
from parkrules.base.errors import Location, ParkrulesError
from parkrules.base.names import Names
from parkrules.io import schema
from parkrules.io.measure_library import MeasureLibrary, load_library
from parkrules.io.park import Park, Year, parse_facts, parse_overrides
from parkrules.io.yamlsafe import load_file
from parkrules.model.catalog import MEASURES, Catalog
from parkrules.model.pack import Pack
from parkrules.model.parkcheck import KnownIds
from parkrules.model.plan import compile_plan
from parkrules.model.result import DerivedResult, IndicatorResult, Verdict
from parkrules.rules.verdict import decide
from parkrules.run.evaluate import Benchmark, Context, evaluate_plan, factor_values

CASE_YEAR = 0


@dataclass(frozen=True)
class CaseOutcome:
    file: str
    line: int | None
    name: str
    differences: tuple[str, ...]
    pack: Pack | None = field(default=None, compare=False, repr=False)
    # What the case actually gave: for coverage and for `--update`.
    indicators: tuple[IndicatorResult, ...] = field(default=(), compare=False, repr=False)
    derived: tuple[DerivedResult, ...] = field(default=(), compare=False, repr=False)
    verdict: Verdict | None = field(default=None, compare=False, repr=False)

    @property
    def passed(self) -> bool:
        return not self.differences


def case_files(root: Path) -> list[Path]:
    """Every pack's cases, and every measure library's (`measures/<id>/tests/`)."""
    return sorted([*root.glob("*/tests/*.yaml"), *root.glob(f"{MEASURES}/*/tests/*.yaml")])


def run_file(catalog: Catalog, path: Path) -> list[CaseOutcome]:
    """Run every case of one test file; a broken file raises a located ParkrulesError."""
    document = load_file(path)
    file = str(path)
    schema.validate(document, "pack-tests-1", file)
    pack = catalog.resolve(document["pack"], Location(file, document.line_of("pack"), "pack"))
    plan = compile_plan(catalog, pack)
    library = _library(document, catalog, file) if "library" in document else None
    outcomes = []
    for i, case in enumerate(document["cases"]):
        line = document["cases"].line_of(i)
        errors: list[ParkrulesError] = []
        years = _years(case, f"cases[{i}]", catalog, file, errors)
        overrides = parse_overrides(case.get("factors", {}), file, errors, catalog.factor_table)
        if errors:
            raise errors[0]
        assessed = case.get("year", max(years))
        if assessed not in years:
            raise ParkrulesError(f"year {assessed} is not among the case's years", Location(file, line, f"cases[{i}]"))
        park = Park(case["name"], Names(case["name"], case["name"]), "", "", file, years, overrides)
        if "measures" in case:
            moved = _moved(case["measures"], library, Location(file, line, f"cases[{i}].measures"))
            park = with_changes(park, {assessed: moved})
            years = park.years
        for error in KnownIds(catalog, [plan]).shadowed_overrides(park):
            raise error  # a whole factor the pack derives from its parts: the case would test nothing
        factors, _ = factor_values(plan, park)
        context = Context(case.get("base_year"), _benchmark(case, i, plan, catalog, file))
        derived, indicators = evaluate_plan(plan, years, assessed, factors, context)
        verdict = decide(pack, plan.indicators, indicators)
        differences = tuple(_differences(case["expect"], derived, indicators, verdict))
        outcomes.append(
            CaseOutcome(file, line, case["name"], differences, pack, tuple(indicators), tuple(derived), verdict)
        )
    return outcomes


def _library(document: Any, catalog: Catalog, file: str) -> MeasureLibrary:
    """The measure library the file names (`id@version`, in the standards folder's `measures/`)."""
    library_id, _, version = document["library"].partition("@")
    path = catalog.root / MEASURES / library_id / f"{version}.yaml"
    if not path.is_file():
        raise ParkrulesError(f"no measure library {document['library']} in {catalog.root / MEASURES}",
                             Location(file, document.line_of("library"), "library"))  # fmt: skip
    return load_library(path, catalog.vocabulary)


def _moved(sizes: dict, library: MeasureLibrary | None, where: Location) -> dict[str, float]:
    """Fact → change, from measure sizes (each measure's effects per unit × its size)."""
    if library is None:
        raise ParkrulesError("a case with measures needs `library: ID@VERSION` at the top of the file", where)
    by_id = {measure.id: measure for measure in library.measures}
    changes: dict[str, float] = {}
    for measure_id, size in sizes.items():
        if measure_id not in by_id:
            raise ParkrulesError(f"{measure_id} is not a measure of {library.ref}", where)
        for effect in by_id[measure_id].effects:
            changes[effect.fact] = changes.get(effect.fact, 0.0) + effect.per_unit * size
    return changes


def _benchmark(case: dict, i: int, plan, catalog: Catalog, file: str) -> Benchmark | None:
    """The case's benchmark park (its own facts, the pack's default factors), if it gives one."""
    if "benchmark" not in case:
        return None
    errors: list[ParkrulesError] = []
    years = _years(case["benchmark"], f"cases[{i}].benchmark", catalog, file, errors)
    if errors:
        raise errors[0]
    park = Park("benchmark", Names("标杆园区", "benchmark"), "", "", file, years, {})
    return Benchmark(years, factor_values(plan, park)[0])


def _years(case: dict, prefix: str, catalog: Catalog, file: str, errors: list) -> dict[int, Year]:
    common = parse_facts(case.get("facts", {}), f"{prefix}.facts", catalog.vocabulary, file, errors)
    if "years" not in case:
        return {CASE_YEAR: Year(facts=common, exclusions=dict(case.get("exclusions", {})))}
    years = {}
    for key, raw in case["years"].items():
        facts = parse_facts(raw.get("facts", {}), f"{prefix}.years.{key}.facts", catalog.vocabulary, file, errors)
        years[int(key)] = Year(facts={**common, **facts}, exclusions=dict(raw.get("exclusions", {})))
    return years


def _differences(expect: dict, derived, indicators, verdict) -> list[str]:
    found: list[str] = []
    if "verdict" in expect and expect["verdict"] != verdict.status:
        found.append(f"verdict: expected {expect['verdict']}, got {verdict.status} ({verdict.reason.en})")
    found.extend(_score_differences(expect, verdict, indicators))
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
    if "state" in wanted:
        got = result.state.id if getattr(result, "state", None) else None
        if got != wanted["state"]:
            found.append(f"{label}.state: expected {wanted['state']}, got {got} {result.message or ''}".rstrip())
    if "message" in wanted and wanted["message"] not in (result.message or ""):
        found.append(f"{label}.message: expected it to contain {wanted['message']!r}, got {result.message!r}")
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


def _score_differences(expect: dict, verdict, indicators) -> list[str]:
    found = []
    points = {r.id: r.points for r in indicators}
    for indicator_id, wanted in expect.get("points", {}).items():
        got = points.get(indicator_id)
        if (wanted is None) != (got is None) or (wanted is not None and abs(got - wanted) > 1e-9 * max(1, wanted)):
            found.append(f"points.{indicator_id}: expected {wanted}, got {got}")
    if "score" not in expect:
        return found
    wanted, scored = expect["score"], verdict.score
    if scored is None:
        return [*found, "score: expected a score, the pack computes none"]
    tolerance = wanted.get("tolerance", 1e-6)
    for key in ("total", "upper"):
        if key in wanted and abs(getattr(scored, key) - wanted[key]) > tolerance:
            found.append(f"score.{key}: expected {wanted[key]} ± {tolerance:g}, got {getattr(scored, key)}")
    if "grade" in wanted:
        got = scored.grade.en if scored.grade else None
        if got != wanted["grade"]:
            found.append(f"score.grade: expected {wanted['grade']}, got {got}")
    return found
