"""Rule packs: YAML → a validated, immutable model with every formula parsed once.

Parsing only; how a pack is evaluated lives in `plan.py` and `evaluate.py`, how a verdict is
reached in `verdict.py`, and how a pack extending another is merged in `extend.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parkrules.base import operators
from parkrules.base.errors import Location, ParkrulesError
from parkrules.base.i18n import t
from parkrules.base.names import Names
from parkrules.formula import formula
from parkrules.io import schema, units
from parkrules.io.yamlsafe import LocatedDict, load_file


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
    location: Location | None = field(default=None, compare=False)

    @property
    def better(self) -> operators.Better | None:
        """Which way of the limit is better (tiers of one indicator may differ: an elasticity while output grows or
        falls); None for equality."""
        return operators.of(self.operator).better


@dataclass(frozen=True)
class Class:
    """One state a classification indicator can take; `when` may read the indicator's own `value`."""

    id: str
    name: Names
    when: formula.Formula
    meaning: Names | None
    clause: str
    location: Location | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Score:
    """How an indicator earns points: all or nothing on pass, or in proportion to its value.

    `linear`: 0 points at `baseline`, full points at `leading`, capped at both ends (either
    direction). `ratio`: value ÷ leading value (leading ÷ value when lower is better), capped at 1.
    """

    points: float
    method: str  # pass_fail | linear | ratio
    baseline: float | None = None
    leading: float | None = None


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
    group: str | None = None
    score: Score | None = None
    classes: tuple[Class, ...] = ()  # a classification indicator (no thresholds): its result is a state


@dataclass(frozen=True)
class Selector:
    """Which indicators a verdict rule counts: by role, by group, or by id (any of them)."""

    roles: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()
    ids: frozenset[str] = frozenset()

    def matches(self, indicator_id: str, role: str, group: str | None) -> bool:
        return indicator_id in self.ids or role in self.roles or (group is not None and group in self.groups)

    def describe(self) -> Names:
        ids = sorted(self.ids)
        zh = [
            *(f"{t(f'role.{r}', 'zh')}指标" for r in sorted(self.roles)),
            *(f"{g} 组" for g in sorted(self.groups)),
            *ids,
        ]
        en = [*(f"role {r}" for r in sorted(self.roles)), *(f"group {g}" for g in sorted(self.groups)), *ids]
        return Names(zh="、".join(zh), en=", ".join(en))


@dataclass(frozen=True)
class Rule:
    """One condition of the verdict: `all_pass`, `at_least` k, `at_least_share` p %, or `score_at_least` s."""

    kind: str
    selector: Selector | None
    amount: float | None
    clause: str
    verification: Verification
    location: Location


@dataclass(frozen=True)
class Grade:
    minimum: float
    name: Names


@dataclass(frozen=True)
class ScoreScheme:
    """Total = scale × Σ weight·(earned ÷ possible) over groups ÷ Σ weight, plus bonus points.

    A group's weight defaults to its possible points, which makes the total a plain sum.
    """

    scale: float
    weights: dict[str, float]
    grades: tuple[Grade, ...]  # highest minimum first


@dataclass(frozen=True)
class VerdictRules:
    rules: tuple[Rule, ...]
    score: ScoreScheme | None
    note: Names | None


@dataclass(frozen=True)
class NotEncoded:
    """An indicator of the standard that the pack cannot encode yet, and why (coverage is visible)."""

    id: str
    name: Names
    reason: str
    clause: str


@dataclass(frozen=True)
class Extension:
    """What a pack extending another changes: per-indicator field overrides and dropped indicators."""

    base: str
    overrides: dict[str, dict[str, Any]]
    drop: frozenset[str]
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
    verdict: VerdictRules | None
    file: str
    groups: dict[str, Names] = field(default_factory=dict)
    # factor id → (table ref, factor id there, line): factors taken from another table in this pack's assessments
    factor_sources: dict[str, tuple[str, str, int | None]] = field(default_factory=dict)
    not_encoded: tuple[NotEncoded, ...] = ()
    extension: Extension | None = None

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"


def load_pack(path: Path) -> Pack:
    """Load, schema-check and parse a pack file; raises a located ParkrulesError.

    A pack that `extends` another is returned unmerged; the catalog merges it (see extend.py).
    """
    document = load_file(path)
    file = str(path)
    schema.validate(document, "pack-1", file)
    _check_sources(document, file)
    factors = document.get("factors", {})
    factors.setdefault("table", None)
    factors.setdefault("use", LocatedDict())
    for factor_id, unit in factors["use"].items():
        _unit(unit, Location(file, factors["use"].line_of(factor_id), f"factors.use.{factor_id}"))
    derived = tuple(
        _derived(raw, Location(file, document["derived"].line_of(i), f"derived[{i}]"))
        for i, raw in enumerate(document.get("derived", []))
    )
    indicators = tuple(
        Indicator(**_indicator_fields(raw, Location(file, document["indicators"].line_of(i), f"indicators[{i}]")))
        for i, raw in enumerate(document.get("indicators", []))
    )
    groups = {group_id: Names.of(raw["name"]) for group_id, raw in document.get("groups", {}).items()}
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
        verdict=_verdict(document["verdict"], Location(file, document.line_of("verdict"), "verdict"))
        if "verdict" in document
        else None,
        file=file,
        groups=groups,
        factor_sources={
            factor_id: (raw["table"], raw["factor"], factors["from_tables"].line_of(factor_id))
            for factor_id, raw in factors.get("from_tables", {}).items()
        },
        not_encoded=tuple(
            NotEncoded(raw["id"], Names.of(raw["name"]), raw["reason"], raw.get("clause", ""))
            for raw in document.get("not_encoded", [])
        ),
        extension=_extension(document, file) if "extends" in document else None,
    )


def _extension(document: LocatedDict, file: str) -> Extension:
    overrides = {}
    raw_overrides = document.get("overrides", LocatedDict())
    for indicator_id, raw in raw_overrides.items():
        location = Location(file, raw_overrides.line_of(indicator_id), f"overrides.{indicator_id}")
        overrides[indicator_id] = {**_indicator_fields(raw, location, partial=True), "location": location}
    return Extension(
        base=document["extends"],
        overrides=overrides,
        drop=frozenset(document.get("drop", ())),
        location=Location(file, document.line_of("extends"), "extends"),
    )


def _verdict(raw: LocatedDict, location: Location) -> VerdictRules:
    rules = []
    for i, raw_rule in enumerate(raw.get("rules", [])):
        rule_location = Location(location.file, raw["rules"].line_of(i), f"verdict.rules[{i}]")
        kind = next(k for k in ("all_pass", "at_least", "at_least_share", "score_at_least") if k in raw_rule)
        if kind == "all_pass":
            selector, amount = _selector(raw_rule["all_pass"]), None
        elif kind == "score_at_least":
            selector, amount = None, float(raw_rule[kind])
            if "score" not in raw:
                raise ParkrulesError("score_at_least needs a `score` block in the verdict", rule_location)
        else:
            selector, amount = _selector(raw_rule["of"]), float(raw_rule[kind])
        rules.append(
            Rule(
                kind, selector, amount, raw_rule["clause"], Verification.of(raw_rule.get("verification")), rule_location
            )
        )
    score = None
    if "score" in raw:
        raw_score = raw["score"]
        grades = sorted(
            (Grade(float(g["min"]), Names.of(g["name"])) for g in raw_score.get("grades", [])),
            key=lambda grade: -grade.minimum,
        )
        score = ScoreScheme(
            scale=float(raw_score.get("scale", 100)),
            weights={group: float(w) for group, w in raw_score.get("weights", {}).items()},
            grades=tuple(grades),
        )
    return VerdictRules(tuple(rules), score, Names.of(raw["note"]) if "note" in raw else None)


def _selector(raw: dict) -> Selector:
    return Selector(
        roles=frozenset(raw.get("roles", ())),
        groups=frozenset(raw.get("groups", ())),
        ids=frozenset(raw.get("ids", ())),
    )


def _check_sources(document: LocatedDict, file: str) -> None:
    """Every `verification.source` must name an entry of the pack's `sources`."""
    sources = document["sources"]
    entries = [
        (raw, f"{section}[{i}]")
        for section in ("derived", "indicators")
        for i, raw in enumerate(document.get(section, []))
    ]
    entries += [(raw, f"overrides.{key}") for key, raw in document.get("overrides", {}).items()]
    entries += [(raw, f"verdict.rules[{i}]") for i, raw in enumerate(document.get("verdict", {}).get("rules", []))]
    for raw, field_path in entries:
        source = raw.get("verification", {}).get("source")
        if source is not None and source not in sources:
            raise ParkrulesError(
                f"source {source!r} is not listed under `sources`",
                Location(file, raw.line_of("verification"), f"{field_path}.verification.source"),
                "PR180",
            )


def _unit(text: str, location: Location) -> str:
    try:
        units.check_unit(text)
    except units.UnitError as exc:
        raise ParkrulesError(str(exc), location, "PR104") from exc
    return text


def _formula(text: Any, location: Location) -> formula.Formula:
    try:
        return formula.parse(text)
    except formula.FormulaError as exc:
        code = "PR102" if isinstance(exc, formula.UnknownFunction) else "PR103"
        raise ParkrulesError(str(exc), location, code) from exc


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


def _indicator_fields(raw: LocatedDict, location: Location, partial: bool = False) -> dict[str, Any]:
    """The Indicator fields given in `raw`; all of them unless `partial` (an override)."""
    fields: dict[str, Any] = {}
    if not partial:
        fields.update(id=raw["id"], location=location, excludable=bool(raw.get("excludable", False)))
        fields.update(otherwise=None, decimals=None, group=None, score=None)
    if "name" in raw:
        fields["name"] = Names.of(raw["name"])
    for key in ("role", "clause", "group"):
        if key in raw:
            fields[key] = raw[key]
    if "unit" in raw:
        fields["unit"] = _unit(raw["unit"], _field(raw, "unit", location))
    if "formula" in raw:
        fields["formula"] = _formula(raw["formula"], _field(raw, "formula", location))
    if "thresholds" in raw:
        fields["thresholds"] = _thresholds(raw, location)
    if "classes" in raw:
        fields["classes"], fields["thresholds"] = _classes(raw, location), ()
    if "comparison" in raw:
        comparison = raw["comparison"]
        fields["decimals"] = None if comparison == "full_value" else comparison["decimals"]
    if "otherwise" in raw:
        fields["otherwise"] = Names.of(raw["otherwise"])
    if "verification" in raw:
        fields["verification"] = Verification.of(raw["verification"])
    if "score" in raw:
        fields["score"] = _score(raw["score"], _field(raw, "score", location))
    return fields


def _score(raw: dict, location: Location) -> Score:
    method = raw.get("method", "pass_fail")
    baseline, leading = raw.get("baseline"), raw.get("leading")
    if method == "linear" and (baseline is None or leading is None or baseline == leading):
        raise ParkrulesError("linear scoring needs a baseline and a different leading value", location)
    if method == "ratio" and not leading:
        raise ParkrulesError("ratio scoring needs a non-zero leading value", location)
    return Score(float(raw["points"]), method, baseline, leading)


def _classes(raw: LocatedDict, location: Location) -> tuple[Class, ...]:
    classes = []
    for i, entry in enumerate(raw["classes"]):
        entry_location = Location(location.file, raw["classes"].line_of(i), f"{location.field}.classes[{i}]")
        classes.append(
            Class(
                id=entry["id"],
                name=Names.of(entry["name"]),
                when=_formula(entry["when"], _field(entry, "when", entry_location)),
                meaning=Names.of(entry["meaning"]) if "meaning" in entry else None,
                clause=entry["clause"],
                location=entry_location,
            )
        )
    return tuple(classes)


def _thresholds(raw: LocatedDict, location: Location) -> tuple[Threshold, ...]:
    thresholds = []
    for i, tier in enumerate(raw["thresholds"]):
        tier_location = Location(location.file, raw["thresholds"].line_of(i), f"{location.field}.thresholds[{i}]")
        when = tier.get("when")
        if isinstance(tier["value"], (bool, str)) and operators.of(tier["operator"]).ordered:
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
                location=tier_location,
            )
        )
    return tuple(thresholds)
