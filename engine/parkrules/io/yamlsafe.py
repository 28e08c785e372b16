"""Safe YAML loading that keeps line numbers and refuses what a rule file should never contain.

Safe loader only; duplicate keys are errors; the file size, the nesting depth and the number of
nodes aliases add are capped (an alias bomb of a few hundred bytes expands to millions of nodes
when traversed, so the bound is on what aliases expand to, not on how many there are); keys are
text (a plain whole number such as a year becomes its text); numbers are finite, fit a float and
are written in at most a hundred characters. Every mapping and sequence remembers the line of
each key or item so later validation can point to it.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import yaml

from parkrules.base.errors import Location, ParkrulesError, quoted, shorten
from parkrules.io import infile
from parkrules.io.infile import MAX_BYTES
from parkrules.io.units import MAX_NUMBER_CHARS

MAX_ALIAS_NODES = 20_000  # nodes that aliases may add beyond those written: a hand-written file reuses a few blocks
MAX_DEPTH = 32  # nested mappings and sequences; the bundled files reach 7
_DECIMAL_KEY = re.compile(r"[0-9]{1,18}")


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
        key = _key(loader, key_node)
        line = key_node.start_mark.line + 1
        if key in explicit:
            raise ParkrulesError(
                f"duplicate key {quoted(key)} (first at line {result.key_lines[key]})",
                Location(loader.filename, line, str(key)),
            )
        if id(key_node) in own:
            explicit.add(key)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
        result.key_columns[key] = key_node.start_mark.column + 1
    return result


def _key(loader: Any, node: yaml.Node) -> str:
    """A mapping key as text: a plain whole number (`2024:`) is its digits; anything else that is not text
    (`null:`, `true:`, `2024.5:`, `0x7e8:`, a list) is refused, since every key names a field, a fact or a year."""
    location = _at(loader, node)
    if not isinstance(node, yaml.ScalarNode):
        raise ParkrulesError("a mapping key must be text, not a list or a mapping", location)
    key = loader.construct_object(node, deep=True)
    if isinstance(key, str):
        return key
    if type(key) is int and _DECIMAL_KEY.fullmatch(node.value):
        return node.value
    raise ParkrulesError(
        f"a mapping key must be text or a plain whole number (digits only), not {quoted(node.value)}", location
    )


def _construct_int(loader: Any, node: yaml.ScalarNode) -> int:
    _check_literal(loader, node)  # so the whole number fits a float too (below 10**100)
    return yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)


def _construct_float(loader: Any, node: yaml.ScalarNode) -> float:
    _check_literal(loader, node)
    value = yaml.constructor.SafeConstructor.construct_yaml_float(loader, node)
    if not math.isfinite(value):
        raise ParkrulesError(
            f"not a finite number: {shorten(node.value)} (NaN and infinity are refused)", _at(loader, node)
        )
    return value


def _check_literal(loader: Any, node: yaml.ScalarNode) -> None:
    if len(node.value) > MAX_NUMBER_CHARS:
        raise ParkrulesError(f"number literal longer than {MAX_NUMBER_CHARS} characters", _at(loader, node))


def _at(loader: Any, node: yaml.Node) -> Location:
    return Location(loader.filename, node.start_mark.line + 1, column=node.start_mark.column + 1)


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
    """A loader class reading `events`: safe construction plus locations, duplicate-key, depth and alias checks.

    PyYAML's own composer runs over the events (rather than CSafeLoader's C composer) because
    the depth and alias bounds need a hook in the composer, which the C composer does not offer.
    """

    class Loader(yaml.composer.Composer, events, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
        def __init__(self, stream: str, filename: str) -> None:
            events.__init__(self, stream)  # type: ignore[misc]  # the event source chosen at run time
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            self.filename = filename
            self.depth = 0
            self.alias_nodes = 0  # nodes the aliases so far add when the document is walked
            self.sizes: dict[int, int] = {}  # id(node) → its node count with aliases expanded

        def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML hook signature
            event = self.peek_event()
            line = event.start_mark.line + 1
            if isinstance(event, yaml.AliasEvent):
                node = yaml.composer.Composer.compose_node(self, parent, index)
                self.alias_nodes += self.sizes.get(id(node), 1)
                if self.alias_nodes > MAX_ALIAS_NODES:
                    raise ParkrulesError(
                        f"YAML aliases here expand to more than {MAX_ALIAS_NODES} nodes; refusing to expand them",
                        Location(self.filename, line),
                    )
                return node
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise ParkrulesError(f"nested more than {MAX_DEPTH} levels deep", Location(self.filename, line))
            node = yaml.composer.Composer.compose_node(self, parent, index)
            self.depth -= 1
            assert node is not None  # a node was started here
            self.sizes[id(node)] = 1 + sum(self.sizes.get(id(child), 1) for child in _children(node))
            return node

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
    # Dates stay text: schemas and reports treat them as ISO strings, never as Python objects.
    # (the stubs type SafeLoader's constructor for SafeLoader only; this loader is a SafeConstructor too)
    Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)  # type: ignore[type-var]
    Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
    Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)
    return Loader


def _children(node: yaml.Node) -> list:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return node.value if isinstance(node, yaml.SequenceNode) else []


# libyaml's C parser reads about 5× faster than PyYAML's own; the results are the same.
_LOADER = _loader_over(yaml.cyaml.CParser if yaml.__with_libyaml__ else _PythonEvents)  # type: ignore[attr-defined]


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
    return load_text(infile.read_utf8(path), infile.shown(path))


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
