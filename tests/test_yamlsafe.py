from __future__ import annotations

import pytest
from parkrules.errors import ParkrulesError
from parkrules.yamlsafe import MAX_ALIASES, line_at, load_text


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
