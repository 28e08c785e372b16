"""A park's years ahead: its latest year carried forward at stated growth rates, and measures applied on top.

Growth applies to amounts (facts of kind `quantity`: energy, output, water): `output` stands for every amount not
named on its own, and a fact named on its own (`fuel_raw_coal`) grows at its own rate. Rates, counts, yes/no,
categories and potentials (amounts the vocabulary says do not grow, such as what the roofs could generate) carry
over unchanged. Without any growth stated, the latest year is carried forward as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from parkrules.base.numbers import number
from parkrules.io.park import FactValue, Park, Year
from parkrules.io.vocabulary import Vocabulary

OUTPUT = "output"  # the growth key standing for every amount not named on its own
PROJECTED = "parkrules plan: projected"
PLANNED = "parkrules plan: planned"
ROUNDING = 1e-9  # relative: below this a change that empties a fact leaves it at zero


def project(park: Park, vocabulary: Vocabulary, until: int, growth: Mapping[str, float]) -> Park:
    """The park with every year after its latest up to `until`, projected from the latest."""
    latest = max(park.years)
    base = park.years[latest]
    years = dict(park.years)
    for year in range(latest + 1, until + 1):
        facts = {}
        for fact_id, given in base.facts.items():
            rate = _rate(fact_id, vocabulary, growth)
            if rate and isinstance(given.value, int | float) and not isinstance(given.value, bool):
                value = given.value * (1 + rate) ** (year - latest)
                facts[fact_id] = FactValue(value, f"{latest} × (1 {rate:+.2%})^{year - latest}", PROJECTED)
            else:
                facts[fact_id] = FactValue(given.value, f"as in {latest}", PROJECTED)
        years[year] = Year(facts=facts, exclusions=dict(base.exclusions))
    return replace(park, years=years)


def _rate(fact_id: str, vocabulary: Vocabulary, growth: Mapping[str, float]) -> float:
    if fact_id in growth:
        return growth[fact_id]
    fact = vocabulary.facts.get(fact_id)
    return growth.get(OUTPUT, 0.0) if fact is not None and fact.kind == "quantity" and fact.grows else 0.0


def with_changes(park: Park, changes: Mapping[int, Mapping[str, float]], note: str = PLANNED) -> Park:
    """The park with `changes` (year → fact → amount, in canonical units) added to its facts; a fact a year does
    not report starts from zero. Years with no change are shared, not copied."""
    years = dict(park.years)
    for year, moved in changes.items():
        facts = dict(years[year].facts)
        for fact_id, amount in moved.items():
            if not amount:
                continue
            before = facts.get(fact_id)
            start = before.value if before is not None and isinstance(before.value, int | float) else 0.0
            value = float(start) + amount
            if -ROUNDING * max(abs(start), abs(amount), 1.0) < value < 0:
                value = 0.0  # a fact used up exactly (all coal replaced) is zero, not minus a rounding error
            facts[fact_id] = FactValue(value, f"{start:g} {amount:+g} (measures)", note)
        years[year] = replace(years[year], facts=facts)
    return replace(park, years=years)


def numbers(park: Park, year: int) -> dict[str, float]:
    """The numeric facts of one year (true/false and categories left out)."""
    found = {fact_id: number(given.value) for fact_id, given in park.years[year].facts.items()}
    return {fact_id: value for fact_id, value in found.items() if value is not None}
