"""Reading and writing park files in every format an assessor uses: YAML, JSON, Excel and CSV.

Each format reads into the same park document, so the engine has one loader. Tables keep the
cell each value came from (`Places`), so their errors name sheet, row and column.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from parkrules.base.errors import TABLE_SUFFIXES, Location, ParkrulesError
from parkrules.io import infile, parktable
from parkrules.io.parktable import KEYS, Places, Row, column_map, header, rows_to_document
from parkrules.io.spreadsheet import csv_text, from_csv_text
from parkrules.io.vocabulary import Vocabulary
from parkrules.io.yamlsafe import load_file

PARK_SUFFIXES = (".yaml", ".yml", ".json", *TABLE_SUFFIXES)


def read(path: Path) -> tuple[Any, Places, list[ParkrulesError]]:
    """The park document in a file, where each table value came from, and the problems found building it."""
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        return load_file(path), Places(), []
    if not path.is_file():
        raise ParkrulesError("cannot read file: no such file", Location(str(path)))
    rows = _workbook().read_rows(path) if suffix == ".xlsx" else _csv_rows(path)
    return rows_to_document(rows, str(path))


def _csv_rows(path: Path) -> Iterator[Row]:
    file = str(path)
    reader = csv.reader(io.StringIO(infile.read_table_text(path), newline=""))
    try:
        columns = column_map(next(reader, []), file, None, 1)
        for cells in reader:
            values = {
                key: from_csv_text(cells[col - 1]) if col - 1 < len(cells) and cells[col - 1] else None
                for key, col in columns.items()
            }
            yield Row(values, reader.line_num, None, columns)
    except csv.Error as exc:
        raise ParkrulesError(f"malformed CSV: {exc}", Location(file, reader.line_num)) from exc


def write(document: dict, path: Path, vocabulary: Vocabulary, readme: list[str] | None = None) -> None:
    """Write a park document in the format the file name asks for."""
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        path.write_text(to_yaml(document), encoding="utf-8")
    elif suffix == ".json":
        path.write_text(json.dumps(_plain(document), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    else:
        rows = list(parktable.document_to_rows(document, reference_columns(vocabulary)))
        if suffix == ".xlsx":
            write_workbook(path, rows, vocabulary, readme or [])
        elif suffix == ".csv":
            write_csv(path, rows)
        else:
            raise ParkrulesError(f"unknown park file type {suffix!r}: use one of {', '.join(PARK_SUFFIXES)}")


def write_workbook(path: Path, rows: list[dict[str, Any]], vocabulary: Vocabulary, readme: list[str]) -> None:
    _workbook().write(path, rows, vocabulary, readme)


def _workbook():
    """The Excel module, imported on first use: openpyxl adds about 0.2 s to every command's start."""
    from parkrules.io import workbook

    return workbook


def write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([header(key) for key in KEYS])
        for row in rows:
            writer.writerow(["" if row.get(key) is None else csv_text(row.get(key)) for key in KEYS])


def reference_columns(vocabulary: Vocabulary):
    """The read-only columns of a fact row: names in both languages, definition and evidence."""

    def describe(fact_id: str) -> dict[str, str]:
        fact = vocabulary.facts.get(fact_id)
        if fact is None:
            return {}
        return {
            "name_zh": fact.name.zh,
            "name_en": fact.name.en,
            "definition": fact.definition,
            "evidence": fact.evidence,
        }

    return describe


def to_yaml(document: dict) -> str:
    """The YAML park file for a document, facts written compactly ("15000 万kWh") where they can be."""
    plain = _plain(document)
    plain["years"] = {int(year): block for year, block in plain.get("years", {}).items()}
    for block in [plain.get("facts", {}), *(year.get("facts", {}) for year in plain.get("years", {}).values())]:
        for fact_id, entry in block.items():
            block[fact_id] = _compact(entry)
    text = yaml.safe_dump(plain, allow_unicode=True, sort_keys=False, width=120)
    return "# yaml-language-server: $schema=https://parkrules.dev/schemas/park-1.json\n" + text


def _compact(entry: Any) -> Any:
    if not isinstance(entry, dict) or "source" in entry:
        return entry
    value, unit = entry.get("value"), entry.get("unit")
    if unit is None:
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value} {unit}"


def _plain(node: Any) -> Any:
    """Plain dicts and lists (YAML's safe dumper refuses the located subclasses); years as strings."""
    if isinstance(node, dict):
        return {str(key): _plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(item) for item in node]
    return node


PARK_ID = "park.id"  # the column that makes a CSV a park-year table (one row per park-year)


def is_park_table(path: Path) -> bool:
    """A park-year table (one row per park-year) rather than a park file."""
    if path.suffix.lower() == ".parquet":
        return True
    if path.suffix.lower() != ".csv":
        return False
    try:
        encoding = infile.table_encoding(path)
        with path.open(encoding=encoding, newline="", errors="replace") as handle:
            header = next(csv.reader(handle), [])
    except (ParkrulesError, csv.Error):
        return False  # read as a park file, whose reader reports the problem
    return PARK_ID in (cell.strip() for cell in header)
