"""Rule files (packs, factor tables, the vocabulary) parsed and checked against their schema once per content, the
result kept between runs in the user's cache folder.

Parsing YAML with its line numbers and validating it with jsonschema were half of a one-park run, and a run reads
the same few unchanged files every time. The kept file is JSON holding the document with every line and column,
named after the file's text, the schema's name and the source of the code and schema that produced it, so a change
to any of these parses and checks afresh. An unreadable or malformed kept file is ignored, as the unit answers are
(`units.py`). A file that does not parse or check is never kept: its error is raised as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from parkrules.io import infile, schema, units, yamlsafe
from parkrules.io.yamlsafe import LocatedDict, LocatedList


def load_checked(path: Path, schema_name: str) -> Any:
    """The file's document, parsed and valid against `schema_name`; raises a located ParkrulesError if not."""
    text = infile.read_utf8(path)
    kept = _kept_file(schema_name, text)
    if kept is not None:
        with contextlib.suppress(Exception):  # none yet, unreadable, malformed: parsed afresh, which only costs time
            return _decoded(json.loads(kept.read_text(encoding="utf-8")))
    document = yamlsafe.load_text(text, infile.shown(path))
    schema.validate(document, schema_name, str(path))
    if kept is not None:
        _keep(kept, document)
    return document


def _kept_file(schema_name: str, text: str) -> Path | None:
    try:
        folder = units.answers_file().parent / f"checked-{_code_key()}"
    except OSError:  # no usable cache folder
        return None
    key = hashlib.sha256(f"{schema_name}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()
    return folder / f"{key}.json"


@cache
def _code_key() -> str:
    """The source of what parses and checks a file, and of the schemas: a change to any makes a new folder."""
    sources = [Path(module.__file__).read_bytes() for module in (yamlsafe, schema) if module.__file__]
    sources.append(Path(__file__).read_bytes())
    folder = resources.files("parkrules") / "schemas"
    sources += [entry.read_bytes() for entry in sorted(folder.iterdir(), key=lambda entry: entry.name)]
    return hashlib.sha256(b"\0".join(sources)).hexdigest()[:16]


def _keep(kept: Path, document: Any) -> None:
    temporary = None
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(suffix=".tmp", dir=kept.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(_encoded(document), out, ensure_ascii=False)
        os.replace(temporary, kept)
    except Exception:  # noqa: BLE001 - no usable cache folder, a full disk: the next run parses afresh
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _encoded(node: Any) -> Any:
    """A located document as JSON: mappings as their pairs (keys keep their type) with lines and columns."""
    if isinstance(node, LocatedDict):
        pairs = [[key, _encoded(value)] for key, value in node.items()]
        return {
            "d": pairs,
            "at": [node.line, node.column],
            "keys": [[node.key_lines.get(key), node.key_columns.get(key)] for key, _ in pairs],
        }
    if isinstance(node, LocatedList):
        return {
            "l": [_encoded(item) for item in node],
            "at": [node.line, node.column],
            "items": [list(pair) for pair in zip(node.item_lines, node.item_columns, strict=True)],
        }
    if isinstance(node, (dict, list)):
        raise TypeError("a document's mappings and lists are located")
    return node


def _decoded(node: Any) -> Any:
    """What `_encoded` wrote, rebuilt; anything else raises (and the file is parsed afresh)."""
    if isinstance(node, dict) and "d" in node:
        mapping = LocatedDict()
        mapping.line, mapping.column = node["at"]
        mapping.key_lines, mapping.key_columns = {}, {}
        for (key, value), (line, column) in zip(node["d"], node["keys"], strict=True):
            mapping[key] = _decoded(value)
            if line is not None:  # a key without its own line reads as the mapping's (`line_of`)
                mapping.key_lines[key] = line
            if column is not None:
                mapping.key_columns[key] = column
        return mapping
    if isinstance(node, dict) and "l" in node:
        sequence = LocatedList(_decoded(item) for item in node["l"])
        sequence.line, sequence.column = node["at"]
        sequence.item_lines = [line for line, _ in node["items"]]
        sequence.item_columns = [column for _, column in node["items"]]
        if len(sequence.item_lines) != len(sequence):
            raise ValueError("malformed kept document")
        return sequence
    if isinstance(node, (dict, list)):
        raise ValueError("malformed kept document")
    return node
