"""What a park's own inputs name that a run does not know: checked alike in one-park and batch runs.

An exclusion of an indicator no pack has is most likely a misspelt id: left unchecked, the
park's intended exclusion would silently not happen. A park file serves many runs, each with
its own packs, so an exclusion may name an indicator of any pack in the catalog; the whole
catalog is read only when an exclusion names none of the assessed packs' indicators. Factor
overrides alike: one that another pack of the catalog uses is a warning (the park is assessed,
and the report names the unused override); one that no pack uses is a misspelt id, an error.
"""

from __future__ import annotations

import contextlib
from functools import cached_property

from parkrules.base.errors import Location, ParkrulesError
from parkrules.io.park import Park
from parkrules.io.vocabulary import suggest
from parkrules.model.catalog import Catalog
from parkrules.model.pack import Pack
from parkrules.model.plan import Plan


class KnownIds:
    """The factor ids the assessed packs use and the indicator ids of every pack in the catalog."""

    def __init__(self, catalog: Catalog, plans: list[Plan]) -> None:
        self.catalog = catalog
        self.factors = {factor_id for plan in plans for factor_id in plan.factors}
        self.slots = {factor_id: slot for plan in plans for factor_id, slot in plan.factors.items()}
        self.assessed = {indicator.id for plan in plans for indicator in plan.indicators}

    def indicator(self, indicator_id: str) -> bool:
        return indicator_id in self.assessed or indicator_id in self.every_indicator

    @cached_property
    def every_indicator(self) -> set[str]:
        """Every indicator id of every pack the catalog can load (a broken pack is reported where it is used)."""
        return self.assessed | {indicator.id for pack in self._catalog_packs for indicator in pack.indicators}

    @cached_property
    def every_factor(self) -> set[str]:
        """Every factor id some pack of the catalog uses."""
        return self.factors | {factor_id for pack in self._catalog_packs for factor_id in pack.factor_units}

    @cached_property
    def _catalog_packs(self) -> list[Pack]:
        """Every pack of the catalog that loads: read only when a park names an id no assessed pack has."""
        packs = []
        for pack_id in self.catalog.pack_ids():
            with contextlib.suppress(ParkrulesError):
                packs.append(self.catalog.resolve(pack_id))
        return packs

    def park_warnings(self, park: Park) -> list[ParkrulesError]:
        """What a park is assessed with, but should hear about: unused overrides and unsplit totals."""
        return self.unused_overrides(park) + self.unsplit(park)

    def unsplit(self, park: Park) -> list[ParkrulesError]:
        """A fact reported in total where its standard asks for its parts (raw coal, 附件4 §二(一)1): counted with the
        total's factor, and said so."""
        facts = self.catalog.vocabulary.facts
        return [
            ParkrulesError(
                f"{fact_id} is reported in total; the method asks for it split into {', '.join(facts[fact_id].parts)}"
                " (counted with the unsplit factor)",
                Location(park.file, None, f"years.{year}.facts.{fact_id}"),
            )
            for year, data in sorted(park.years.items())
            for fact_id in data.facts
            if facts[fact_id].parts and not any(part in data.facts for part in facts[fact_id].parts)
        ]

    def unused_overrides(self, park: Park) -> list[ParkrulesError]:
        """Factor overrides no assessed pack uses but another pack does: warnings, located."""
        return [
            ParkrulesError(
                f"factor override {factor_id!r} is not used by the assessed packs (another pack uses it); ignored",
                Location(park.file, override.line, f"factors.{factor_id}"),
            )
            for factor_id, override in park.factor_overrides.items()
            if factor_id not in self.factors and factor_id in self.every_factor
        ]

    def shadowed_overrides(self, park: Park) -> list[ParkrulesError]:
        """An override of a whole factor whose parts are given (by the table or the park): the pack derives the
        factor from the parts, so the park's whole value would silently not be used."""
        errors = []
        for factor_id, override in park.factor_overrides.items():
            slot = self.slots.get(factor_id)
            parts = slot.factor.parts if slot else ()
            given = [
                part
                for part in parts
                if part in park.factor_overrides or (part in self.slots and self.slots[part].value is not None)
            ]
            if given:
                errors.append(
                    ParkrulesError(
                        f"factor override {factor_id!r} would not be used: the pack derives it from its parts "
                        f"({', '.join(parts)}), and {', '.join(given)} {'is' if len(given) == 1 else 'are'} given "
                        "by the factor table or this park; override the parts instead",
                        Location(park.file, override.line, f"factors.{factor_id}"),
                    )
                )
        return errors

    def unknown_exclusion(self, indicator_id: str) -> str:
        return f"exclusion of {indicator_id!r}, an indicator of no pack{suggest(indicator_id, self.every_indicator)}"

    def park_errors(self, park: Park) -> list[ParkrulesError]:
        """Factor overrides and exclusions that no pack of the catalog has (misspelt ids), located."""
        errors = [
            ParkrulesError(
                f"factor override {factor_id!r} is used by no pack{suggest(factor_id, self.every_factor)}",
                Location(park.file, override.line, f"factors.{factor_id}"),
            )
            for factor_id, override in park.factor_overrides.items()
            if factor_id not in self.factors and factor_id not in self.every_factor
        ]
        errors += self.shadowed_overrides(park)
        for year, data in sorted(park.years.items()):
            for indicator_id in data.exclusions:
                if not self.indicator(indicator_id):
                    field = f"years.{year}.exclusions.{indicator_id}"
                    location = data.exclusions_at.get(indicator_id, Location(park.file, None, field))
                    errors.append(ParkrulesError(self.unknown_exclusion(indicator_id), location))
        return errors
