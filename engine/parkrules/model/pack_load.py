"""Loading a rule pack: YAML → the validated, immutable model of `pack.py`, every formula parsed once.

Schema first (so every problem is located), then the checks a schema cannot express: sources cited, units known,
formulas allowed, operators in the table.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from parkrules.base import operators
from parkrules.base.errors import Location, ParkrulesError
from parkrules.base.names import Names
from parkrules.formula import formula
from parkrules.io import units
from parkrules.io.checked import load_checked
from parkrules.io.yamlsafe import LocatedDict
from parkrules.model.pack import (
    Class,
    Derived,
    Extension,
    Grade,
    Indicator,
    NotEncoded,
    Pack,
    Rule,
    Score,
    ScoreScheme,
    Selector,
    Threshold,
    VerdictRules,
    Verification,
)


def load_pack(path: Path) -> Pack:
    """Load, schema-check and parse a pack file; raises a located ParkrulesError.

    A pack that `extends` another is returned unmerged; the catalog merges it (see extend.py).
    """
    document = load_checked(path, "pack-1")
    file = str(path)
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
            NotEncoded(
                id=raw["id"],
                name=Names.of(raw["name"]),
                reason=raw["reason"],
                clause=raw.get("clause", ""),
                role=raw.get("role"),
                group=raw.get("group"),
            )
            for raw in document.get("not_encoded", [])
        ),
        extension=_extension(document, file) if "extends" in document else None,
        effective=_day(document.get("dates", {}).get("effective")),
        superseded=_day(document.get("dates", {}).get("superseded")),
    )


def _day(value: object) -> str | None:
    """A date as the pack gives it (YAML may read an unquoted day as a date)."""
    return None if value is None else str(value)


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
            years=int(raw_score.get("years", 1)),
        )
    unencoded = raw.get("unencoded_rule")
    return VerdictRules(
        tuple(rules),
        score,
        Names.of(raw["note"]) if "note" in raw else None,
        Names(unencoded["zh"], unencoded["en"]) if unencoded else None,
    )


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
