"""What a park's own inputs name that a run does not know: checked alike in one-park and batch runs.

An exclusion of an indicator no pack has is most likely a misspelt id: left unchecked, the
park's intended exclusion would silently not happen. A park file serves many runs, each with
its own packs, so an exclusion may name an indicator of any pack in the catalog; the whole
catalog is read only when an exclusion names none of the assessed packs' indicators. A
factor override must be used by an assessed pack, as before.
"""

from __future__ import annotations

from parkrules.catalog import Catalog
from parkrules.errors import Location, ParkrulesError
from parkrules.park import Park
from parkrules.plan import Plan
from parkrules.vocabulary import suggest


class KnownIds:
    """The factor ids the assessed packs use and the indicator ids of every pack in the catalog."""

    def __init__(self, catalog: Catalog, plans: list[Plan]) -> None:
        self.catalog = catalog
        self.factors = {factor_id for plan in plans for factor_id in plan.factors}
        self.assessed = {indicator.id for plan in plans for indicator in plan.indicators}
        self._every: set[str] | None = None

    def indicator(self, indicator_id: str) -> bool:
        return indicator_id in self.assessed or indicator_id in self.every_indicator()

    def every_indicator(self) -> set[str]:
        """Every indicator id of every pack the catalog can load (a broken pack is reported where it is used)."""
        if self._every is None:
            self._every = set(self.assessed)
            for pack_id in self.catalog.pack_ids():
                try:
                    self._every |= {indicator.id for indicator in self.catalog.resolve(pack_id).indicators}
                except ParkrulesError:
                    continue
        return self._every

    def unknown_exclusion(self, indicator_id: str) -> str:
        return f"exclusion of {indicator_id!r}, an indicator of no pack{suggest(indicator_id, self.every_indicator())}"

    def park_errors(self, park: Park) -> list[ParkrulesError]:
        """Factor overrides no assessed pack uses, and exclusions of indicators no pack has, located."""
        errors = [
            ParkrulesError(
                f"factor override {factor_id!r} is not used by any assessed pack{suggest(factor_id, self.factors)}",
                Location(park.file, override.line, f"factors.{factor_id}"),
            )
            for factor_id, override in park.factor_overrides.items()
            if factor_id not in self.factors
        ]
        for year, data in sorted(park.years.items()):
            for indicator_id in data.exclusions:
                if not self.indicator(indicator_id):
                    field = f"years.{year}.exclusions.{indicator_id}"
                    location = data.exclusions_at.get(indicator_id, Location(park.file, None, field))
                    errors.append(ParkrulesError(self.unknown_exclusion(indicator_id), location))
        return errors
