"""A progress bar for long runs: shown on an interactive terminal, silent in CI, pipes and files."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

MIN_PARKS = 2  # a single park finishes before a bar would be worth drawing


@contextmanager
def for_parks(total: int) -> Iterator[Callable[[str], None]]:
    """Yields `advance(park_file)`, to call once per park; the bar goes to stderr and vanishes when done.

    Only for several parks on a real terminal: CI sets `CI`, and pipes are not terminals. rich is
    imported only then, so a one-park run starts without it.
    """
    if total < MIN_PARKS or os.environ.get("CI"):
        yield lambda _name: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(stderr=True)
    if not console.is_terminal:
        yield lambda _name: None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("parks", total=total)
        yield lambda name: bar.update(task, advance=1, description=name)
