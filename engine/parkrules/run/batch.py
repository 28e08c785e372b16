"""A batch run: many park-years × many packs, streamed frame by frame, one bad row never stopping the rest.

Packs are compiled once per run. Each frame goes through the columnar path, which decides every row, evaluation
errors included; `engine="per-park"` sends every pack through the per-park path (the evaluator, park by park), to
check one against the other.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

from parkrules.base.status import Status
from parkrules.io.frame import Frame
from parkrules.io.park import Park
from parkrules.io.vocabulary import Vocabulary
from parkrules.model.catalog import Catalog
from parkrules.model.parkcheck import KnownIds
from parkrules.model.plan import Plan
from parkrules.rules.results_block import STATUS, STATUSES, PackBlock
from parkrules.run import columnar, per_park
from parkrules.run.batchread import read_frames
from parkrules.run.batchwrite import BatchWriter
from parkrules.run.benchmarks import Benchmarks, benchmark_for
from parkrules.run.evaluate import Context, YearValues, factor_values, values_by_year
from parkrules.run.leafsets import LeafSets


@dataclass
class Summary:
    """What a batch run did: park-years and parks assessed, verdicts per pack, errored rows and parks."""

    park_years: int = 0
    parks: set[str] = field(default_factory=set)
    errors: int = 0
    errored_parks: set[str] = field(default_factory=set)
    failing: set[str] = field(default_factory=set)  # parks with a failed or undecided verdict in some year
    verdicts: dict[str, Counter] = field(default_factory=dict)
    # cohorts: pack → classification indicator → year → class → park-years (development type, decoupling state …)
    classes: dict[str, dict[str, dict[int, Counter]]] = field(default_factory=dict)
    per_park: int = 0  # park-years × packs decided on the per-park path

    def count_classes(self, block: PackBlock, years: np.ndarray, rows: np.ndarray) -> None:
        """Add the classes `rows` took in each classification indicator of the block's pack, year by year."""
        classified = STATUS[Status.CLASSIFIED]
        for column, indicator in enumerate(block.plan.indicators):
            if not indicator.classes:
                continue
            kept = rows[block.status[rows, column] == classified]
            pairs, counts = np.unique(
                np.stack([years[kept], block.choice[kept, column].astype(np.int64)]), axis=1, return_counts=True
            )
            by_year = self.classes.setdefault(block.plan.pack.ref, {}).setdefault(indicator.id, {})
            for (year, choice), number in zip(pairs.T.tolist(), counts.tolist(), strict=True):
                by_year.setdefault(int(year), Counter())[indicator.classes[choice].id] += int(number)

    def as_dict(self) -> dict:
        return {
            "park_years_assessed": self.park_years,
            "parks_assessed": len(self.parks),
            "parks_failing_a_standard": len(self.failing),
            "errors": self.errors,
            "parks_with_errors": len(self.errored_parks),
            "verdicts": {pack: dict(sorted(counts.items())) for pack, counts in self.verdicts.items()},
            "classes": {
                pack: {
                    indicator: {year: dict(sorted(counts.items())) for year, counts in sorted(by_year.items())}
                    for indicator, by_year in indicators.items()
                }
                for pack, indicators in self.classes.items()
            },
            "rows_on_per_park_path": self.per_park,
        }


LEAFSETS_KEPT = 20_000  # sets of missing inputs kept per pack between frames (about 15 MB at most)


@dataclass
class _Compiled:
    plan: Plan
    columnar: columnar.ColumnarPlan | None  # None: the per-park path
    context: Context  # per-park path
    bench: dict[int, YearValues] | None  # columnar path
    # kept from frame to frame: the same few sets of missing inputs recur, and are named once
    leafsets: LeafSets = field(default_factory=LeafSets)


def run_batch(
    catalog: Catalog,
    plans: list[Plan],
    paths: list[Path],
    writer: BatchWriter,
    *,
    period: int | None = None,
    base_year: int | None = None,
    benchmark: Park | None = None,
    engine: str = "columnar",
    chunk_rows: int,
    on_frame: Callable[[int], None] | None = None,
    on_warning: Callable[[dict], None] | None = None,
) -> Summary:
    summary = Summary()

    def on_error(error: dict) -> None:
        summary.errors += 1
        if error.get("park"):
            summary.errored_parks.add(str(error["park"]))
        writer.error(error)

    vocabulary = catalog.vocabulary
    compiled = [_compile(plan, base_year, benchmark, engine) for plan in plans]
    benchmarks = Benchmarks(vocabulary, catalog.factor_table)  # those park files name, each loaded once
    for frame in read_frames(paths, vocabulary, KnownIds(catalog, plans), chunk_rows, on_error, on_warning):
        blocks = [_evaluate(item, frame, vocabulary, base_year, summary) for item in compiled]
        if benchmark is None and frame.benchmarks:  # --benchmark, when given, stands for every park's own
            own = _own_benchmarks(frame, benchmarks, on_error)
            for item, block in zip(compiled, blocks, strict=True):
                if item.plan.reads_benchmark:
                    _with_own_benchmarks(item, frame, vocabulary, base_year, block, own, summary)
        wanted = np.ones(len(frame), bool) if period is None else frame.year == period
        writer.frame(frame, blocks, wanted)
        summary.park_years += int(wanted.sum())
        summary.parks.update(frame.park[wanted])
        for block in blocks:
            assert block.verdict is not None  # decided with the block
            verdicts = block.verdict[wanted]
            counts = summary.verdicts.setdefault(block.plan.pack.ref, Counter())
            for code, number in zip(*np.unique(verdicts, return_counts=True), strict=True):
                counts[STATUSES[code]] += int(number)
            summary.failing.update(
                frame.park[wanted][np.isin(verdicts, [STATUS[Status.FAIL], STATUS[Status.INCOMPLETE]])]
            )
            if any(indicator.classes for indicator in block.plan.indicators):
                summary.count_classes(block, frame.year, np.flatnonzero(wanted))
        if on_frame is not None:
            on_frame(len(frame))
        pa.default_memory_pool().release_unused()  # Arrow's allocator would keep every frame's peak
    writer.close(summary.as_dict())
    return summary


def _own_benchmarks(frame: Frame, benchmarks: Benchmarks, on_error: Callable[[dict], None]) -> dict[str, Park]:
    """Park → the benchmark park its file names; a park whose benchmark file is broken (reported once) is left
    out, and is assessed without one, as a one-park run does."""
    own = {}
    for park_id, path in frame.benchmarks.items():
        loaded = benchmarks.load(path, park_id, frame.files.get(park_id, ""), on_error)
        if loaded is not None:
            own[park_id] = loaded
    return own


def _with_own_benchmarks(
    item: _Compiled,
    frame: Frame,
    vocabulary: Vocabulary,
    base_year: int | None,
    block: PackBlock,
    own: dict[str, Park],
    summary: Summary,
) -> None:
    """The rows of parks with their own benchmark park again, with it."""
    by_benchmark: dict[int, tuple[Park, list[str]]] = {}
    for park_id, benchmark in own.items():
        by_benchmark.setdefault(id(benchmark), (benchmark, []))[1].append(park_id)
    for benchmark, park_ids in by_benchmark.values():
        rows = np.flatnonzero(np.isin(frame.park, park_ids))
        block.put(rows, _evaluate(item, frame.take(rows), vocabulary, base_year, summary, benchmark))


def _compile(plan: Plan, base_year: int | None, benchmark: Park | None, engine: str) -> _Compiled:
    context = Context(base_year, benchmark_for(plan, benchmark))
    compiled = columnar.compile_columnar(plan) if engine == "columnar" else None
    return _Compiled(plan, compiled, context, _bench(plan, benchmark, base_year))


def _bench(plan: Plan, benchmark: Park | None, base_year: int | None) -> dict[int, YearValues] | None:
    """The benchmark park's values, every year, as the columnar path reads them."""
    if benchmark is None:
        return None
    return values_by_year(plan, benchmark.years, factor_values(plan, benchmark)[0], Context(base_year))


def _evaluate(
    item: _Compiled,
    frame: Frame,
    vocabulary: Vocabulary,
    base_year: int | None,
    summary: Summary,
    benchmark: Park | None = None,
) -> PackBlock:
    """The frame's rows under one plan; with `benchmark`, that park stands for the run's."""
    if item.columnar is None:
        context = item.context if benchmark is None else Context(base_year, benchmark_for(item.plan, benchmark))
        summary.per_park += len(frame)
        return per_park.evaluate_parks(item.plan, frame, vocabulary, context)
    if len(item.leafsets) > LEAFSETS_KEPT:
        item.leafsets = LeafSets()  # memory stays bounded however varied the missing data
    bench = item.bench if benchmark is None else _bench(item.plan, benchmark, base_year)
    block = columnar.evaluate_frame(item.columnar, frame, item.leafsets, base_year, bench)
    columnar.finish(block, item.leafsets, frame.year)
    return block
