"""The independent workload (`../shared/bench-anchors`: 60 rules in 3 standards, not ours) side by side with its
hand-written baseline and the other engines, as ratios to the baseline of the same round.

    python bench/run.py --anchors ../shared/bench-anchors [--anchor-parks 100000] [--rounds 3] [--anchors-python PY]

The workload's own scripts make the parkrules pack and the park-year table; its `bench_one.py` times each variant
(the hand-written baseline, numpy, polars, OpenFisca: those installed) in a process of its own, run by `PY`: a
separate virtual environment with the workload's `requirements.txt`, as its README advises (default: this Python).
parkrules is timed three ways, each in a fresh process too: columnar evaluation (the frames read beforehand), read +
evaluate + write in process (a Parquet file), and `parkrules assess` end to end, long and wide layout. Every round
runs every figure once, in turn; the best round is printed last. Peak memory is the process's maximum resident set
(for the variants, what `bench_one.py` reports: the peak above the memory before the run).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

VARIANTS = ("py_handwritten", "numpy_vectorised", "polars_lazy", "openfisca")
BASELINE = "py_handwritten"


def run(anchors: Path, parks: int, rounds: int, python: str = sys.executable) -> None:
    work = Path(tempfile.mkdtemp(prefix="parkrules-anchors-"))
    pack = anchors / "parkrules-pack"
    _quiet([sys.executable, str(pack / "gen_pack.py"), str(work / "standards")])
    _quiet([sys.executable, str(pack / "make_table.py"), str(parks), str(work / "parks.parquet")])
    print(f"independent workload: {parks} parks × 60 rules ({anchors}), load {os.getloadavg()[0]:.2f}")
    best: dict[str, tuple[float, float, float | None]] = {}  # name → (ratio, seconds, peak MB) of its best round
    for number in range(1, rounds + 1):
        figures = {name: _variant(python, anchors, name, parks) for name in VARIANTS}
        base = figures[BASELINE]
        if base is None:
            raise SystemExit("the hand-written baseline did not run: see the workload's requirements.txt")
        figures["parkrules columnar evaluation"] = _measure("evaluate", work)
        figures["parkrules read + evaluate + write"] = _measure("pipeline", work)
        figures["parkrules assess, long"] = _cli(work, "long")
        figures["parkrules assess, wide"] = _cli(work, "wide")
        print(f"\nround {number} (load {os.getloadavg()[0]:.2f}):")
        for name, figure in figures.items():
            if figure is None:
                print(f"  {name:38s} not installed")
                continue
            seconds, peak = figure
            ratio = base[0] / seconds
            print(f"  {name:38s} {seconds:7.3f} s  {ratio:6.2f}× baseline  {_mb(peak)}")
            if name not in best or ratio > best[name][0]:
                best[name] = (ratio, seconds, peak)
    print(f"\nbest of {rounds} rounds (ratio to the baseline of the same round):")
    for name, (ratio, seconds, peak) in best.items():
        print(f"  {name:38s} {seconds:7.3f} s  {ratio:6.2f}× baseline  {_mb(peak)}")


def _mb(peak: float | None) -> str:
    return "" if peak is None else f"peak {peak:,.0f} MB"


def _quiet(command: list[str]) -> None:
    subprocess.run(command, check=True, capture_output=True)


def _variant(python: str, anchors: Path, name: str, parks: int) -> tuple[float, float | None] | None:
    """The variant's median run time and peak memory, in its own process; None where it is not installed."""
    done = subprocess.run(
        [python, "bench_one.py", "--variant", name, "--n", str(parks), "--reps", "3", "--fast-reps", "3"],
        cwd=anchors,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        return None
    record = json.loads(done.stdout.strip().splitlines()[-1])
    return record["median_s"], record["peak_mb"]


def _cli(work: Path, layout: str) -> tuple[float, float]:
    """`parkrules assess` end to end: wall time and the process's peak memory."""
    out = work / f"out-{layout}.parquet"
    out.unlink(missing_ok=True)
    command = [sys.executable, "-m", "parkrules", "assess", str(work / "parks.parquet"), "--standards"]
    command += [str(work / "standards"), "--layout", layout, "-o", str(out)]
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"parkrules assess failed: {command}")
    return seconds, usage.ru_maxrss / 1024


def _measure(what: str, work: Path) -> tuple[float, float]:
    """One in-process measurement in a fresh process (this file, `--measure`): its seconds and peak memory."""
    done = subprocess.run(
        [sys.executable, __file__, "--measure", what, str(work)], capture_output=True, text=True, check=True
    )
    record = json.loads(done.stdout.strip().splitlines()[-1])
    return record["seconds"], record["peak_mb"]


def _in_process(what: str, work: Path) -> dict:
    import resource

    import numpy as np

    from parkrules.analysis.assess import compile_standards
    from parkrules.model.catalog import Catalog
    from parkrules.model.parkcheck import KnownIds
    from parkrules.model.result import RunResult
    from parkrules.run import CHUNK_ROWS, batch, batchwrite
    from parkrules.run.batchread import read_frames

    catalog = Catalog(work / "standards")
    plans = compile_standards(catalog, [], RunResult())
    known = KnownIds(catalog, plans)
    start = time.perf_counter()
    if what == "evaluate":  # the frames read first: evaluation alone, as the columnar engine sees a chunk
        frames = list(read_frames([work / "parks.parquet"], catalog.vocabulary, known, CHUNK_ROWS, lambda error: None))
        compiled = [batch._compile(plan, None, None, "columnar") for plan in plans]
        start = time.perf_counter()
        for frame in frames:
            for item in compiled:
                batch._evaluate(item, frame, catalog.vocabulary, None, batch.Summary())
    else:
        out = work / "pipeline.parquet"
        writer = batchwrite.open_writer(batchwrite.Output("parquet", out), plans, catalog.vocabulary)
        batch.run_batch(catalog, plans, [work / "parks.parquet"], writer, chunk_rows=CHUNK_ROWS)
        np.zeros(1)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure"]:
        print(json.dumps(_in_process(sys.argv[2], Path(sys.argv[3]))))
