"""Planner speed: one park, several packs, the test library's measures, two milestones; best of 3 rounds.

    python bench/plan.py [PARK] [--packs A,B,C]

Prints the seconds of each round and the best, with the load average; not a timed test.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from parkrules.analysis.assess import compile_standards  # noqa: E402
from parkrules.analysis.planner import PlanRequest, make_plan  # noqa: E402
from parkrules.io.measure_library import load_library  # noqa: E402
from parkrules.io.park import load_park  # noqa: E402
from parkrules.model.catalog import Catalog, bundled_root  # noqa: E402
from parkrules.model.result import RunResult  # noqa: E402

PACKS = "cn-national-zero-carbon-park,nm-zero-carbon-park-regional,cn-green-park"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("park", nargs="?", type=Path, default=ROOT / "parks" / "coal-town.yaml")
    parser.add_argument("--packs", default=PACKS)
    args = parser.parse_args()
    catalog = Catalog(bundled_root() / "standards")
    plans = compile_standards(catalog, args.packs.split(","), RunResult())
    park = load_park(args.park, catalog.vocabulary, catalog.factor_table)[0]
    library = load_library(ROOT / "tests" / "data" / "measures" / "test-costs.yaml", catalog.vocabulary)
    request = PlanRequest(max(park.years) + 6, (max(park.years) + 3,), {"output": 0.03}, 0.06)
    print(f"{park.id}, {len(plans)} packs, {len(library.measures)} measures, load {os.getloadavg()[0]:.2f}")
    times = []
    for _ in range(3):
        start = time.perf_counter()
        outcome = make_plan(plans, park, library, request, catalog.vocabulary)
        times.append(time.perf_counter() - start)
    print(f"rounds: {', '.join(f'{t:.2f} s' for t in times)}; best {min(times):.2f} s; verified {outcome.verified}")


if __name__ == "__main__":
    main()
