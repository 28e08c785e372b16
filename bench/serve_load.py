"""Load on the service, on loopback: N assessments from C concurrent clients against a real uvicorn server,
latency percentiles, and whether every answer equals the command line's JSON.

    python bench/serve_load.py [--requests 200] [--clients 8] [--park parks/green-valley.yaml] [-s PACK]

Needs the [serve] extra and httpx. Not a timed test: it prints, with the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from tests.serve.live import running  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--park", type=Path, default=ROOT / "parks" / "green-valley.yaml")
    parser.add_argument("-s", "--standard", default="cn-national-zero-carbon-park")
    args = parser.parse_args()
    park = args.park.resolve()
    command = [sys.executable, "-m", "parkrules", "assess", park.name, "-s", args.standard, "--format", "json"]
    expected = json.loads(subprocess.run(command, capture_output=True, text=True, cwd=park.parent).stdout)
    body = park.read_bytes()
    print(f"{args.requests} assessments of {park.name} against {args.standard}, {args.clients} clients, "
          f"load {os.getloadavg()[0]:.2f}")  # fmt: skip
    with running() as url:

        def one(_: int) -> tuple[float, bool]:
            start = time.perf_counter()
            answer = httpx.post(url + "/v1/assess", files={"file": (park.name, body)},
                                data={"standard": [args.standard]}, timeout=120)  # fmt: skip
            return time.perf_counter() - start, answer.status_code == 200 and json.loads(answer.text) == expected

        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            results = list(pool.map(one, range(args.requests)))
        wall = time.perf_counter() - start
    latencies = sorted(seconds for seconds, _ in results)
    cuts = statistics.quantiles(latencies, n=100)
    print(f"wall {wall:.1f} s, {args.requests / wall:.1f} assessments/s")
    print(f"latency p50 {cuts[49]:.3f} s, p90 {cuts[89]:.3f} s, p99 {cuts[98]:.3f} s, max {latencies[-1]:.3f} s")
    print(f"answers equal to the command line's JSON: {sum(ok for _, ok in results)} of {len(results)}")


if __name__ == "__main__":
    main()
