"""A park as a table: one row per fact and year, the layout of the Excel template and of CSV files.

Rows become the same document a park YAML file parses to, so a workbook or CSV file passes the
same schema, vocabulary and unit checks; the cell each value came from is kept so that every
error names sheet, row and column.

Reserved ids in the `fact` column carry what is not a fact: `park.id`, `park.name.zh`,
`park.name.en`, `park.province`, `park.type`, `park.data_origin`, `park.note`, `benchmark`,
`exclusion.<indicator>` (the justification, in a year) and `factor.<factor>` (a park-specific
factor with value, unit and source). A blank year means every year.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from parkrules.base.errors import Location, ParkrulesError, quoted
from parkrules.io.units import NUMBER_WITH_UNIT
from parkrules.io.yamlsafe import LocatedDict

# (key, Chinese header): a header cell reads "数值 value"; the reader matches the key at its end.
COLUMNS = (
    ("year", "年份"),
    ("fact", "编码"),
    ("name_zh", "名称"),
    ("name_en", "名称（英文）"),
    ("value", "数值"),
    ("unit", "单位"),
    ("source", "数据来源"),
    ("definition", "定义"),
    ("evidence", "佐证材料"),
    ("needed_by", "用于"),
)
KEYS = tuple(key for key, _ in COLUMNS)
REQUIRED_COLUMNS = ("year", "fact", "value")
PARK_FIELDS = (
    "park.id",
    "park.name.zh",
    "park.name.en",
    "park.province",
    "park.type",
    "park.data_origin",
    "park.note",
    "benchmark",
)
EXCLUSION, FACTOR = "exclusion.", "factor."
_TRUE, _FALSE = {"true", "yes", "是", "y"}, {"false", "no", "否", "n"}
_YEAR = re.compile(r"^[12]\d{3}$")


def header(key: str) -> str:
    return f"{dict(COLUMNS)[key]} {key}"


@dataclass(frozen=True)
class Cell:
    """Where a value sits: a sheet (None in CSV), a 1-based row and column."""

    sheet: str | None
    row: int
    column: int


@dataclass(frozen=True)
class Row:
    """One data row: its values by column key, and where each column is."""

    values: dict[str, Any]
    number: int
    sheet: str | None
    columns: dict[str, int]

    def cell(self, key: str) -> Cell:
        return Cell(self.sheet, self.number, self.columns.get(key, 0) or 1)

    def text(self, key: str) -> str:
        value = self.values.get(key)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()


class Places(dict):
    """Field path → cell, to turn a document error into a sheet, row and column."""

    def locate(self, error: ParkrulesError) -> ParkrulesError:
        location = self.at(error.location)
        return error if location is error.location else ParkrulesError(error.message, location, error.code)

    def at(self, location: Location) -> Location:
        """The sheet, row and column a document's field came from (the location as it is when not from a table)."""
        field = location.field
        while field and field not in self:
            field = field.rpartition(".")[0]
        cell = self.get(field)
        if cell is None:
            return location
        return replace(location, line=cell.row, column=cell.column, sheet=cell.sheet)


def column_map(cells: Iterable[Any], file: str, sheet: str | None, row: int) -> dict[str, int]:
    """Column key → 1-based column number, read from a header row; required columns must be there."""
    found: dict[str, int] = {}
    for number, cell in enumerate(cells, start=1):
        words = str(cell or "").split()
        if words and words[-1] in KEYS:
            found[words[-1]] = number
    absent = [key for key in REQUIRED_COLUMNS if key not in found]
    if absent:
        wanted = ", ".join(f'"{header(key)}"' for key in absent)
        raise ParkrulesError(f"the header row has no column {wanted}", Location(file, row, "", sheet=sheet))
    return found


def rows_to_document(rows: Iterable[Row], file: str) -> tuple[LocatedDict, Places, list[ParkrulesError]]:
    """The park document the rows describe; every problem is collected, not only the first."""
    builder = _Builder(file)
    for row in rows:
        try:
            builder.add(row)
        except ParkrulesError as exc:
            builder.errors.append(exc)
    return builder.document, builder.places, builder.errors


class _Builder:
    def __init__(self, file: str) -> None:
        self.file = file
        self.document = _located({}, 1)
        self.places = Places()
        self.errors: list[ParkrulesError] = []
        self.seen: dict[tuple[str, str], int] = {}

    def add(self, row: Row) -> None:
        fact = row.text("fact")
        if not fact:
            return
        year = self._year(row)
        value = row.values.get("value")
        if value is None or value == "":
            self._remember_blank(row, fact)
            return
        key = (year or "", fact)
        if key in self.seen:
            raise self._error(
                row, "fact", f"{fact} is given twice for {year or 'every year'} (first in row {self.seen[key]})"
            )
        self.seen[key] = row.number
        if fact in PARK_FIELDS:
            self._park_field(row, fact)
        elif fact.startswith(EXCLUSION):
            self._exclusion(row, fact, year)
        elif fact.startswith(FACTOR):
            self._factor(row, fact)
        else:
            block = self._block(year, "facts", row)
            block[fact] = _fact_entry(row)
            self._place(block, fact, row, f"{_year_prefix(year)}facts.{fact}")

    def _year(self, row: Row) -> str | None:
        text = row.text("year")
        if not text:
            return None
        if not _YEAR.match(text):
            raise self._error(row, "year", f"year {quoted(text)} is not a four-digit year")
        return text

    def _remember_blank(self, row: Row, fact: str) -> None:
        """A blank park field is still where a "missing field" error should point."""
        if fact in PARK_FIELDS:
            self.places.setdefault(fact, row.cell("value"))
            self.places.setdefault("park", row.cell("value"))

    def _park_field(self, row: Row, fact: str) -> None:
        path = fact  # a park field's id is its document path
        if fact == "benchmark":
            self.document["benchmark"] = row.text("value")
            self._place(self.document, "benchmark", row, path)
            return
        park = self._child(self.document, "park", row)
        self.places.setdefault("park", row.cell("value"))
        if fact.startswith("park.name."):
            names = self._child(park, "name", row)
            names[fact.rpartition(".")[2]] = row.text("value")
            self._place(names, fact.rpartition(".")[2], row, path)
        else:
            park[fact.partition(".")[2]] = row.text("value")
            self._place(park, fact.partition(".")[2], row, path)

    def _exclusion(self, row: Row, fact: str, year: str | None) -> None:
        if year is None:
            raise self._error(row, "year", f"{fact}: an exclusion is for one year; give the year")
        indicator = fact[len(EXCLUSION) :]
        block = self._block(year, "exclusions", row)
        block[indicator] = row.text("value")
        self._place(block, indicator, row, f"years.{year}.exclusions.{indicator}")

    def _factor(self, row: Row, fact: str) -> None:
        factor_id = fact[len(FACTOR) :]
        value = _number(row.values.get("value"))
        if value is None:
            raise self._error(row, "value", f"{fact}: a factor value must be a number, got {quoted(row.text('value'))}")
        factors = self._child(self.document, "factors", row)
        entry = {"value": value, "unit": row.text("unit"), "source": row.text("source")}
        factors[factor_id] = _located({k: v for k, v in entry.items() if v != ""}, row.number)
        self._place(factors, factor_id, row, f"factors.{factor_id}")

    def _block(self, year: str | None, part: str, row: Row) -> LocatedDict:
        if year is None:
            return self._child(self.document, part, row)
        years = self._child(self.document, "years", row)
        return self._child(self._child(years, year, row), part, row)

    def _child(self, parent: LocatedDict, key: str, row: Row) -> LocatedDict:
        if key not in parent:
            parent[key] = _located({}, row.number)
            parent.key_lines[key] = row.number
        return parent[key]

    def _place(self, parent: LocatedDict, key: str, row: Row, path: str) -> None:
        parent.key_lines[key] = row.number
        self.places[path] = row.cell("value")
        self.places[f"{path}.unit"] = row.cell("unit")

    def _error(self, row: Row, key: str, message: str) -> ParkrulesError:
        cell = row.cell(key)
        return ParkrulesError(message, Location(self.file, cell.row, key, column=cell.column, sheet=cell.sheet))


def _located(mapping: dict, line: int) -> LocatedDict:
    located = LocatedDict(mapping)
    located.line, located.column = line, None
    located.key_lines, located.key_columns = {key: line for key in mapping}, {}
    return located


def _year_prefix(year: str | None) -> str:
    return f"years.{year}." if year else ""


def _fact_entry(row: Row) -> Any:
    """A fact cell as the park file would write it: a boolean, or value with unit and source."""
    value = row.values.get("value")
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE or word in _FALSE:
            value = word in _TRUE
        else:
            number = _number(value)
            value = number if number is not None else value.strip()
    entry = {"value": value, "unit": row.text("unit"), "source": row.text("source")}
    return {key: item for key, item in entry.items() if item != ""}


def _number(value: Any) -> float | int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    text = str(value).replace(",", "").strip()
    for kind in (int, float):  # "2" stays an integer, as it would in YAML
        try:
            return kind(text)
        except ValueError:
            continue
    return None


def document_to_rows(document: dict, describe: Any) -> Iterator[dict[str, Any]]:
    """Rows for a park document: park fields, common facts, then each year's facts, exclusions and factors.

    `describe(fact_id)` gives the reference columns (names, definition, evidence) for a fact.
    """
    park = document.get("park", {})
    names = park.get("name", {})
    for field in PARK_FIELDS:
        section, _, key = field.partition(".")
        value = document.get("benchmark") if field == "benchmark" else park.get(key)
        if field.startswith("park.name."):
            value = names.get(field.rpartition(".")[2])
        if value is not None:
            yield {"year": None, "fact": field, "value": value}
    for fact_id, raw in document.get("facts", {}).items():
        yield {"year": None, "fact": fact_id, **split_entry(raw), **describe(fact_id)}
    for year, block in document.get("years", {}).items():
        for fact_id, raw in block.get("facts", {}).items():
            yield {"year": int(year), "fact": fact_id, **split_entry(raw), **describe(fact_id)}
        for indicator, why in block.get("exclusions", {}).items():
            yield {"year": int(year), "fact": EXCLUSION + indicator, "value": why}
    for factor_id, raw in document.get("factors", {}).items():
        if "table" in raw:  # the table has no column for it: keep the park in YAML or JSON, or give the value
            raise ParkrulesError(
                f"factor {factor_id} is taken from table {raw['table']}: a workbook or CSV file cannot hold that; "
                "convert to YAML or JSON, or give its value, unit and source",
                Location(field=f"factors.{factor_id}"),
            )
        yield {
            "year": None,
            "fact": FACTOR + factor_id,
            "value": raw["value"],
            "unit": raw["unit"],
            "source": raw["source"],
        }


def split_entry(raw: Any) -> dict[str, Any]:
    """A park-file fact value ("15000 万kWh", a number, a boolean or a mapping) as value, unit and source."""
    value, unit, source = raw, None, None
    if isinstance(raw, dict):
        value, unit, source = raw.get("value"), raw.get("unit"), raw.get("source")
    if isinstance(value, str) and unit is None:
        match = NUMBER_WITH_UNIT.match(value)
        if match and abs(number := float(match.group(1).replace("_", ""))) < math.inf:  # else left for the loader
            value, unit = (int(number) if number.is_integer() else number), match.group(2) or None
    return {"value": value, "unit": unit, "source": source}
