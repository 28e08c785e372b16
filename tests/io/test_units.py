from __future__ import annotations

import math
import os
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parkrules.io import units
from parkrules.io.units import COMMON_UNITS, UnitError, build_registry, check_unit, convert, normalise

ROUND_TRIPS = [
    ("万tce", "tce"),
    ("亿kWh", "MWh"),
    ("万kWh", "kWh"),
    ("GJ", "MJ"),
    ("kgce", "tce"),
    ("万Nm3", "m**3"),
    ("%", "fraction"),
    ("kgCO2/kWh", "tCO2/MWh"),
    ("亿元", "万元"),
    ("t/万元", "kg/yuan"),
    ("万吨标准煤", "kgce"),
]


@pytest.mark.parametrize(
    ("value", "source", "target", "expected"),
    [
        (1.2, "万tce", "tce", 12_000),
        (3, "万kWh", "MWh", 30),
        (2, "亿元", "万元", 20_000),
        (85, "%", "1", 0.85),
        (0.85, "fraction", "%", 85),
        (0.8325, "kgCO2/kWh", "tCO2/MWh", 0.8325),
        (5, "万吨标准煤", "tce", 50_000),
        (1, "kgce/Nm3", "tce/Nm3", 0.001),
    ],
)
def test_known_conversions(value, source, target, expected):
    assert convert(value, source, target) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("source", "target"), [("t", "tce"), ("kWh", "tce"), ("GJ", "tce"), ("tCO2", "t"), ("%", "kWh")]
)
def test_no_implicit_conversion_across_dimensions(source, target):
    with pytest.raises(UnitError, match="cannot be converted"):
        convert(1.0, source, target)


def test_unknown_unit_is_named():
    with pytest.raises(UnitError, match="'furlongs'"):
        convert(1.0, "furlongs", "kWh")


@given(
    value=st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False),
    pair=st.sampled_from(ROUND_TRIPS),
)
def test_round_trip(value, pair):
    source, target = pair
    back = convert(convert(value, source, target), target, source)
    assert math.isclose(back, value, rel_tol=1e-12, abs_tol=1e-9)


def test_a_registry_read_from_pint_disk_cache_converts_alike(tmp_path):
    fresh = build_registry(None)
    build_registry(str(tmp_path))  # writes the cache
    assert any(tmp_path.glob("*.pickle"))
    cached = build_registry(str(tmp_path))  # reads it
    names = [normalise(text) for text in COMMON_UNITS]
    for source in names:
        for target in names:
            a, b = fresh.parse_units(source), fresh.parse_units(target)
            if a.dimensionality == b.dimensionality:
                expected = fresh.Quantity(1.0, a).to(b).magnitude
                assert cached.Quantity(1.0, cached.parse_units(source)).to(target).magnitude == expected
            else:
                assert cached.parse_units(source).dimensionality != cached.parse_units(target).dimensionality


def test_an_unusable_cache_folder_only_costs_time(tmp_path):
    blocker = tmp_path / "a-file-not-a-folder"
    blocker.write_text("", encoding="utf-8")
    environment = {**os.environ, "XDG_CACHE_HOME": str(blocker)}  # pint's cache folder cannot be made under it
    program = "from parkrules.io.units import convert; print(convert(1, 'kWh', 'MJ'))"
    done = subprocess.run([sys.executable, "-c", program], env=environment, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert float(done.stdout) == pytest.approx(3.6)


def _answer(source: str, target: str) -> float | str:
    try:
        return convert(1.0, source, target)
    except UnitError as exc:
        return str(exc)


def _forget(monkeypatch, folder) -> None:
    """A process with a cache folder of its own and nothing remembered yet."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    for cached in (units._remembered, units._learned, units.conversion_factor, units.parse_unit):
        cached.cache_clear()


def test_answers_kept_from_an_earlier_run_are_pints(tmp_path, monkeypatch):
    texts = [*COMMON_UNITS, "flurbs", "万吨标准煤"]
    _forget(monkeypatch, tmp_path)
    asked = {(a, b): _answer(a, b) for a in texts for b in texts}
    units._keep()  # what the process writes as it ends
    assert units.answers_file().is_file()
    _forget(monkeypatch, tmp_path)
    assert {(a, b): _answer(a, b) for a in texts for b in texts} == asked
    assert units._remembered()["factors"]["万kWh"]["kWh"] == 10_000  # read from the file, not asked again
    with pytest.raises(UnitError, match="unknown unit 'flurbs'"):
        check_unit("flurbs")
    check_unit("1")  # a text, valid ...
    with pytest.raises(UnitError):
        check_unit(1)  # ... a number in its place is not, and is not remembered as "1"
    check_unit("1")


def test_a_damaged_answers_file_is_ignored(tmp_path, monkeypatch):
    _forget(monkeypatch, tmp_path)
    path = units.answers_file()
    path.parent.mkdir(parents=True)
    for damage in ("{not json", '{"units": {"kWh": 3}, "factors": {}}', '{"units": {}, "factors": {"kWh": 1.0}}'):
        path.write_text(damage, encoding="utf-8")
        _forget(monkeypatch, tmp_path)
        assert convert(1, "kWh", "MJ") == pytest.approx(3.6)
        check_unit("kWh")


def test_a_run_whose_units_were_answered_before_does_not_import_pint(tmp_path):
    environment = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    program = (
        "import sys; from parkrules.io.units import check_unit, convert; check_unit('万kWh'); "
        "print(convert(1, '万kWh', 'MWh'), 'pint' in sys.modules)"
    )
    runs = [subprocess.run([sys.executable, "-c", program], env=environment, capture_output=True, text=True)]
    runs.append(subprocess.run([sys.executable, "-c", program], env=environment, capture_output=True, text=True))
    assert [run.stdout.split() for run in runs] == [["10.0", "True"], ["10.0", "False"]], runs[-1].stderr


def test_no_answers_are_written_where_the_cache_folder_is_not_an_absolute_path(tmp_path):
    program = "from parkrules.io.units import check_unit, convert; check_unit('万kWh'); print(convert(1, 'kWh', 'MJ'))"
    for environment in ({"XDG_CACHE_HOME": "relative-cache"}, {"XDG_CACHE_HOME": "", "HOME": ""}):
        done = subprocess.run(
            [sys.executable, "-c", program],
            env={**os.environ, **environment},
            cwd=tmp_path,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0 and done.stderr == "", done.stderr
        assert float(done.stdout) == pytest.approx(3.6)
    assert list(tmp_path.iterdir()) == []  # nothing written beside the user's files
