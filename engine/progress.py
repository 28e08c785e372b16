"""A progress bar for long runs: shown on an interactive terminal, silent in CI, pipes and files."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

MIN_PARKS = 2  # a single park finishes before a bar would be worth drawing


def wanted(total: int, console: Console) -> bool:
    """Only for several parks on a real terminal; CI sets `CI`, and pipes are not terminals."""
    return total >= MIN_PARKS and console.is_terminal and not os.environ.get("CI")


@contextmanager
def for_parks(total: int) -> Iterator[Callable[[str], None]]:
    """Yields `advance(park_file)`, to call once per park; the bar goes to stderr and vanishes when done."""
    console = Console(stderr=True)
    if not wanted(total, console):
        yield lambda _name: None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("parks", total=total)
        yield lambda name: bar.update(task, advance=1, description=name)
