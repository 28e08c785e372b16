"""Rule packs: YAML → a validated, immutable model with every formula parsed once.

Parsing only; how a pack is evaluated lives in `plan.py` and `evaluate.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parkrules import formula, schema, units
from parkrules.errors import Location, ParkrulesError
from parkrules.names import Names
from parkrules.yamlsafe import LocatedDict, load_file


@dataclass(frozen=True)
class Verification:
    provisional: bool
    source: str | None
    rests_on: str | None

    @classmethod
    def of(cls, raw: dict | None) -> Verification:
        if raw is None:
            return cls(provisional=False, source=None, rests_on=None)
        return cls(raw["status"] == "provisional", raw.get("source"), raw.get("rests_on"))


@dataclass(frozen=True)
class Threshold:
    when: formula.Formula | None
    operator: str
    value: float | bool | str
    tier: Names | None
    clause: str


@dataclass(frozen=True)
class Derived:
    id: str
    name: Names
    unit: str
    formula: formula.Formula
    zero_if_absent: frozenset[str]
    zero_when_all_absent: bool
    headline: bool
    clause: str
    verification: Verification
    location: Location


@dataclass(frozen=True)
class Indicator:
    id: str
    name: Names
    role: str
    unit: str
    formula: formula.Formula
    thresholds: tuple[Threshold, ...]
    decimals: int | None  # None: full-value comparison
    otherwise: Names | None
    excludable: bool
    clause: str
    verification: Verification
    location: Location


@dataclass(frozen=True)
class Pack:
    id: str
    version: str
    kind: str
    title: Names
    issuer: Names
    document: str
    status: str
    requires: tuple[str, ...]
    factor_table: str | None
    factor_units: dict[str, str]
    factor_lines: dict[str, int | None]
    headline_factors: frozenset[str]
    derived: tuple[Derived, ...]
    indicators: tuple[Indicator, ...]
    deciding_roles: tuple[str, ...]
    file: str

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"


def load_pack(path: Path) -> Pack:
    """Load, schema-check and parse a pack file; raises a located ParkrulesError."""
    document = load_file(path)
    file = str(path)
    schema.validate(document, "pack-1", file)
    _check_sources(document, file)
    factors = document.get("factors", {"table": None, "use": LocatedDict()})
    for factor_id, unit in factors["use"].items():
        _unit(unit, Location(file, factors["use"].line_of(factor_id), f"factors.use.{factor_id}"))
    derived = tuple(
        _derived(raw, Location(file, document["derived"].line_of(i), f"derived[{i}]"))
        for i, raw in enumerate(document.get("derived", []))
    )
    indicators = tuple(
        _indicator(raw, Location(file, document["indicators"].line_of(i), f"indicators[{i}]"))
        for i, raw in enumerate(document.get("indicators", []))
    )
    verdict = document.get("verdict", {"deciding_roles": []})
    return Pack(
        id=document["id"],
        version=str(document["version"]),
        kind=document["kind"],
        title=Names.of(document["title"]),
        issuer=Names.of(document["issuer"]),
        document=document["document"],
        status=document["status"],
        requires=tuple(document.get("requires", ())),
        factor_table=factors["table"],
        factor_units=dict(factors["use"]),
        factor_lines={factor_id: factors["use"].line_of(factor_id) for factor_id in factors["use"]},
        headline_factors=frozenset(factors.get("headline", ())),
        derived=derived,
        indicators=indicators,
        deciding_roles=tuple(verdict["deciding_roles"]),
        file=file,
    )


def _check_sources(document: LocatedDict, file: str) -> None:
    """Every `verification.source` must name an entry of the pack's `sources`."""
    sources = document["sources"]
    for section in ("derived", "indicators"):
        for i, raw in enumerate(document.get(section, [])):
            source = raw.get("verification", {}).get("source")
            if source is not None and source not in sources:
                line = document[section][i].line_of("verification")
                raise ParkrulesError(
                    f"source {source!r} is not listed under `sources`",
                    Location(file, line, f"{section}[{i}].verification.source"),
                )


def _unit(text: str, location: Location) -> str:
    try:
        units.parse_unit(text)
    except units.UnitError as exc:
        raise ParkrulesError(str(exc), location) from exc
    return text


def _formula(text: Any, location: Location) -> formula.Formula:
    try:
        return formula.parse(text)
    except formula.FormulaError as exc:
        raise ParkrulesError(str(exc), location) from exc


def _field(raw: LocatedDict, key: str, base: Location) -> Location:
    return Location(base.file, raw.line_of(key), f"{base.field}.{key}")


def _derived(raw: LocatedDict, location: Location) -> Derived:
    return Derived(
        id=raw["id"],
        name=Names.of(raw["name"]),
        unit=_unit(raw["unit"], _field(raw, "unit", location)),
        formula=_formula(raw["formula"], _field(raw, "formula", location)),
        zero_if_absent=frozenset(raw.get("zero_if_absent", ())),
        zero_when_all_absent=raw.get("when_all_absent", "missing") == "zero",
        headline=bool(raw.get("headline", False)),
        clause=raw["clause"],
        verification=Verification.of(raw.get("verification")),
        location=location,
    )


def _indicator(raw: LocatedDict, location: Location) -> Indicator:
    thresholds = []
    for i, tier in enumerate(raw["thresholds"]):
        tier_location = Location(location.file, raw["thresholds"].line_of(i), f"{location.field}.thresholds[{i}]")
        when = tier.get("when")
        if isinstance(tier["value"], (bool, str)) and tier["operator"] != "==":
            raise ParkrulesError(
                f"a {type(tier['value']).__name__} threshold can only be compared with ==, not {tier['operator']}",
                _field(tier, "operator", tier_location),
            )
        thresholds.append(
            Threshold(
                when=_formula(when, _field(tier, "when", tier_location)) if when is not None else None,
                operator=tier["operator"],
                value=tier["value"],
                tier=Names.of(tier["tier"]) if "tier" in tier else None,
                clause=tier["clause"],
            )
        )
    comparison = raw.get("comparison", "full_value")
    return Indicator(
        id=raw["id"],
        name=Names.of(raw["name"]),
        role=raw["role"],
        unit=_unit(raw["unit"], _field(raw, "unit", location)),
        formula=_formula(raw["formula"], _field(raw, "formula", location)),
        thresholds=tuple(thresholds),
        decimals=None if comparison == "full_value" else comparison["decimals"],
        otherwise=Names.of(raw["otherwise"]) if "otherwise" in raw else None,
        excludable=bool(raw.get("excludable", False)),
        clause=raw["clause"],
        verification=Verification.of(raw["verification"]),
        location=location,
    )
