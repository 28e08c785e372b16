"""Benchmark parks: the park a catch-up indicator compares with, loaded once per run and confined to the naming
park file's folder, and the evaluation context it gives a plan."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from parkrules.base.errors import Location, ParkrulesError
from parkrules.io import infile
from parkrules.io.park import Park, TableLookup, load_park
from parkrules.io.vocabulary import Vocabulary
from parkrules.model.plan import Plan
from parkrules.run.evaluate import Benchmark, factor_values


class Benchmarks:
    """Benchmark park files, each loaded once however many parks name it."""

    def __init__(self, vocabulary: Vocabulary, tables: TableLookup) -> None:
        self.vocabulary = vocabulary
        self.tables = tables
        self.loaded: dict[Path, Park | None] = {}

    def load(
        self, path: Path, park_id: str, park_file: str, report: Callable[[dict], None], named: bool = False
    ) -> Park | None:
        """The benchmark park; a broken file is reported once (as the naming park's error) and the park is
        assessed without it. A path a park file gives (not `named` on the command line) must lie inside that
        file's folder: a data file may not make us read, or quote, any other file on the machine."""
        where = Location(park_file, None, "benchmark")
        try:
            if not named:
                path = inside(path, Path(park_file).parent, where)
            infile.check_regular(path)
        except ParkrulesError as exc:
            message = (
                exc.message if exc.location == where else f"benchmark park file {exc.location.file}: {exc.message}"
            )
            report({**ParkrulesError(message, where).to_dict(), "park": park_id})
            return None
        key = Path(os.path.abspath(path))
        if key not in self.loaded:
            benchmark, errors = load_park(path, self.vocabulary, self.tables)
            for error in errors:
                report({**error.to_dict(), "park": park_id})
            self.loaded[key] = benchmark
        return self.loaded[key]


def inside(path: Path, folder: Path, location: Location) -> Path:
    """`path` resolved (symlinks followed), if it lies inside `folder`; else a located error."""
    text = str(path)
    if "\0" in text:
        raise ParkrulesError("the benchmark path holds a NUL byte", location)
    try:
        target, root = path.resolve(), folder.resolve()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop (Python < 3.13)
        raise ParkrulesError(
            f"cannot resolve the benchmark path {infile.shown(text)} (a symlink loop?)", location
        ) from exc
    if not target.is_relative_to(root):
        raise ParkrulesError(
            f"the benchmark park file {infile.shown(text)} is outside the park file's folder; name a file inside it, "
            "or give it with --benchmark",
            location,
        )
    return target


def benchmark_for(plan: Plan, park: Park | None) -> Benchmark | None:
    return None if park is None else Benchmark(park.years, factor_values(plan, park)[0])
