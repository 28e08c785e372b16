from __future__ import annotations

import pytest
import yaml
from parkrules import yamlsafe
from parkrules.errors import ParkrulesError
from parkrules.yamlsafe import MAX_ALIASES, LocatedDict, LocatedList, line_at, load_text

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


def test_alias_bomb_is_refused():
    lines = ["a0: &a0 [x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]" for i in range(1, 60)]
    with pytest.raises(ParkrulesError, match="aliases"):
        load_text("\n".join(lines), "bomb.yaml")
    assert MAX_ALIASES < 2 * 59


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
    files = sorted(path for folder in ("standards", "parks", "tests") for path in (ROOT / folder).rglob("*.yaml"))
    assert len(files) > 25
    c_loader = yamlsafe._loader_over(yaml.cyaml.CParser)
    python_loader = yamlsafe._loader_over(yamlsafe._PythonEvents)
    for path in files:
        text = path.read_text(encoding="utf-8")
        fast = c_loader(text, str(path)).get_single_data()
        assert _shape(fast) == _shape(python_loader(text, str(path)).get_single_data()), path
