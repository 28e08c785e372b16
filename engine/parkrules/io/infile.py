"""Reading an input file safely: a regular file within the size limit, decoded as the text it is.

Paths come from users and from data files (a park's `benchmark:`), so a directory, a FIFO (which
would block a read for ever), a device, a symlink loop or a path with a NUL byte is a located
error, never a hang or a traceback. Table files saved by Chinese Excel are GB18030 (GBK), not
UTF-8: their encoding is found by charset-normalizer among the encodings such files come in.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from parkrules.base.errors import Location, ParkrulesError

MAX_BYTES = 5_000_000
# What a CSV file from a spreadsheet can be in besides UTF-8: Excel's "Unicode text" (UTF-16), and
# the ANSI code pages of Chinese Windows (GB18030, a superset of GBK and GB2312; Big5 in Taiwan, Hong Kong).
TABLE_ENCODINGS = ("utf_16", "utf_32", "gb18030", "big5")
PREFERRED = "gb18030"  # mainland park data: where GB18030 and Big5 both read the bytes, GB18030 is meant


def shown(path: Path | str) -> str:
    """The path as a message may show it (a NUL byte would cut a terminal line)."""
    return str(path).replace("\0", "\\0")


def check_regular(path: Path, limit: int | None = MAX_BYTES) -> int:
    """The size of `path` if it is a regular file (symlinks followed) within `limit` bytes; else a located error."""
    where = Location(shown(path))
    try:
        info = os.stat(path)
    except ValueError as exc:  # os.stat refuses an embedded NUL byte
        raise ParkrulesError("cannot read file: the path holds a NUL byte", where) from exc
    except OSError as exc:  # no such file, permission, a symlink loop (ELOOP), a name too long
        raise ParkrulesError(f"cannot read file: {exc.strerror or exc}", where) from exc
    if stat.S_ISDIR(info.st_mode):
        raise ParkrulesError("cannot read file: it is a folder", where)
    if not stat.S_ISREG(info.st_mode):
        raise ParkrulesError("cannot read file: not a regular file (a FIFO, device or socket)", where)
    if limit is not None and info.st_size > limit:
        raise ParkrulesError(f"file is larger than {limit} bytes", where)
    return info.st_size


def read_bytes(path: Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes."""
    check_regular(path, limit)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParkrulesError(f"cannot read file: {exc.strerror or exc}", Location(shown(path))) from exc
    if len(data) > limit:  # the file grew since it was checked
        raise ParkrulesError(f"file is larger than {limit} bytes", Location(shown(path)))
    return data


def read_utf8(path: Path) -> str:
    """A rule or park file's text: UTF-8 (with or without a byte-order mark), else an error at the first bad line."""
    data = read_bytes(path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ParkrulesError("file is not UTF-8 text", Location(shown(path), line)) from exc


def read_table_text(path: Path) -> str:
    """A CSV file's text in whatever encoding a spreadsheet saved it (see `table_encoding`)."""
    data = read_bytes(path)
    return data.decode(detect_encoding(data, shown(path)))


SAMPLE_BYTES = 1 << 20  # enough lines of a park-year table to tell its encoding; the rest is read in that encoding


def table_encoding(path: Path) -> str:
    """The encoding of a park-year table of any size, told from its first lines."""
    check_regular(path, limit=None)
    try:
        with path.open("rb") as handle:
            sample = handle.read(SAMPLE_BYTES)
            whole = not handle.read(1)
    except OSError as exc:
        raise ParkrulesError(f"cannot read file: {exc.strerror or exc}", Location(shown(path))) from exc
    if not whole and b"\n" in sample:
        sample = sample[: sample.rindex(b"\n") + 1]  # whole lines: no character cut in two
    return detect_encoding(sample, shown(path))


def detect_encoding(data: bytes, file: str) -> str:
    """`utf-8-sig` for UTF-8 text (with or without BOM); else what charset-normalizer finds among TABLE_ENCODINGS
    (GB18030 where it is among them); an encoding it cannot decide is an error at the first line that is not
    UTF-8. Hand-written guessing would read GBK as Korean or Big5 in short files, as a detector left free does."""
    try:
        data.decode("utf-8-sig")
        return "utf-8-sig"
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        first_bad = exc
    from charset_normalizer import from_bytes  # only for files that are not UTF-8

    found = [match.encoding for match in from_bytes(data, cp_isolation=list(TABLE_ENCODINGS))]
    if not found:
        raise ParkrulesError(
            "cannot tell the file's text encoding (it is not UTF-8, GB18030/GBK, Big5 or UTF-16): "
            "save it as “CSV UTF-8”",
            Location(file, line),
        ) from first_bad
    return PREFERRED if PREFERRED in found else found[0]
