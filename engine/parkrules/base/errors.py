"""Errors as values with a location, so the CLI can print `file:line: field: message`.

Every data or rule problem becomes a `ParkrulesError`; only the CLI turns it into text and an
exit code, so no Python traceback reaches a user for bad input.
"""

from __future__ import annotations

from dataclasses import dataclass

TABLE_SUFFIXES = (".xlsx", ".csv")


@dataclass(frozen=True)
class Location:
    """Where a problem sits: a file, a 1-based line when known, and a dotted field path."""

    file: str = ""
    line: int | None = None
    field: str = ""
    column: int | None = None  # 1-based; known for YAML syntax errors and workbook cells
    sheet: str | None = None  # a workbook's sheet; `line` is then the row

    def __str__(self) -> str:
        place = describe_place(self.file, self.line, self.sheet, self.column)
        return f"{place}: {self.field}" if self.field else place


def describe_place(file: str, line: int | None, sheet: str | None = None, column: int | None = None) -> str:
    """`park.yaml:12`, or for a workbook or CSV file `park.xlsx, sheet 数据, row 12, column E`."""
    place = file or "<input>"
    if sheet is None and not place.endswith(TABLE_SUFFIXES):
        return place if line is None else f"{place}:{line}"
    parts = [place]
    if sheet is not None:
        parts.append(f"sheet {sheet}")
    if line is not None:
        parts.append(f"row {line}")
    if column is not None:
        parts.append(f"column {column_letter(column)}")
    return ", ".join(parts)


def error_line(error: dict) -> str:
    """One reported error (as in the JSON `errors`) as `place: field: message`."""
    place = describe_place(error.get("file") or "", error.get("line"), error.get("sheet"), error.get("column"))
    field = f" {error['field']}:" if error.get("field") else ""
    return f"{place}:{field} {error['message']}"


def shorten(text: str, limit: int = 40) -> str:
    """A piece of user text short enough to quote in a message (a value may be megabytes long)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quoted(value: object) -> str:
    """A user's value as a message quotes it: its repr, shortened."""
    return repr(shorten(value)) if isinstance(value, str) else shorten(repr(value))


def column_letter(column: int) -> str:
    """Spreadsheet column name of a 1-based column number (1 → A, 27 → AA)."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


class ParkrulesError(Exception):
    """A problem in user data or a rule pack, carrying where it was found.

    `code` is the stable lint diagnostic code (see `diagnostics.py`) where the problem has one.
    """

    def __init__(self, message: str, location: Location | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location or Location()
        self.code = code

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"

    def to_dict(self) -> dict:
        loc = self.location
        found = {"message": self.message, "file": loc.file, "line": loc.line, "field": loc.field}
        if loc.sheet is not None or loc.column is not None:
            found |= {"sheet": loc.sheet, "column": loc.column}
        return found
