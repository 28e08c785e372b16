"""The Python API: what an analyst calls from a notebook and a platform from its own service, the same engine the
command line runs.

>>> from parkrules import api
>>> result = api.assess("parks/green-valley.yaml", standards=["cn-national-zero-carbon-park"])
>>> [(v.park, v.standard, v.period, v.status) for v in result.verdicts]
[('green-valley', 'cn-national-zero-carbon-park@2025.07-trial', 2024, 'pass')]
>>> import pyarrow.compute as pc
>>> table = result.to_arrow()  # one row per park × standard × indicator, and one per verdict
>>> table.filter(pc.equal(table["indicator"], "carbon_per_energy")).column("status").to_pylist()
['pass']
>>> import json
>>> json.loads(result.to_json())["schema"]  # the command line's JSON, schema result-1
'parkrules-result-1'

Bad input does not raise: each park or pack that cannot be read is an error in `result.errors` (file, line, field,
message) and the rest is assessed, as on the command line. A park loaded on its own raises `ParkrulesError`:

>>> api.load_park("parks/missing.yaml")
Traceback (most recent call last):
...
parkrules.base.errors.ParkrulesError: parks/missing.yaml: cannot read file: No such file or directory

Plans and explanations:

>>> plan = api.plan("parks/coal-town.yaml", ["cn-national-zero-carbon-park"], target_year=2030,
...                 measures="tests/data/measures/test-costs.yaml")
>>> plan.verified, sorted({step.measure.id for step in plan.steps})
(True, ['coal_to_nonfossil_heat', 'green_certificates', 'nonfossil_heat'])
>>> api.explain("parks/coal-town.yaml", "cn-national-zero-carbon-park", "carbon_per_energy").label
'CO2 emissions per unit of energy consumed (carbon_per_energy) = 2.632 tCO2/tce · 附件3 核心指标; 指标解释1-2'

`to_pandas()` and `to_polars()` need those libraries (`pip install pandas` or `polars`); the rest needs nothing
beyond parkrules itself. Paths may be strings or `pathlib.Path`; a folder means its park files.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parkrules import __version__
from parkrules.analysis.assess import RunOptions, assess_parks, compile_standards, expand_paths
from parkrules.base.errors import Location, ParkrulesError
from parkrules.base.numbers import number
from parkrules.io.park import Park
from parkrules.io.park import load_park as _load_park
from parkrules.model.catalog import MEASURES, Catalog, bundled_root
from parkrules.model.plan import Plan
from parkrules.model.result import RunResult

if TYPE_CHECKING:
    import pyarrow as pa

    from parkrules.analysis.planner import PlanOutcome
    from parkrules.report.explain import Node

PathLike = str | Path
DEFAULT_LIBRARY = Path(MEASURES) / "cn-park-measures" / "2026.12.yaml"


def catalog(standards: PathLike | None = None) -> Catalog:
    """The rule packs, factor tables and vocabulary of a standards folder (default: the bundled ones).

    >>> "cn-national-zero-carbon-park" in catalog().pack_ids()
    True
    """
    return Catalog(Path(standards) if standards is not None else bundled_root() / "standards")


def load_park(path: PathLike, standards: PathLike | None = None) -> Park:
    """A park file (YAML, JSON or a filled-in workbook), checked against the vocabulary; `ParkrulesError` (with
    file, line and field) when it cannot be read."""
    found = catalog(standards)
    park, errors = _load_park(Path(path), found.vocabulary, found.factor_table)
    if errors:
        raise errors[0]
    if park is None:
        raise ParkrulesError("the park could not be read", Location(str(path)))
    return park


class PlanCache:
    """Compiled packs kept between calls, for a long-running service: one catalog, and the plans of each request's
    standards and period, compiled once under a lock. Not for a notebook where packs are being edited: a pack changed
    on disk is not read again."""

    def __init__(self, standards: PathLike | None = None) -> None:
        self.catalog = catalog(standards)
        self._plans: dict[tuple, tuple[list[Plan], list[dict], dict[str, str]]] = {}
        self._lock = threading.Lock()

    def plans(self, specs: Sequence[str], period: int | None) -> tuple[list[Plan], list[dict], dict[str, str]]:
        """The plans, the errors compiling them gave, and the editions chosen (as `compile_standards` gives them)."""
        key = (tuple(specs), period)
        with self._lock:
            if key not in self._plans:
                run = RunResult()
                plans = compile_standards(self.catalog, list(specs), run, period)
                self._plans[key] = (plans, list(run.errors), dict(run.editions))
            return self._plans[key]


@dataclass(frozen=True)
class Verdict:
    park: str
    standard: str  # id@version
    period: int
    status: str  # pass | fail | incomplete | not_applicable


@dataclass(frozen=True)
class AssessmentResult:
    """Every park × standard assessed, with errors and warnings; the same result the command line reports."""

    run: RunResult
    plans: tuple[Plan, ...] = field(default=(), compare=False, repr=False)  # the compiled packs (CI formats)

    @property
    def errors(self) -> list[dict]:
        return self.run.errors

    @property
    def warnings(self) -> list[dict]:
        return self.run.warnings

    @property
    def verdicts(self) -> list[Verdict]:
        return [
            Verdict(a.park.id, f"{a.standard.id}@{a.standard.version}", a.period, str(a.verdict.status))
            for a in self.run.assessments
        ]

    @property
    def passed(self) -> bool:
        """Every standard's verdict is a pass (analyses give none) and nothing was in error."""
        standards = [a for a in self.run.assessments if a.standard.kind != "analysis"]
        return not self.errors and bool(standards) and all(a.verdict.status == "pass" for a in standards)

    def to_dict(self) -> dict[str, Any]:
        """The JSON result (schema `result-1`) as Python objects."""
        return self.run.to_dict(__version__)

    def to_json(self) -> str:
        from parkrules.report import render_json

        return render_json.render(self.run)

    def to_arrow(self) -> pa.Table:
        """The long table of batch runs (`--format parquet`): a row per park × standard × indicator and one per
        verdict, the same columns, text not dictionary-coded."""
        import pyarrow as pa

        from parkrules.run.longtable import SCHEMA, text_of

        rows = []
        for a in self.run.assessments:
            pack = f"{a.standard.id}@{a.standard.version}"
            for r in a.indicators:
                value = number(r.value)
                threshold = r.threshold
                tier = r.state.id if r.state else threshold.tier.en if threshold and threshold.tier else None
                rows.append(
                    {
                        "kind": "indicator", "park": a.park.id, "year": a.period, "pack": pack, "indicator": r.id,
                        "status": str(r.status), "value": value,
                        "value_text": None if value is not None else text_of(r.value), "unit": r.unit,
                        "operator": threshold.operator if threshold else None,
                        "limit": text_of(threshold.value) if threshold else None, "tier": tier,
                        "gap": r.gap.absolute if r.gap else None, "missing": "; ".join(r.missing) or None,
                        "message": r.message,
                    }
                )  # fmt: skip
            score = a.verdict.score.total if a.verdict.score else None
            rows.append({"kind": "verdict", "park": a.park.id, "year": a.period, "pack": pack,
                         "status": str(a.verdict.status), "score": score})  # fmt: skip
        return pa.Table.from_pylist(rows, schema=SCHEMA)

    def to_pandas(self):
        """The Arrow table as a pandas DataFrame (pandas must be installed)."""
        return self.to_arrow().to_pandas()

    def to_polars(self):
        """The Arrow table as a polars DataFrame (polars must be installed)."""
        import polars as pl

        return pl.from_arrow(self.to_arrow())


@dataclass(frozen=True)
class BatchResult:
    """A batch run: its table (the long or wide layout of `--format parquet`) and its summary."""

    table: pa.Table
    summary: dict[str, Any]

    def to_pandas(self):
        return self.table.to_pandas()

    def to_polars(self):
        import polars as pl

        return pl.from_arrow(self.table)


def assess_table(
    inputs: PathLike | Iterable[PathLike],
    standards: Sequence[str] = (),
    *,
    period: int | None = None,
    layout: str = "long",
    standards_dir: PathLike | None = None,
) -> BatchResult:
    """A batch run over park-year tables (CSV, Parquet, a dataset folder) or park files, on the columnar engine, as
    `parkrules assess … --format parquet` runs it: every park-year, bad rows as error rows in the table.

    >>> batch = assess_table("parks/", standards=["cn-national-zero-carbon-park"], layout="wide")
    >>> batch.summary["park_years_assessed"], batch.table.num_rows
    (13, 13)
    """
    import tempfile

    import pyarrow.parquet as pq

    from parkrules.run import CHUNK_ROWS
    from parkrules.run.batch import run_batch
    from parkrules.run.batchread import batch_inputs
    from parkrules.run.batchwrite import Output, open_writer

    paths = [Path(inputs)] if isinstance(inputs, str | Path) else [Path(p) for p in inputs]
    found = catalog(standards_dir)
    run = RunResult()
    plans = compile_standards(found, list(standards), run, period)
    if run.errors:
        raise _first_error(run, str(paths[0]))
    with tempfile.TemporaryDirectory(prefix="parkrules-batch-") as folder:
        out = Path(folder) / "results.parquet"
        writer = open_writer(Output("parquet", out, layout), plans, found.vocabulary)
        summary = run_batch(found, plans, batch_inputs(paths), writer, period=period, chunk_rows=CHUNK_ROWS)
        table = pq.read_table(out)
    return BatchResult(table, summary.as_dict())


def assess(
    parks: PathLike | Iterable[PathLike],
    standards: Sequence[str] = (),
    *,
    period: int | None = None,
    base_year: int | None = None,
    benchmark: PathLike | None = None,
    what_it_takes: bool = True,
    standards_dir: PathLike | None = None,
    on_park: Callable[[str], None] | None = None,
    cache: PlanCache | None = None,
) -> AssessmentResult:
    """Assess park files (or folders of them) against standards (`id` or `id@version`; default every bundled
    standard and analysis), in `period` (default each park's latest year); `on_park(file name)` is told as each
    park is done (progress); `cache` keeps the compiled packs between calls (a service's, `PlanCache`)."""
    paths = [Path(parks)] if isinstance(parks, str | Path) else [Path(p) for p in parks]
    run = RunResult()
    plans: list[Plan] = []
    try:
        if cache is None:
            found = catalog(standards_dir)
            plans = compile_standards(found, list(standards), run, period)
        else:
            found = cache.catalog
            plans, errors, editions = cache.plans(standards, period)
            run.errors += errors
            run.editions |= editions
        if plans:
            options = RunOptions(base_year, Path(benchmark) if benchmark else None, what_it_takes)
            assess_parks(found, plans, expand_paths(paths), period, run, options, on_park=on_park)
    except ParkrulesError as exc:
        run.errors.append({**exc.to_dict(), "park": None})
    return AssessmentResult(run, tuple(plans))


def explain(
    park: PathLike,
    standard: str,
    indicator: str,
    *,
    period: int | None = None,
    base_year: int | None = None,
    benchmark: PathLike | None = None,
    lang: str = "en",
    standards_dir: PathLike | None = None,
) -> Node:
    """How one indicator was computed, as a tree (`.label`, `.children`, `.to_dict()`): formula, inputs with values,
    units and sources, factors, and the status and threshold that applied. `benchmark` (default: the one the park
    file names) and `base_year` as for `assess`."""
    from parkrules.report.explain import explain as explain_tree
    from parkrules.run.benchmarks import benchmark_for
    from parkrules.run.evaluate import Context

    found = catalog(standards_dir)
    run = RunResult()
    plans = compile_standards(found, [standard], run)
    if plans:
        options = RunOptions(base_year, Path(benchmark) if benchmark else None, remedies=False)
        assess_parks(found, plans, [Path(park)], period, run, options)
    if run.errors or not run.assessments:
        raise _first_error(run, str(park))
    loaded = load_park(park, standards_dir)
    benchmark_path = Path(benchmark) if benchmark else loaded.benchmark
    benchmark_park = load_park(benchmark_path, standards_dir) if benchmark_path else None
    context = Context(base_year, benchmark_for(plans[0], benchmark_park))
    return explain_tree(plans[0], loaded, run.assessments[0], context, found.vocabulary, indicator, lang)


def plan(
    park: PathLike,
    standards: Sequence[str],
    *,
    target_year: int,
    milestones: Sequence[int] = (),
    growth: dict[str, float] | None = None,
    discount_rate: float = 0.0,
    budget: float | None = None,
    targets: Sequence[str] = (),
    measures: PathLike | None = None,
    standards_dir: PathLike | None = None,
) -> PlanOutcome:
    """The least-cost plan for a park to pass `standards` by `target_year` (and at each milestone), verified with
    the real packs; `targets` in the command line's forms (`e_park-50%@2030`, `peak(e_park)@2028`); `growth` as
    rates (`{"output": 0.03}`). The outcome has `.verified`, `.steps`, `.unmet`, `.to_dict()` through
    `parkrules.report.render_plan.to_dict`."""
    from parkrules.analysis.planner import PlanRequest, make_plan
    from parkrules.analysis.targets import parse_target
    from parkrules.io.measure_library import load_library

    found = catalog(standards_dir)
    run = RunResult()
    plans = compile_standards(found, list(standards), run)
    if run.errors:
        raise _first_error(run, str(park))
    library = load_library(Path(measures) if measures else bundled_root() / "standards" / DEFAULT_LIBRARY,
                           found.vocabulary)  # fmt: skip
    try:
        parsed = tuple(parse_target(text) for text in targets)
    except ValueError as exc:
        raise ParkrulesError(str(exc), Location("targets")) from exc
    loaded = load_park(park, standards_dir)
    latest = max(loaded.years)
    early = [year for year in (*milestones, target_year) if year <= latest]
    if early:
        message = f"the target year and milestones must be after {latest}, the park's latest year: {early}"
        raise ParkrulesError(message, Location(str(park), None, "years"))
    request = PlanRequest(target_year, tuple(sorted(set(milestones))), growth or {}, discount_rate, budget, parsed)
    return make_plan(plans, loaded, library, request, found.vocabulary)


def _first_error(run: RunResult, file: str) -> ParkrulesError:
    """The run's first error (a located one, as the command line prints it) as an exception."""
    error: dict[str, Any] = run.errors[0] if run.errors else {"message": "nothing was assessed"}
    line = error.get("line")
    return ParkrulesError(
        error["message"], Location(error.get("file") or file, line if isinstance(line, int) else None)
    )


def plan_json(outcome: PlanOutcome) -> str:
    """A plan as the command line's JSON (schema `plan-1`)."""
    from parkrules.report.render_plan import to_dict

    return json.dumps(to_dict(outcome), ensure_ascii=False, indent=2, allow_nan=False)
