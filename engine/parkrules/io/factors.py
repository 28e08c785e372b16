"""Factor tables: emission factors and standard-coal coefficients, each value with its source."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from parkrules.base.errors import Location, ParkrulesError
from parkrules.base.names import Names
from parkrules.io import units
from parkrules.io.checked import load_checked


@dataclass(frozen=True)
class Factor:
    id: str
    name: Names
    value: float | None  # None: no published value found; a park must supply one
    unit: str
    source: str
    provisional: bool
    rests_on: str | None
    parts: tuple[str, ...] = ()  # the factors a pack derives this one from (NCV, carbon content, oxidation)


@dataclass(frozen=True)
class FactorTable:
    id: str
    version: str
    title: Names
    factors: dict[str, Factor]
    file: str

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"


def load_factor_table(path: Path) -> FactorTable:
    document = load_checked(path, "factors-1")
    sources = document["sources"]
    factors = {}
    for factor_id, raw in document["factors"].items():
        location = Location(str(path), document["factors"].line_of(factor_id), f"factors.{factor_id}")
        try:
            units.check_unit(raw["unit"])
        except units.UnitError as exc:
            raise ParkrulesError(str(exc), location) from exc
        check = raw["verification"]
        source_id = check.get("source")
        if source_id is not None and source_id not in sources:
            raise ParkrulesError(f"source {source_id!r} is not listed under `sources`", location)
        source = sources[source_id]["title"] if source_id else check["rests_on"]
        unknown = [part for part in raw.get("parts", ()) if part not in document["factors"]]
        if unknown:
            raise ParkrulesError(f"parts {', '.join(unknown)} are not factors of this table", location)
        factors[factor_id] = Factor(
            id=factor_id,
            name=Names.of(raw["name"]),
            value=raw["value"],
            unit=raw["unit"],
            source=f"{source}; {raw['clause']}" if raw.get("clause") else source,
            provisional=check["status"] == "provisional",
            rests_on=check.get("rests_on"),
            parts=tuple(raw.get("parts", ())),
        )
    return FactorTable(
        id=document["id"],
        version=str(document["version"]),
        title=Names.of(document["title"]),
        factors=factors,
        file=str(path),
    )
