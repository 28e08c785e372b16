"""Safe YAML loading that keeps line numbers and refuses what a rule file should never contain.

Safe loader only; duplicate keys are errors; the file size and the number of aliases are
capped (an alias bomb expands exponentially when traversed); every mapping and sequence
remembers the line of each key or item so later validation can point to it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from parkrules.errors import Location, ParkrulesError

MAX_BYTES = 5_000_000
MAX_ALIASES = 100


class LocatedDict(dict):
    """A mapping that remembers its own line and the line of each key."""

    line: int | None = None
    column: int | None = None
    key_lines: dict
    key_columns: dict

    def line_of(self, key: Any) -> int | None:
        return self.key_lines.get(key, self.line)

    def column_of(self, key: Any) -> int | None:
        return self.key_columns.get(key, self.column)


class LocatedList(list):
    """A sequence that remembers its own line and the line of each item."""

    line: int | None = None
    column: int | None = None
    item_lines: list
    item_columns: list

    def line_of(self, index: int) -> int | None:
        if 0 <= index < len(self.item_lines):
            return self.item_lines[index]
        return self.line

    def column_of(self, index: int) -> int | None:
        if 0 <= index < len(self.item_columns):
            return self.item_columns[index]
        return self.column


def _construct_mapping(loader: Any, node: yaml.MappingNode) -> LocatedDict:
    own = {id(k) for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge"}
    loader.flatten_mapping(node)  # merged (`<<: *anchor`) pairs come first; explicit keys override them
    result = LocatedDict()
    result.line = node.start_mark.line + 1
    result.column = node.start_mark.column + 1
    result.key_lines = {}
    result.key_columns = {}
    explicit: set = set()
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            hash(key)
        except TypeError as exc:
            raise ParkrulesError("a mapping key must be a plain value", Location(loader.filename, line)) from exc
        if key in explicit:
            raise ParkrulesError(
                f"duplicate key {key!r} (first at line {result.key_lines[key]})",
                Location(loader.filename, line, str(key)),
            )
        if id(key_node) in own:
            explicit.add(key)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
        result.key_columns[key] = key_node.start_mark.column + 1
    return result


def _construct_sequence(loader: Any, node: yaml.SequenceNode) -> LocatedList:
    result = LocatedList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.column = node.start_mark.column + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    result.item_columns = [child.start_mark.column + 1 for child in node.value]
    return result


class _PythonEvents(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    """PyYAML's pure-Python event stream, for a PyYAML built without libyaml."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)


def _loader_over(events: type) -> type:
    """A loader class reading `events`: safe construction plus locations, duplicate-key and alias checks.

    PyYAML's own composer runs over the events (rather than CSafeLoader's C composer) because
    the alias count needs a hook in the composer, which the C composer does not offer.
    """

    class Loader(yaml.composer.Composer, events, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
        def __init__(self, stream: str, filename: str) -> None:
            events.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            self.filename = filename
            self.alias_count = 0

        def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML hook signature
            if self.check_event(yaml.AliasEvent):
                self.alias_count += 1
                if self.alias_count > MAX_ALIASES:
                    event = self.peek_event()
                    raise ParkrulesError(
                        f"more than {MAX_ALIASES} YAML aliases; refusing to expand them",
                        Location(self.filename, event.start_mark.line + 1),
                    )
            return yaml.composer.Composer.compose_node(self, parent, index)

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
    # Dates stay text: schemas and reports treat them as ISO strings, never as Python objects.
    Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)
    return Loader


# libyaml's C parser reads about 5× faster than PyYAML's own; the results are the same.
_LOADER = _loader_over(yaml.cyaml.CParser if yaml.__with_libyaml__ else _PythonEvents)


def load_text(text: str, filename: str = "<input>") -> Any:
    """Parse one YAML document; any problem becomes a ParkrulesError with file and line."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise ParkrulesError(f"file is larger than {MAX_BYTES} bytes", Location(filename))
    loader = _LOADER(text, filename)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        problem = exc.problem or exc.context or "malformed YAML"
        raise ParkrulesError(f"malformed YAML: {problem}", Location(filename, line, column=column)) from exc
    except yaml.YAMLError as exc:
        raise ParkrulesError(f"malformed YAML: {exc}", Location(filename)) from exc
    finally:
        loader.dispose()


def load_file(path: Path) -> Any:
    """Read and parse a YAML (or JSON, a YAML subset) file."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ParkrulesError(f"file is larger than {MAX_BYTES} bytes", Location(str(path)))
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ParkrulesError(f"cannot read file: {exc.strerror}", Location(str(path))) from exc
    except UnicodeDecodeError as exc:
        raise ParkrulesError("file is not UTF-8 text", Location(str(path))) from exc
    return load_text(text, str(path))


def line_at(document: Any, path: list) -> int | None:
    """The line of the deepest node reachable along `path` (keys and list indexes)."""
    return position_at(document, path)[0]


def position_at(document: Any, path: list) -> tuple[int | None, int | None]:
    """The 1-based (line, column) of the deepest node reachable along `path`."""
    line, column = getattr(document, "line", None), getattr(document, "column", None)
    node = document
    for step in path:
        if (
            isinstance(node, LocatedDict)
            and step in node
            or isinstance(node, LocatedList)
            and isinstance(step, int)
            and step < len(node)
        ):
            line, column = node.line_of(step), node.column_of(step)
            node = node[step]
        else:
            break
    return line, column
