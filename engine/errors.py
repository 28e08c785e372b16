"""Errors as values with a location, so the CLI can print `file:line: field: message`.

Every data or rule problem becomes a `ParkrulesError`; only the CLI turns it into text and an
exit code, so no Python traceback reaches a user for bad input.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """Where a problem sits: a file, a 1-based line when known, and a dotted field path."""

    file: str = ""
    line: int | None = None
    field: str = ""
    column: int | None = None  # 1-based; known for YAML syntax errors

    def __str__(self) -> str:
        place = self.file or "<input>"
        if self.line is not None:
            place = f"{place}:{self.line}"
        return f"{place}: {self.field}" if self.field else place


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
        return {"message": self.message, "file": loc.file, "line": loc.line, "field": loc.field}
