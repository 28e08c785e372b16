"""Measure libraries: what a plan can do to a park, as data (`standards/measures/<id>/<version>.yaml`).

Each measure moves vocabulary facts by a fixed amount per unit of its size, every year it runs (rooftop PV per kWh
generated: on-site generation up, grid power down), within bounds, at a capital cost per unit and an operating
cost per unit and year. A size may be bounded by a fact of the park in the year, or a share of it (on-site PV by
the park's remaining PV potential). Every number says what it rests on: a listed source, `provisional` with what
it rests on, or `definition` where it follows from the definitions of the facts it moves. A cost with no sourced
figure is null, and a least-cost plan leaves that measure out, saying so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parkrules.base.errors import Location, ParkrulesError
from parkrules.base.names import Names
from parkrules.io import units
from parkrules.io.checked import load_checked
from parkrules.io.vocabulary import Vocabulary

CATEGORIES = (
    "energy_supply",
    "efficiency",
    "electrification",
    "industry_structure",
    "circular_economy",
    "ccus_and_sinks",
    "management",
)


@dataclass(frozen=True)
class Basis:
    """What a number rests on: `verified` (a source), `provisional` (what it rests on) or `definition`."""

    status: str
    text: str  # the source's title, what it rests on, or the definition's note

    @property
    def provisional(self) -> bool:
        return self.status == "provisional"


@dataclass(frozen=True)
class Effect:
    fact: str
    per_unit: float  # in the fact's canonical unit, per unit of size and year
    basis: Basis


@dataclass(frozen=True)
class Cost:
    value: float | None  # yuan per unit of size (capital) or per unit and year (operating); None: not known
    basis: Basis


@dataclass(frozen=True)
class PlanMeasure:
    """One measure a plan can take."""

    id: str
    name: Names
    category: str
    size_unit: str
    effects: tuple[Effect, ...]
    capex: Cost
    opex: Cost
    lifetime_years: int
    lead_time_years: int
    max_size: float | None
    at_most: str | None  # a fact the size may not exceed, year by year
    at_most_per_fact: float = 1.0  # one unit of that fact in units of size, times the share of it allowed

    @property
    def costed(self) -> bool:
        return self.capex.value is not None and self.opex.value is not None


@dataclass(frozen=True)
class MeasureLibrary:
    id: str
    version: str
    title: Names
    measures: tuple[PlanMeasure, ...]
    file: str

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"


def load_library(path: Path, vocabulary: Vocabulary) -> MeasureLibrary:
    """The library in `path`, checked against its schema and the vocabulary; a located error where it is not."""
    document = load_checked(path, "measures-1")
    file = str(path)
    sources = document["sources"]
    measures: list[PlanMeasure] = []
    seen: set[str] = set()
    for index, raw in enumerate(document["measures"]):
        field = f"measures[{index}]"
        location = Location(file, document["measures"].line_of(index), field)
        if raw["id"] in seen:
            raise ParkrulesError(f"measure {raw['id']} is listed twice", location)
        seen.add(raw["id"])
        measures.append(_measure(raw, vocabulary, sources, file, field))
    return MeasureLibrary(document["library"], document["version"], Names.of(document["title"]), tuple(measures), file)


def _measure(raw: Any, vocabulary: Vocabulary, sources: dict, file: str, field: str) -> PlanMeasure:
    def at(key: str, node: Any = raw) -> Location:
        return Location(file, node.line_of(key) if hasattr(node, "line_of") else None, f"{field}.{key}")

    try:
        units.check_unit(raw["size_unit"])
    except units.UnitError as exc:
        raise ParkrulesError(str(exc), at("size_unit")) from exc
    effects = []
    for index, effect in enumerate(raw["effects"]):
        where = Location(file, raw["effects"].line_of(index), f"{field}.effects[{index}]")
        effects.append(_effect(effect, vocabulary, sources, where))
    moved = [effect.fact for effect in effects]
    if len(set(moved)) < len(moved):
        raise ParkrulesError("a fact is moved by two effects of one measure; give its change once", at("effects"))
    at_most = raw.get("at_most", {}).get("fact")
    at_most_per_fact = 1.0
    if at_most is not None:
        if at_most not in vocabulary.facts:
            raise ParkrulesError(f"at_most names {at_most}, which is not a fact of the vocabulary", at("at_most"))
        try:
            at_most_per_fact = units.conversion_factor(vocabulary.facts[at_most].unit, raw["size_unit"])
        except units.UnitError as exc:
            message = f"the size ({raw['size_unit']}) and {at_most} ({vocabulary.facts[at_most].unit}) do not compare"
            raise ParkrulesError(message, at("at_most")) from exc
        if "share" in raw["at_most"]:
            _basis(raw["at_most"]["basis"], sources, at("at_most"))
            at_most_per_fact *= raw["at_most"]["share"]
    return PlanMeasure(
        id=raw["id"],
        name=Names.of(raw["name"]),
        category=raw["category"],
        size_unit=raw["size_unit"],
        effects=tuple(effects),
        capex=Cost(raw["capex"]["value"], _basis(raw["capex"]["basis"], sources, at("capex"))),
        opex=Cost(raw["opex"]["value"], _basis(raw["opex"]["basis"], sources, at("opex"))),
        lifetime_years=raw["lifetime_years"],
        lead_time_years=raw["lead_time_years"],
        max_size=raw.get("max_size"),
        at_most=at_most,
        at_most_per_fact=at_most_per_fact,
    )


def _effect(raw: Any, vocabulary: Vocabulary, sources: dict, location: Location) -> Effect:
    fact = vocabulary.facts.get(raw["fact"])
    if fact is None:
        raise ParkrulesError(f"{raw['fact']} is not a fact of the vocabulary", location)
    if fact.kind not in ("quantity", "ratio", "count"):
        raise ParkrulesError(f"{fact.id} is a {fact.kind} fact; a measure moves numbers only", location)
    try:
        per_unit = units.convert(raw["per_unit"], raw["unit"], fact.unit)
    except units.UnitError as exc:
        message = f"{raw['unit']} does not convert to {fact.id}'s unit {fact.unit}: {exc}"
        raise ParkrulesError(message, location) from exc
    return Effect(fact.id, per_unit, _basis(raw["basis"], sources, location))


def _basis(raw: Any, sources: dict, location: Location) -> Basis:
    status = raw["status"]
    if status == "definition":
        return Basis(status, raw["note"])
    source_id = raw.get("source")
    if source_id is not None and source_id not in sources:
        raise ParkrulesError(f"source {source_id!r} is not listed under `sources`", location)
    if status == "verified":
        return Basis(status, sources[source_id]["title"])
    return Basis(status, raw["rests_on"])
