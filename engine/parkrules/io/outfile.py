"""Writing an output file without ever losing one: a temporary file beside the target, renamed when complete.

A run killed half-way (Ctrl-C, a full disk, a crash) leaves the previous file, or nothing, at the
final name, never half a report. And an output that is one of the run's own inputs is refused
before anything is read or written: `-o parks/coal-town.yaml` must not destroy the park file.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from parkrules.base.errors import Location, ParkrulesError
from parkrules.io.parkio import PARK_SUFFIXES

# What `-o FILE` writes when no --format is given; compound names first (`results.sarif.json` is SARIF).
FORMAT_OF_SUFFIX = {
    ".sarif.json": "sarif",
    ".junit.xml": "junit",
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".parquet": "parquet",
    ".xlsx": "xlsx",
    ".pdf": "pdf",
    ".xml": "junit",
    ".sarif": "sarif",
}


def format_of(path: Path) -> str | None:
    """The output format a file name asks for, or None when its suffix names none."""
    name = path.name.lower()
    return next((fmt for suffix, fmt in FORMAT_OF_SUFFIX.items() if name.endswith(suffix)), None)


def refuse_inputs(output: Path, inputs: Iterable[Path]) -> None:
    """A located error when `output` is (resolves to) one of `inputs`, a park file or table in an input folder,
    or lies anywhere in a folder the run reads as a whole (a standards folder)."""
    target = _real(output)
    for given in inputs:
        source = _real(given)
        if target == source:
            raise ParkrulesError(
                f"the output {output} is one of this run's inputs ({given}); choose another file",
                Location(str(output)),
            )
        if not given.is_dir():
            continue
        if target.is_relative_to(source) and _reads_tree(given) or target.parent == source and _read_in(target):
            raise ParkrulesError(
                f"the output {output} is inside {given}, which this run reads; choose a file elsewhere",
                Location(str(output)),
            )


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _read_in(path: Path) -> bool:
    """A file a run given its folder reads: a park file or a park-year table."""
    return path.suffix.lower() in (*PARK_SUFFIXES, ".parquet")


def _reads_tree(folder: Path) -> bool:
    """A standards folder is read as a whole (packs, factor tables, vocabulary); a parks folder only its files."""
    return (folder / "vocabulary.yaml").is_file()


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary path beside `path` (same suffix, so writers that choose by suffix still do) to write to;
    it becomes `path` in one rename when the block ends, and is removed if the block fails or is interrupted."""
    folder = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=f".part{path.suffix}")
    os.close(handle)
    temp = Path(temporary)
    try:
        yield temp
        os.chmod(temp, _mode_for(path))
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


@contextlib.contextmanager
def new_folder(path: Path) -> Iterator[Path]:
    """A temporary folder beside `path` to write a dataset into; it becomes `path` in one rename when the block ends,
    and is removed if the block fails. An existing `path` is refused: a folder is never replaced (it may hold files
    that are not ours)."""
    if path.exists() or path.is_symlink():
        raise ParkrulesError(
            f"{path} exists; a partitioned output is written to a new folder: choose a name not yet taken",
            Location(str(path)),
        )
    folder = path.parent if str(path.parent) else Path(".")
    temp = Path(tempfile.mkdtemp(dir=folder, prefix=f".{path.name}.", suffix=".part"))
    try:
        yield temp
        os.chmod(temp, 0o777 & ~_umask())
        os.rename(temp, path)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def _mode_for(path: Path) -> int:
    """The permissions the file would have had if written in place: an existing file's, else the umask's."""
    with contextlib.suppress(OSError):
        return os.stat(path).st_mode & 0o777
    return 0o666 & ~_umask()


def write_bytes(path: Path, data: bytes) -> None:
    with replacing(path) as temp:
        temp.write_bytes(data)


def write_text(path: Path, text: str) -> None:
    with replacing(path) as temp:
        temp.write_text(text, encoding="utf-8")
