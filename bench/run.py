"""The batch benchmark: prints throughput of the columnar path, the per-park path and a hand-written baseline
of the same rules, their ratios, peak memory as the batch grows, and the start-up time of one park's assessment.

    python bench/run.py                     # N = 100 000 park-years, memory at 10 000 and 100 000
    python bench/run.py --memory-up-to 1000000   # also the 1 000 000 park-year run (several minutes)
    python bench/run.py --anchors ../shared/bench-anchors   # the independent workload (bench/anchors.py)

Every figure is measured in this run; targets are ratios against the baseline measured here too.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import anchors  # noqa: E402
import baseline  # noqa: E402
import synthetic  # noqa: E402

from parkrules.analysis.assess import compile_standards  # noqa: E402
from parkrules.authoring import template  # noqa: E402
from parkrules.io.frame import Frame  # noqa: E402
from parkrules.model.catalog import Catalog, bundled_root  # noqa: E402
from parkrules.model.parkcheck import KnownIds  # noqa: E402
from parkrules.model.result import RunResult  # noqa: E402
from parkrules.rules.results_block import STATUSES  # noqa: E402
from parkrules.run import (  # noqa: E402
    CHUNK_ROWS,  # noqa: E402
    columnar,
    per_park,
)
from parkrules.run.batchread import read_frames  # noqa: E402
from parkrules.run.evaluate import Context  # noqa: E402
from parkrules.run.leafsets import LeafSets  # noqa: E402

NATIONAL = "cn-national-zero-carbon-park"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parks", type=int, default=100_000, help="park-years for the throughput figures")
    parser.add_argument("--sample", type=int, default=5_000, help="park-years for the per-park path and baseline")
    parser.add_argument("--memory-up-to", type=int, default=100_000, help="largest batch for the memory figures")
    parser.add_argument("--anchors", type=Path, help="the independent workload's folder (../shared/bench-anchors)")
    parser.add_argument("--anchor-parks", type=int, default=100_000, help="parks of the independent workload")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the independent workload")
    parser.add_argument("--anchors-python", default=sys.executable, help="the Python that runs the workload's variants")
    args = parser.parse_args()
    if args.anchors is not None:  # the independent workload instead of our own
        anchors.run(args.anchors.resolve(), args.anchor_parks, args.rounds, args.anchors_python)
        return
    catalog = Catalog(bundled_root() / "standards")
    plans = compile_standards(catalog, [], RunResult())
    national = next(plan for plan in plans if plan.pack.id == NATIONAL)
    facts = [catalog.vocabulary.facts[f] for f in template.needed_facts(plans, catalog.vocabulary)]
    work = Path(tempfile.mkdtemp(prefix="parkrules-bench-"))
    data = work / f"parks-{args.parks}.parquet"
    factors = {factor_id: slot.value for plan in plans for factor_id, slot in plan.factors.items()}
    rare = synthetic.uncountable(factors, facts)
    synthetic.write(data, facts, args.parks, rare=rare)
    frames = list(read_frames([data], catalog.vocabulary, KnownIds(catalog, plans), CHUNK_ROWS, lambda error: None))
    rows = sum(len(f) for f in frames)
    print(
        f"data: {rows} park-years × {len(facts)} facts ({data.stat().st_size / 1e6:.0f} MB Parquet), {len(plans)} packs"
    )

    columnar_national = _columnar_rate(national, frames)
    columnar_all = sum(_columnar_seconds(plan, frames) for plan in plans)
    evaluations_all = rows * sum(len(plan.indicators) for plan in plans)
    sample = frames[0].take(np.arange(min(args.sample, len(frames[0]))))
    per_park_rate, engine_status = _per_park_rate(national, sample, catalog)
    baseline_rate, baseline_status = _baseline_rate(national, sample, catalog)
    agree = np.mean(engine_status == baseline_status)
    width = len(national.indicators)
    print("\nthroughput, pack", national.pack.ref, f"({width} indicators)")
    print(
        f"  hand-written baseline  {baseline_rate:>12,.0f} park-years/s  {baseline_rate * width:>14,.0f} evaluations/s"
    )
    print(
        f"  per-park path          {per_park_rate:>12,.0f} park-years/s  {per_park_rate * width:>14,.0f} evaluations/s"
        f"  ratio {per_park_rate / baseline_rate:.2f}× baseline"
    )
    print(
        f"  columnar path          {columnar_national:>12,.0f} park-years/s  {columnar_national * width:>14,.0f} "
        f"evaluations/s  ratio {columnar_national / baseline_rate:.1f}× baseline (target ≥ 20×)"
    )
    print(f"  statuses: engine and baseline agree on {agree:.1%} of {engine_status.size} indicator results")
    print(
        f"\ncolumnar path, all {len(plans)} packs: {rows / columnar_all:,.0f} park-years/s, "
        f"{evaluations_all / columnar_all:,.0f} indicator evaluations/s"
    )
    _memory(facts, rare, work, args.memory_up_to)
    _start_up()


REPEATS = 3  # every timed figure is the best of this many runs, the baseline's too: the machine's load varies


def _columnar_seconds(plan, frames: list[Frame]) -> float:
    compiled = columnar.compile_columnar(plan)
    seconds = []
    for _ in range(REPEATS):
        leafsets = LeafSets()  # kept from frame to frame, as batch runs keep it
        start = time.perf_counter()
        for frame in frames:
            block = columnar.evaluate_frame(compiled, frame, leafsets)
            columnar.finish(block, leafsets, frame.year)
        seconds.append(time.perf_counter() - start)
    return min(seconds)


def _columnar_rate(plan, frames: list[Frame]) -> float:
    return sum(len(f) for f in frames) / _columnar_seconds(plan, frames)


def _per_park_rate(plan, frame: Frame, catalog: Catalog) -> tuple[float, np.ndarray]:
    """The per-park path (the evaluator, park by park) on the frame's Park objects, made once as for the baseline:
    evaluation and verdicts, as the batch runs them."""
    frame.parks(catalog.vocabulary.facts)  # made once and kept by the frame
    seconds = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        block = per_park.evaluate_parks(plan, frame, catalog.vocabulary, Context())
        seconds.append(time.perf_counter() - start)
    return len(frame) / min(seconds), np.array(STATUSES, object)[block.status]


def _baseline_rate(plan, frame: Frame, catalog: Catalog) -> tuple[float, np.ndarray]:
    parks = frame.parks(catalog.vocabulary.facts)
    # the same input the per-park path starts from: each year's plain values, as the frame made them
    inputs = [year.values for park in parks.values() for _, year in sorted(park.years.items())]
    factors = {factor_id: slot.value for factor_id, slot in plan.factors.items()}
    seconds = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        results = [baseline.national(facts, factors) for facts in inputs]
        seconds.append(time.perf_counter() - start)
    statuses = np.array([[r[i.id][0] for i in plan.indicators] for r in results], object)
    return len(inputs) / min(seconds), statuses


def _memory(facts, rare: frozenset[str], work: Path, largest: int) -> None:
    """Peak memory of `parkrules assess` (every pack, Parquet out) as the batch grows."""
    print("\npeak memory of `parkrules assess TABLE --format parquet` (every bundled pack):")
    sizes = [n for n in (10_000, 100_000, 1_000_000) if n <= largest]
    peaks = []
    for size in sizes:
        data = work / f"memory-{size}.parquet"
        synthetic.write(data, facts, size, rare=rare)
        command = [
            sys.executable,
            "-m",
            "parkrules",
            "assess",
            str(data),
            "--format",
            "parquet",
            "-o",
            str(work / f"out-{size}.parquet"),
        ]
        probe = (
            "import resource, subprocess, sys, time; t = time.perf_counter(); "
            "subprocess.run(sys.argv[1:], stderr=subprocess.DEVNULL); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, time.perf_counter() - t)"
        )
        out = subprocess.run([sys.executable, "-c", probe, *command], capture_output=True, text=True, check=True)
        kilobytes, seconds = out.stdout.split()
        peaks.append(int(kilobytes) / 1024)
        print(
            f"  N = {size:>9,}: {peaks[-1]:7.0f} MB peak, {float(seconds):7.1f} s wall, "
            f"{size / float(seconds):,.0f} park-years/s end to end"
        )
        data.unlink()
    if len(peaks) > 1:
        growth = peaks[-1] / peaks[0]
        print(f"  memory grew {growth:.2f}× while N grew {sizes[-1] / sizes[0]:.0f}× (target: sub-linear)")


def _start_up() -> None:
    """One park, one pack, wall time of a fresh process: with pint's definition cache already written
    (every run but a machine's first) and with an empty cache folder (the first run)."""
    park = bundled_root() / "parks" / "green-valley.yaml"
    command = [sys.executable, "-m", "parkrules", "assess", str(park), "-s", NATIONAL, "--format", "json"]
    warm = [_wall(command) for _ in range(5)]
    cold = []
    for _ in range(3):
        with tempfile.TemporaryDirectory() as empty:
            cold.append(_wall(command, {**os.environ, "XDG_CACHE_HOME": empty}))
    bare = [_wall([sys.executable, "-c", "pass"]) for _ in range(5)]
    print(
        f"\n`parkrules assess` of one park (one pack): {statistics.median(warm):.2f} s wall, median of 5 "
        f"(target ≤ 0.5 s); a machine's first run (empty cache folder): {statistics.median(cold):.2f} s; "
        f"a bare Python start: {statistics.median(bare):.2f} s"
    )


def _wall(command: list[str], environment: dict | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, env=environment)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
