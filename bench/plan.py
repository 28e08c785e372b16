"""Planner speed: one park, several packs, every measure of the bundled library, two milestones; best of 3.

    python bench/plan.py [PARK] [--packs A,B,C]

The bundled library's measures without a sourced cost are given a placeholder cost of 1 元 a unit here, so the
solver works with all of them (a speed figure, not a plan). Prints the seconds of each round and the best, with
the load average; not a timed test.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from parkrules.analysis.assess import compile_standards  # noqa: E402
from parkrules.analysis.planner import PlanRequest, make_plan  # noqa: E402
from parkrules.io.measure_library import Basis, Cost, load_library  # noqa: E402
from parkrules.io.park import load_park  # noqa: E402
from parkrules.model.catalog import Catalog, bundled_root  # noqa: E402
from parkrules.model.result import RunResult  # noqa: E402

PACKS = "cn-national-zero-carbon-park,nm-zero-carbon-park-regional,cn-green-park@2016"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("park", nargs="?", type=Path, default=ROOT / "parks" / "coal-town.yaml")
    parser.add_argument("--packs", default=PACKS)
    args = parser.parse_args()
    catalog = Catalog(bundled_root() / "standards")
    plans = compile_standards(catalog, args.packs.split(","), RunResult())
    park = load_park(args.park, catalog.vocabulary, catalog.factor_table)[0]
    library = load_library(
        bundled_root() / "standards" / "measures" / "cn-park-measures" / "2026.12.yaml", catalog.vocabulary
    )
    placeholder = Cost(1.0, Basis("provisional", "benchmark placeholder"))
    library = replace(
        library,
        measures=tuple(
            replace(
                m,
                capex=m.capex if m.capex.value is not None else placeholder,
                opex=m.opex if m.opex.value is not None else placeholder,
            )
            for m in library.measures
        ),
    )
    request = PlanRequest(max(park.years) + 6, (max(park.years) + 3,), {"output": 0.03}, 0.06)
    print(f"{park.id}, {len(plans)} packs, {len(library.measures)} measures, load {os.getloadavg()[0]:.2f}")
    times = []
    for _ in range(3):
        start = time.perf_counter()
        outcome = make_plan(plans, park, library, request, catalog.vocabulary)
        times.append(time.perf_counter() - start)
    print(f"rounds: {', '.join(f'{t:.2f} s' for t in times)}; best {min(times):.2f} s; verified {outcome.verified}")
    print(f"steps: {len(outcome.steps)}; unmet: {len(outcome.unmet)}")


if __name__ == "__main__":
    main()
