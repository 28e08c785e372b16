"""Uploaded park files: bounded in size, kept in a private temporary folder for one request, then deleted."""

from __future__ import annotations

import contextlib
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from parkrules.base.errors import Location, ParkrulesError

MAX_BYTES = 5_000_000  # a park file or workbook is tens of kB; a workbook with many years a few MB
SUFFIXES = (".yaml", ".yml", ".json", ".xlsx", ".csv")
_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(name: str | None) -> str:
    """The upload's file name as we store it: its last part, in safe characters, with a suffix we read."""
    base = _NAME.sub("_", Path(name or "park.yaml").name).lstrip(".") or "park.yaml"
    if not base.lower().endswith(SUFFIXES):
        raise ParkrulesError(
            f"upload a park file ({', '.join(SUFFIXES)}), not {name!r}", Location(name or "upload", None, "file")
        )
    return base


@contextlib.contextmanager
def scratch() -> Iterator[Path]:
    """A new private folder (mode 0700, as `mkdtemp` makes it), removed with what it holds when the block ends."""
    folder = Path(tempfile.mkdtemp(prefix="parkrules-upload-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def stored(name: str | None, data: bytes) -> Iterator[Path]:
    """The upload as a file in a private folder, removed when the block ends."""
    if len(data) > MAX_BYTES:
        raise ParkrulesError(f"the upload is larger than {MAX_BYTES:,} bytes", Location(name or "upload"))
    with scratch() as folder:
        path = folder / safe_name(name)
        path.write_bytes(data)
        yield path


def shown(text: str, folder: Path) -> str:
    """Output text with the private folder's path taken out, so answers name the file as it was uploaded."""
    return text.replace(f"{folder}/", "")
