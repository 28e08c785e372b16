"""Running assessments: many parks × many packs, one bad park never stopping the others."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from parkrules.analysis import crosswalk
from parkrules.analysis.remedy import with_remedies
from parkrules.analysis.trend import earlier_years, with_earlier_scores, with_trends
from parkrules.base.errors import Location, ParkrulesError
from parkrules.base.names import Names
from parkrules.io.park import Park, load_park
from parkrules.io.parkio import PARK_SUFFIXES
from parkrules.io.vocabulary import Vocabulary
from parkrules.model.catalog import Catalog
from parkrules.model.parkcheck import KnownIds
from parkrules.model.plan import Plan, compile_plan
from parkrules.model.result import Assessment, FactGiven, ParkData, ParkRef, RunResult, StandardRef
from parkrules.rules.verdict import decide
from parkrules.run.benchmarks import Benchmarks, benchmark_for
from parkrules.run.evaluate import Context, evaluate_plan, factor_values


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given; folders become their park files, in name order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix in PARK_SUFFIXES))
        else:
            files.append(path)
    return files


def compile_standards(catalog: Catalog, specs: list[str], run: RunResult, period: int | None = None) -> list[Plan]:
    """Plans for the requested packs (every standard and analysis pack when none are named); with `period`, a
    standard named without `@version` is the edition in force in that year (`run.editions` says why)."""
    try:
        catalog.vocabulary  # noqa: B018 - load once: a broken vocabulary is one error, not one per pack
    except ParkrulesError as exc:
        run.errors.append({**exc.to_dict(), "park": None})
        return []
    if not specs:
        specs = [pid for pid in catalog.pack_ids() if _is_assessable(catalog, pid, run)]
    plans = []
    for spec in specs:
        try:
            if period is not None and "@" not in spec:
                pack, why = catalog.in_force(spec, period)
                run.editions[pack.ref] = why
            else:
                pack = catalog.resolve(spec)
            if pack.kind == "method":
                raise ParkrulesError(
                    f"{pack.ref} is an accounting method, not a standard: "
                    "it is applied through the standards that require it",
                    Location(pack.file, None, "kind"),
                )
            plans.append(compile_plan(catalog, pack))
        except ParkrulesError as exc:
            run.errors.append({**exc.to_dict(), "park": None})
    return plans


def _is_assessable(catalog: Catalog, pack_id: str, run: RunResult) -> bool:
    try:
        return catalog.resolve(pack_id).kind != "method"
    except ParkrulesError as exc:
        run.errors.append({**exc.to_dict(), "park": None})
        return False


@dataclass(frozen=True)
class RunOptions:
    """What the command line adds: the year base(x) reads, a benchmark park file for every park, and
    whether to work out what it takes to pass."""

    base_year: int | None = None
    benchmark: Path | None = None
    remedies: bool = True  # what it takes, for each failing indicator


def assess_parks(
    catalog: Catalog,
    plans: list[Plan],
    paths: list[Path],
    period: int | None,
    run: RunResult,
    options: RunOptions | None = None,
    on_park: Callable[[str], None] | None = None,
) -> None:
    """Assess every park against every plan; `on_park(file)` is told as each park is done (progress)."""
    options = options or RunOptions()
    known = KnownIds(catalog, plans)
    benchmarks = Benchmarks(catalog.vocabulary, catalog.factor_table)
    for path in paths:
        if on_park is not None:
            on_park(path.name)
        park, errors = load_park(path, catalog.vocabulary, catalog.factor_table)
        if park is not None:
            errors = _check_park(park, known, period, options.base_year)
        if park is None or errors:
            park_id = park.id if park else None
            run.errors.extend({**error.to_dict(), "park": park_id} for error in errors)
            continue
        run.warnings.extend({**warning.to_dict(), "park": park.id} for warning in known.park_warnings(park))
        run.parks.append(park_data(park, catalog.vocabulary))
        year = period if period is not None else max(park.years)
        benchmark_path = options.benchmark or park.benchmark
        benchmark = (
            None
            if benchmark_path is None
            else benchmarks.load(
                benchmark_path, park.id, park.file, run.errors.append, named=options.benchmark is not None
            )
        )
        for plan in plans:
            try:
                context = Context(options.base_year, benchmark_for(plan, benchmark))
                run.assessments.append(_assess(plan, park, year, context, catalog.vocabulary, options.remedies))
            except ParkrulesError as exc:
                run.errors.append({**exc.to_dict(), "park": park.id})
    run.crosswalk = crosswalk.build(catalog.vocabulary, run.assessments)
    run.names |= input_names(run, plans, catalog.vocabulary)


def input_names(run: RunResult, plans: list[Plan], vocabulary: Vocabulary) -> dict[str, Names]:
    """The names of the factors the assessments used and of the facts and factors their results list as missing, so
    reports name them in their language (`factor:ef_x` and `fact@2021` are named by their fact or factor)."""
    factors = {factor_id: slot.factor.name for plan in plans for factor_id, slot in plan.factors.items()}
    names: dict[str, Names] = {}
    for assessment in run.assessments:
        names |= {used.id: factors[used.id] for used in assessment.factors if used.id in factors}
        for result in assessment.indicators:
            for given in result.missing:
                base = given.removeprefix("factor:").split("@", 1)[0]
                if given.startswith("factor:") and base in factors:
                    names[base] = factors[base]
                elif base in vocabulary.facts:
                    names[base] = vocabulary.facts[base].name
    return names


def park_data(park: Park, vocabulary: Vocabulary) -> ParkData:
    """The park's facts for the provenance section of a report."""
    facts = [
        FactGiven(
            year,
            fact_id,
            vocabulary.facts[fact_id].name,
            given.given,
            given.value,
            vocabulary.facts[fact_id].unit,
            given.source,
        )
        for year, data in sorted(park.years.items())
        for fact_id, given in data.facts.items()
    ]
    return ParkData(park.id, park.name, park.file, tuple(facts))


def _check_park(park: Park, known: KnownIds, period: int | None, base_year: int | None) -> list[ParkrulesError]:
    errors = known.park_errors(park)
    assessed = period if period is not None else max(park.years)
    if base_year is not None and base_year >= assessed:
        errors.append(
            ParkrulesError(
                f"--base-year {base_year} is not before the assessed year {assessed}",
                Location(park.file, None, "years"),
            )
        )
    if period is not None and period not in park.years:
        years = ", ".join(str(y) for y in sorted(park.years))
        errors.append(
            ParkrulesError(f"no data for {period} (years in file: {years})", Location(park.file, None, "years"))
        )
    return errors


def _assess(plan: Plan, park: Park, year: int, context: Context, vocabulary: Vocabulary, remedies: bool) -> Assessment:
    factors, used = factor_values(plan, park)
    derived, indicators = evaluate_plan(plan, park.years, year, factors, context)
    earlier = earlier_years(plan, park.years, year, factors, context)
    indicators = with_trends(indicators, earlier, year)
    if remedies:
        indicators = with_remedies(plan, park, year, factors, context, vocabulary, indicators)
    pack = plan.pack
    return Assessment(
        park=ParkRef(park.id, park.name, park.file),
        period=year,
        standard=StandardRef(pack.id, pack.version, pack.title, pack.document, pack.kind),
        verdict=with_earlier_scores(plan, decide(pack, plan.indicators, indicators), earlier),
        indicators=tuple(indicators),
        derived=tuple(derived),
        factors=tuple(used),
    )
