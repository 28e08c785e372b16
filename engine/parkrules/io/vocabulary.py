"""The park-fact vocabulary: every fact a pack may read, with its canonical unit and kind."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from parkrules.base.errors import Location, ParkrulesError, quoted
from parkrules.base.names import Names
from parkrules.io import units
from parkrules.io.checked import load_checked


@dataclass(frozen=True)
class Fact:
    id: str
    name: Names
    unit: str
    kind: str
    definition: str
    evidence: str
    minimum: float | None = None
    maximum: float | None = None
    categories: tuple = ()
    lever: str | None = None  # reduce | raise: a direction "what it takes" may suggest
    group: str | None = None  # e.g. `fuel`: every fossil fuel an accounting method must read
    parts: tuple[str, ...] = ()  # facts it may be reported split into instead (raw coal: its four kinds)
    entry_unit: str | None = None  # the unit statistics report it in (万Nm3), prefilled where data are entered
    grows: bool = True  # an amount a plan's projection grows with output (False: a potential, carried over)

    @property
    def unit_to_enter(self) -> str:
        return self.entry_unit or self.unit


@dataclass(frozen=True)
class Measure:
    """One quantity several packs measure, each with its own indicator (the crosswalk)."""

    id: str
    name: Names
    note: str | None
    indicators: tuple[tuple[str, str], ...]  # (pack id, indicator id)


@dataclass(frozen=True)
class Shift:
    """A lever that moves an amount from one fact to another of the same unit (grid power → green power)."""

    id: str
    name: Names
    source: str
    target: str


@dataclass(frozen=True)
class Vocabulary:
    facts: dict[str, Fact]
    file: str
    crosswalk: tuple[Measure, ...] = ()
    shifts: tuple[Shift, ...] = ()

    def get(self, fact_id: str, location: Location) -> Fact:
        """The fact, or an error with a "did you mean" suggestion."""
        if fact_id in self.facts:
            return self.facts[fact_id]
        raise ParkrulesError(f"unknown fact id {quoted(fact_id)}{suggest(fact_id, self.facts)}", location)


def counted_twice(fact_id: str, parts: list[str]) -> str:
    """Why a fact given both in total and split into its parts (`Fact.parts`) is refused, in park files and tables."""
    return f"{fact_id} is reported in total and split ({', '.join(parts)}): it would count twice; give one"


def suggest(name: str, known) -> str:
    """A ' (did you mean …?)' hint for a misspelt id, or ''."""
    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.6)
    return f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""


def load_vocabulary(path: Path) -> Vocabulary:
    """Load `vocabulary.yaml`, or every YAML file in a vocabulary folder."""
    files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    facts: dict[str, Fact] = {}
    crosswalk: list[Measure] = []
    shifts: list[Shift] = []
    for file in files:
        document = load_checked(file, "vocabulary-1")
        for fact_id, raw in document["facts"].items():
            location = Location(str(file), document["facts"].line_of(fact_id), f"facts.{fact_id}")
            if fact_id in facts:
                raise ParkrulesError("fact declared twice in the vocabulary", location)
            try:
                units.check_unit(raw["unit"])
                if "entry_unit" in raw:
                    units.convert(1.0, raw["entry_unit"], raw["unit"])
            except units.UnitError as exc:
                raise ParkrulesError(str(exc), location) from exc
            facts[fact_id] = Fact(
                id=fact_id,
                name=Names.of(raw["name"]),
                unit=raw["unit"],
                kind=raw["kind"],
                definition=raw["definition"],
                evidence=raw["evidence"],
                minimum=raw.get("min"),
                maximum=raw.get("max"),
                categories=tuple(raw.get("categories", ())),
                lever=raw.get("lever"),
                group=raw.get("group"),
                parts=tuple(raw.get("parts", ())),
                entry_unit=raw.get("entry_unit"),
                grows=raw.get("grows", True),
            )
        for measure_id, raw in document.get("crosswalk", {}).items():
            pairs = tuple(tuple(ref.split(":", 1)) for ref in raw["indicators"])
            crosswalk.append(Measure(measure_id, Names.of(raw["name"]), raw.get("note"), pairs))
        for shift_id, raw in document.get("shifts", {}).items():
            shifts.append(Shift(shift_id, Names.of(raw["name"]), raw["from"], raw["to"]))
            location = Location(str(file), document["shifts"].line_of(shift_id), f"shifts.{shift_id}")
            _check_shift(shifts[-1], facts, location)
    for fact in facts.values():
        for part in fact.parts:
            if part not in facts:
                location = Location(str(path), None, f"facts.{fact.id}.parts")
                raise ParkrulesError(f"parts names unknown fact {quoted(part)}{suggest(part, facts)}", location)
    return Vocabulary(facts=facts, file=str(path), crosswalk=tuple(crosswalk), shifts=tuple(shifts))


def _check_shift(shift: Shift, facts: dict[str, Fact], location: Location) -> None:
    for fact_id in (shift.source, shift.target):
        if fact_id not in facts:
            raise ParkrulesError(f"shift names unknown fact {quoted(fact_id)}{suggest(fact_id, facts)}", location)
    if facts[shift.source].unit != facts[shift.target].unit:
        raise ParkrulesError("a shift moves an amount between facts of one unit", location)
