from __future__ import annotations

import resource
import time

import pytest
import yaml

from parkrules.base.errors import ParkrulesError
from parkrules.io import yamlsafe
from parkrules.io.yamlsafe import MAX_ALIAS_NODES, MAX_DEPTH, LocatedDict, LocatedList, line_at, load_text
from tests.conftest import ROOT

EVENT_SOURCES = [yamlsafe._PythonEvents] + ([yaml.cyaml.CParser] if yaml.__with_libyaml__ else [])


@pytest.fixture(autouse=True, params=EVENT_SOURCES, ids=lambda events: events.__name__)
def event_source(request, monkeypatch):
    """Every test here runs over libyaml's parser and over PyYAML's pure-Python one."""
    monkeypatch.setattr(yamlsafe, "_LOADER", yamlsafe._loader_over(request.param))


def test_duplicate_key_names_both_lines():
    with pytest.raises(ParkrulesError) as info:
        load_text("a: 1\nb:\n  c: 2\n  c: 3\n", "dup.yaml")
    error = info.value
    assert (error.location.file, error.location.line, error.location.field) == ("dup.yaml", 4, "c")
    assert "first at line 3" in error.message


def test_merge_key_may_be_overridden_but_not_repeated():
    data = load_text("base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 5\n", "m.yaml")
    assert data["use"] == {"x": 1, "y": 5}


def test_malformed_yaml_reports_line():
    with pytest.raises(ParkrulesError) as info:
        load_text("a: 1\nb: [1, 2\nc: 3\n", "bad.yaml")
    assert info.value.location.file == "bad.yaml"
    assert info.value.location.line is not None
    assert "malformed YAML" in info.value.message


def _bomb(levels: int, width: int, where: str) -> str:
    """A few hundred bytes whose aliases expand to width**levels nodes, the last alias at `where`."""
    lines = [f"a0: &a0 [{', '.join(['x'] * width)}]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]" for i in range(1, levels)]
    return "\n".join(lines) + f"\n{where}: *a{levels - 1}\n"


@pytest.mark.parametrize("where", ["name", "facts", "value"])
def test_alias_bomb_is_refused_by_what_it_expands_to_quickly(where):
    text = _bomb(9, 9, where)  # 9**9 ≈ 387 million nodes from 21 aliases
    assert len(text) < 500
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with pytest.raises(ParkrulesError, match="expand to more than") as info:
        load_text(text, "bomb.yaml")
    assert time.perf_counter() - started < 1.0
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200_000  # KiB
    assert info.value.location.line is not None


def test_many_small_aliases_are_fine():
    """The bound is on expansion, not on how many aliases there are: 300 uses of a small block load."""
    text = "base: &b {x: 1}\n" + "".join(f"k{i}: *b\n" for i in range(300))
    assert load_text(text, "ok.yaml")["k299"] == {"x": 1}
    assert MAX_ALIAS_NODES > 300 * 3


def test_deep_nesting_is_a_located_error_not_a_recursion_error():
    with pytest.raises(ParkrulesError, match="nest") as info:
        load_text("a: " + "[" * 5000 + "]" * 5000 + "\n", "deep.yaml")
    assert info.value.location.line == 1
    load_text("a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n", "ok.yaml")


@pytest.mark.parametrize("key", ["null", "true", "2024.5", "0x7e8", "-1", "99999999999999999999", "[1, 2]"])
def test_keys_that_are_not_text_are_located_errors(key):
    with pytest.raises(ParkrulesError, match="mapping key must be text") as info:
        load_text(f"a: 1\nb:\n  {key}: 2\n", "keys.yaml")
    assert info.value.location.line == 3


def test_plain_whole_number_keys_become_their_digits():
    data = load_text("years:\n  2024: {a: 1}\n", "y.yaml")
    assert list(data["years"]) == ["2024"]
    assert line_at(data, ["years", "2024", "a"]) == 2


@pytest.mark.parametrize(
    "value, message",
    [
        (".nan", "not a finite number"),
        ("-.inf", "not a finite number"),
        ("1.0e+309", "not a finite number"),
        ("9" * 400, "longer than"),
        ("9" * 5000, "longer than"),
    ],
)
def test_numbers_that_are_not_finite_floats_are_located_errors(value, message):
    with pytest.raises(ParkrulesError, match=message) as info:
        load_text(f"a: 1\nb: {value}\n", "n.yaml")
    assert info.value.location.line == 2


def test_unsafe_tags_are_refused():
    with pytest.raises(ParkrulesError):
        load_text("x: !!python/object/apply:os.system ['echo hi']\n", "evil.yaml")


def test_dates_stay_text_and_lines_are_kept():
    data = load_text("meta:\n  published: 2025-07-08\nitems:\n  - a\n  - b\n", "d.yaml")
    assert data["meta"]["published"] == "2025-07-08"
    assert line_at(data, ["items", 1]) == 5
    assert line_at(data, ["meta", "published"]) == 2


def _shape(node):
    """Values with every remembered line and column, for comparing two loads."""
    if isinstance(node, LocatedDict):
        items = {key: _shape(value) for key, value in node.items()}
        return (node.line, node.column, node.key_lines, node.key_columns, items)
    if isinstance(node, LocatedList):
        return (node.line, node.column, node.item_lines, node.item_columns, [_shape(item) for item in node])
    return node


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")
def test_both_event_sources_load_every_bundled_file_alike():
    hostile = ROOT / "tests" / "data" / "hostile"  # refused on purpose (test_hostile.py)
    files = sorted(
        path
        for folder in ("standards", "parks", "tests")
        for path in (ROOT / folder).rglob("*.yaml")
        if not path.is_relative_to(hostile)
    )
    assert len(files) > 25
    c_loader = yamlsafe._loader_over(yaml.cyaml.CParser)
    python_loader = yamlsafe._loader_over(yamlsafe._PythonEvents)
    for path in files:
        text = path.read_text(encoding="utf-8")
        fast = c_loader(text, str(path)).get_single_data()
        assert _shape(fast) == _shape(python_loader(text, str(path)).get_single_data()), path
