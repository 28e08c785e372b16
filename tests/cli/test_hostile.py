"""The hostile corpus (tests/data/hostile/cases.yaml) through the real command line, one process per case.

Each case must end with a clear message and its exit code, no traceback, within 2 s of CPU time and
300 MB (measured from the process's own resource use, so the machine's load does not decide it).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from parkrules.io.yamlsafe import load_file
from tests.conftest import PARKS, ROOT

CORPUS = ROOT / "tests" / "data" / "hostile"
CASES = load_file(CORPUS / "cases.yaml")["cases"]
MAX_CPU_SECONDS = 2.0
MAX_KIB = 300 * 1024


def _label(case: dict) -> str:
    return case.get("file") or " ".join(str(arg).replace("{here}/", "") for arg in case["args"])


@pytest.fixture(scope="module")
def here(tmp_path_factory) -> Path:
    """The corpus copied to a temporary folder, with what git cannot hold: a FIFO and a symlink loop."""
    folder = tmp_path_factory.mktemp("hostile") / "corpus"
    shutil.copytree(CORPUS, folder)
    os.mkfifo(folder / "fifo")
    os.mkfifo(folder / "fifo.yaml")
    os.symlink("loop-b", folder / "loop-a")
    os.symlink("loop-a", folder / "loop-b")
    return folder


# The command line in a process of its own that reports its own CPU time and peak memory as it exits.
_MEASURED = """
import atexit, json, resource, sys
report, sys.argv = sys.argv[1], ["parkrules", *sys.argv[2:]]

def _usage():
    used = resource.getrusage(resource.RUSAGE_SELF)
    # the peak of this process's own memory: ru_maxrss is kept across fork and exec (it would be pytest's)
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    with open(report, "w") as handle:
        json.dump([used.ru_utime + used.ru_stime, peak], handle)

atexit.register(_usage)
from parkrules.cli.cli import main
main()
"""


def run_cli(args: list[str]) -> tuple[int, str, str, float, int]:
    """Exit code, stdout, stderr, CPU seconds and peak memory (KiB) of one parkrules process."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "200"}
    env.pop("PARKRULES_TRACEBACK", None)
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "usage.json"
        done = subprocess.run(
            [sys.executable, "-c", _MEASURED, str(report), *args],
            capture_output=True,
            stdin=subprocess.DEVNULL,
            env=env,
            timeout=60,
        )
        cpu, kib = json.loads(report.read_text())
    return done.returncode, done.stdout.decode(), done.stderr.decode(), cpu, kib


@pytest.mark.parametrize("case", CASES, ids=_label)
def test_hostile_case_ends_in_a_clear_message(case, here, tmp_path):
    args = case.get("args") or [
        "assess",
        f"{{here}}/{case['file']}",
        "-s",
        case.get("standard", "cn-national-zero-carbon-park"),
    ]
    args = [str(arg).replace("{here}", str(here)).replace("{out}", str(tmp_path)) for arg in args]
    code, out, err, cpu, kib = run_cli(args)
    shown = out + err
    assert "Traceback" not in shown, shown[-3000:]
    assert code == case["exit"], (code, err[-2000:])
    for text in case.get("says", []):
        assert text in shown, (text, shown[-2000:])
    for text in case.get("stdout", []):
        assert text in out, (text, out[-2000:])
    for text in case.get("never", []):
        assert text not in shown
    assert cpu < MAX_CPU_SECONDS, f"{cpu:.2f} s of CPU"
    assert kib < MAX_KIB, f"{kib / 1024:.0f} MB"


def test_an_output_aimed_at_an_input_leaves_the_input_as_it_was(here):
    park = here / "ok-park.yaml"
    before = hashlib.sha256(park.read_bytes()).hexdigest()
    for args in (["assess", str(park), "-o", str(park)], ["convert", str(park), "-o", str(park), "--force"]):
        code, _, err, _, _ = run_cli(args)
        assert code == 2 and "one of this run's inputs" in err
    assert hashlib.sha256(park.read_bytes()).hexdigest() == before


@pytest.mark.parametrize(
    "name, magic",
    [("r.xlsx", b"PK"), ("r.html", b"<!DOCTYPE html>"), ("r.json", b"{"), ("r.md", b"# "), ("r.sarif", b"{")],
)
def test_the_output_suffix_chooses_the_format(tmp_path, name, magic):
    code, _, err, _, _ = run_cli(
        ["assess", str(PARKS / "green-valley.yaml"), "-s", "cn-national-zero-carbon-park", "-o", str(tmp_path / name)]
    )
    assert code in (0, 1), err
    assert (tmp_path / name).read_bytes().startswith(magic)
    if name == "r.sarif":
        assert b'"version": "2.1.0"' in (tmp_path / name).read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temporary file left beside it


def test_a_killed_batch_run_leaves_the_previous_file_and_no_half_file(tmp_path):
    """SIGTERM half-way through a batch run: the earlier results stay, whole, and nothing else is left."""
    table = tmp_path / "parks.csv"
    rows = "".join(f"p{i},2024,{12000 + i},{50000 + i}\n" for i in range(300_000))
    table.write_text("park.id,year,elec_grid_received [万kWh],fuel_raw_coal [t]\n" + rows, encoding="utf-8")
    results = tmp_path / "out" / "results.jsonl"
    results.parent.mkdir()
    results.write_text("the previous results\n", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "parkrules", "assess", str(table), "-o", str(results)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(
        p.name.endswith(".part.jsonl") and p.stat().st_size for p in results.parent.iterdir()
    ):
        time.sleep(0.05)
    assert process.poll() is None, "the run ended before it could be interrupted"
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode != 0
    assert "Traceback" not in err.decode()
    assert results.read_text(encoding="utf-8") == "the previous results\n"
    assert [p.name for p in results.parent.iterdir()] == ["results.jsonl"]
