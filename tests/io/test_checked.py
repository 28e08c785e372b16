"""Rule files kept checked between runs: the kept document is the parsed one, lines and columns included; a changed
file, an invalid one and a spoiled kept file are parsed and checked afresh."""

from __future__ import annotations

import pytest

from parkrules.base.errors import ParkrulesError
from parkrules.io import checked
from parkrules.io.yamlsafe import LocatedDict, LocatedList, load_file
from tests.conftest import STANDARDS


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _same(first, second) -> None:
    """Equal values, and equal lines and columns at every level."""
    assert type(first) is type(second) and first == second
    if isinstance(first, LocatedDict):
        assert (first.line, first.column) == (second.line, second.column)
        for key in first:
            assert (first.line_of(key), first.column_of(key)) == (second.line_of(key), second.column_of(key))
            _same(first[key], second[key])
    if isinstance(first, LocatedList):
        assert (first.line, first.column) == (second.line, second.column)
        for index, item in enumerate(first):
            assert (first.line_of(index), first.column_of(index)) == (second.line_of(index), second.column_of(index))
            _same(item, second[index])


def test_a_kept_pack_is_the_parsed_pack_lines_and_columns_included(own_cache):
    path = STANDARDS / "cn-national-zero-carbon-park" / "2025.07-trial.yaml"
    first = checked.load_checked(path, "pack-1")
    kept = list(own_cache.rglob("*.json"))
    assert len(kept) == 1
    second = checked.load_checked(path, "pack-1")  # from the kept file
    _same(second, load_file(path))
    _same(second, first)


def test_a_changed_file_is_parsed_afresh_and_an_invalid_one_never_kept(tmp_path, own_cache):
    path = tmp_path / "vocabulary.yaml"
    path.write_text((STANDARDS / "vocabulary.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    checked.load_checked(path, "vocabulary-1")
    path.write_text("version: 1\nfacts: {x: {unit: nowhere}}\n", encoding="utf-8")  # no name: invalid
    for _ in range(2):  # never kept, so the error comes every time
        with pytest.raises(ParkrulesError) as error:
            checked.load_checked(path, "vocabulary-1")
        assert error.value.location.file == str(path)
    assert len(list(own_cache.rglob("*.json"))) == 1


def test_a_spoiled_kept_file_is_ignored(own_cache):
    path = STANDARDS / "cn-national-zero-carbon-park" / "2025.07-trial.yaml"
    checked.load_checked(path, "pack-1")
    (kept,) = own_cache.rglob("*.json")
    for spoiled in ("not json", '{"d": [["id", "x"]], "at": [1, 1], "keys": []}', "[1, 2]"):
        kept.write_text(spoiled, encoding="utf-8")
        _same(checked.load_checked(path, "pack-1"), load_file(path))
