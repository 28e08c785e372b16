"""Unit parsing and conversion with pint, extended for Chinese energy statistics.

Design choices, each so that nothing is guessed:
- `tce` (tonne of standard coal equivalent) is its own dimension. Converting GJ or kWh to tce
  depends on the accounting basis (calorific vs equivalent value), so it is never implicit:
  it is a coefficient in a factor table.
- CO2 mass (`tCO2`, `kgCO2`) is its own dimension, so `kgCO2/kg` of fuel is a real ratio.
- `万` (1e4) and `亿` (1e8) multiply the unit that follows them: `万kWh`, `亿元`, `t/万元`.
- A ratio's unit decides whether 85 means percent: `85 %` is 0.85, `0.85` with unit `1` is 0.85.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import math
import os
import re
import tempfile
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pint

_DEFINITIONS = (
    "tce = [coal_equivalent]",
    "kgce = 1e-3 tce",
    "gce = 1e-6 tce",
    "tCO2 = [carbon_dioxide]",
    "kgCO2 = 1e-3 tCO2",
    "gCO2 = 1e-6 tCO2",
    # A tonne of carbon, counted as the CO2 it makes when fully oxidised (44/12): carbon contents per unit of heat
    # (tC/TJ) convert, and a formula's explicit `* 44 / 12` keeps the dimension of CO2 the check expects.
    "tC = 44 / 12 * tCO2",
    "kgC = 1e-3 tC",
    "yuan = [currency]",
    "wan = 1e4",
    "yi = 1e8",
    "Nm3 = meter ** 3",
    "fraction = 1",
    "person = [headcount]",
    "km2 = kilometer ** 2",
    "m3 = meter ** 3",
)

# Chinese unit words an assessor types, mapped to the registry's names. Longest first.
_WORDS = (
    ("吨标准煤", "tce"),
    ("千克标准煤", "kgce"),
    ("标准煤", "tce"),
    ("千瓦时", "kWh"),
    ("兆瓦时", "MWh"),
    ("吉焦", "GJ"),
    ("立方米", "m**3"),
    ("吨", "t"),
    ("平方公里", "km**2"),
    ("km²", "km**2"),
    ("人", "person"),
    ("元", "yuan"),
    ("％", "%"),
)
# Counting words (个 projects, 次 events, 项 items, 起 incidents): a bare count.
_COUNT_WORDS = ("个", "次", "项", "起", "件")
# "15000 万kWh": a number, then an optional unit (park files and spreadsheet cells)
NUMBER_WITH_UNIT = re.compile(r"^\s*([-+]?(?:\d[\d_]*\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$")
MAX_UNIT_CHARS = 64  # the longest bundled unit is about 20; a unit text is untrusted input
MAX_NUMBER_CHARS = 100  # a longer number is a mistake or an attack (Python's int() of 5 000 digits refuses)


def finite_number(text: str) -> float:
    """The number NUMBER_WITH_UNIT matched, as a float; ValueError for one that overflows a float (1e309) or
    is longer than MAX_NUMBER_CHARS (NaN and infinity never match the pattern)."""
    if len(text) > MAX_NUMBER_CHARS:
        raise ValueError(f"number longer than {MAX_NUMBER_CHARS} characters")
    number = float(text.replace("_", ""))
    if not math.isfinite(number):
        raise ValueError(f"number {text} is beyond the range of a float")
    return number


_MULTIPLIER = re.compile(r"(万|亿)\s*([A-Za-z_][A-Za-z0-9_]*(?:\*\*\d+)?)")


class UnitError(ValueError):
    """A unit that cannot be parsed, or a conversion between different dimensions."""


@lru_cache(maxsize=1)
def registry() -> pint.UnitRegistry:
    """The one unit registry of the process.

    Parsing pint's unit definitions takes about 0.13 s, a quarter of a one-park run; pint's own
    disk cache (in the user's cache folder, keyed by pint and Python version and the definitions'
    content) brings that to about 0.02 s. Where the cache cannot be read or written, the
    definitions are parsed as before.
    """
    try:
        return build_registry(":auto:")
    except Exception:  # any cache failure (unwritable folder, a half-written file) only costs time
        return build_registry(None)


def build_registry(cache_folder: str | None) -> pint.UnitRegistry:
    """pint's registry with the parkrules units; `cache_folder` as pint takes it (None: no disk cache)."""
    import pint  # here, not at the top: a run whose units pint answered before never imports it

    reg: pint.UnitRegistry = pint.UnitRegistry(autoconvert_offset_to_baseunit=True, cache_folder=cache_folder)
    for line in _DEFINITIONS:
        reg.define(line)
    return reg


def normalise(text: str) -> str:
    """Rewrite Chinese unit words and 万/亿 multipliers into pint syntax."""
    out = text.strip()
    for word, name in _WORDS:
        out = out.replace(word, name)
    out = _MULTIPLIER.sub(lambda m: f"({'wan' if m.group(1) == '万' else 'yi'}*{m.group(2)})", out)
    if out in ("", "1", *_COUNT_WORDS):
        return "dimensionless"
    return out


@lru_cache(maxsize=4096)
def parse_unit(text: str) -> pint.Unit:
    """Parse a unit string (cached: packs and parks repeat the same few units)."""
    if isinstance(text, str) and len(text) > MAX_UNIT_CHARS:
        raise UnitError(f"unknown unit: longer than {MAX_UNIT_CHARS} characters")
    try:
        return registry().parse_units(normalise(text))
    except Exception as exc:  # pint's parser is not hardened: `:` raises AssertionError, other junk other errors
        raise UnitError(f"unknown unit {text!r}") from exc


def check_unit(text: str) -> None:
    """Raise UnitError unless pint, with the parkrules units, can parse `text` (answered from earlier runs
    where it can be)."""
    if not isinstance(text, str):  # only texts are remembered: 1 and "1" are different answers
        parse_unit(text)
        return
    answers = _remembered()["units"]
    if text not in answers:
        try:
            parse_unit(text)
            answers[text] = None
        except UnitError as exc:
            answers[text] = str(exc)
        _learned()
    if answers[text] is not None:
        raise UnitError(answers[text])


@lru_cache(maxsize=4096)
def conversion_factor(source: str, target: str) -> float:
    """Multiplier taking a magnitude in `source` units to `target` units (answered from earlier runs where it
    can be)."""
    if not (isinstance(source, str) and isinstance(target, str)):
        return _pint_factor(source, target)
    answers = _remembered()["factors"].setdefault(source, {})
    if target not in answers:
        try:
            answers[target] = _pint_factor(source, target)
        except UnitError as exc:
            answers[target] = str(exc)
        _learned()
    answer = answers[target]
    if isinstance(answer, str):
        raise UnitError(answer)
    return answer


def _pint_factor(source: str, target: str) -> float:
    import pint

    src, dst = parse_unit(source), parse_unit(target)
    try:
        return float(registry().Quantity(1.0, src).to(dst).magnitude)
    except pint.errors.DimensionalityError as exc:
        raise UnitError(f"unit {source!r} ({_dims(src)}) cannot be converted to {target!r} ({_dims(dst)})") from exc


def convert(value: float, source: str, target: str) -> float:
    """Convert a magnitude between units; a dimension mismatch raises UnitError."""
    return value * conversion_factor(source, target)


# pint's answers (is a unit text valid; the factor between two, or why there is none), kept between runs in
# the user's cache folder: importing pint and building its registry is a third of a one-park run, and a
# run meets the same few dozen unit texts every time. The file is named after this module's source and
# pint's version, so a change to either asks pint afresh; it is JSON, and an unreadable one is ignored.
def answers_file() -> Path:
    """Raises OSError where there is no usable cache folder (a relative one is not used, as XDG says)."""
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    if not root.is_absolute():
        raise OSError(f"cache folder {root} is not an absolute path")
    key = hashlib.sha256(Path(__file__).read_bytes() + metadata.version("pint").encode()).hexdigest()[:16]
    return root / "parkrules" / f"units-{key}.json"


@lru_cache(maxsize=1)
def _remembered() -> dict:
    try:
        kept = json.loads(answers_file().read_text(encoding="utf-8"))
        if _well_formed(kept):
            return kept
    except Exception:  # none yet, unreadable, no home folder: pint is asked, which only costs time
        pass
    return {"units": {}, "factors": {}}


def _well_formed(kept: object) -> bool:
    """What `_keep` writes: unit text → None or why not; source → target → factor or why not."""
    if not isinstance(kept, dict) or not isinstance(units := kept.get("units"), dict):
        return False
    if not all(answer is None or isinstance(answer, str) for answer in units.values()):
        return False
    factors = kept.get("factors")
    return isinstance(factors, dict) and all(
        isinstance(targets, dict) and all(isinstance(a, (str, float)) for a in targets.values())
        for targets in factors.values()
    )


@lru_cache(maxsize=1)
def _learned() -> None:
    """Something new was asked of pint: write the answers when the process ends (once)."""
    atexit.register(_keep)


def _keep() -> None:
    try:
        path = answers_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(suffix=".tmp", dir=path.parent)
    except Exception:  # no usable cache folder: the next run asks pint again, which only costs time
        return
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(_remembered(), file, ensure_ascii=False)
        os.replace(temporary, path)  # whole or not at all, even with runs writing side by side
    except Exception:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def _dims(unit: pint.Unit) -> str:
    dims = str(unit.dimensionality)
    return "dimensionless" if dims == "dimensionless" else dims


# Units an assessor meets in Chinese statistics, offered in the workbook's unit drop-downs.
COMMON_UNITS = (
    "t", "万t", "kg", "tce", "万tce", "kgce", "kWh", "万kWh", "亿kWh", "MWh", "GWh", "kW", "MW", "GJ", "TJ",
    "m3", "万m3", "Nm3", "万Nm3", "元", "万元", "亿元", "%", "1", "person", "万人", "h", "km2", "人",
    "tCO2", "万tCO2",
)  # fmt: skip


def choices(canonical: str) -> list[str]:
    """The common units convertible to `canonical`, the canonical unit first."""
    found = [canonical]
    for unit in COMMON_UNITS:
        if unit in found:
            continue
        try:
            conversion_factor(unit, canonical)
        except UnitError:
            continue
        found.append(unit)
    return found
