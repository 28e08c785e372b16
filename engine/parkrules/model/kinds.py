"""What each name a plan's formulas read is, and what each indicator yields: a quantity in its unit, a number, or
a yes/no or category value (the unit check's kinds, from the plan's units and the vocabulary's facts)."""

from __future__ import annotations

from parkrules.formula import unitcheck
from parkrules.io.vocabulary import Vocabulary
from parkrules.model.pack import Indicator
from parkrules.model.plan import Plan


def name_kinds(plan: Plan, vocabulary: Vocabulary) -> dict[str, unitcheck.Kind]:
    """The kind of every name a formula of this plan can read: yes/no and category facts have no unit."""
    kinds = {name: unitcheck.quantity(unit) for name, unit in plan.units.items()}
    for fact_id, fact in vocabulary.facts.items():
        if fact.kind == "boolean":
            kinds[fact_id] = unitcheck.BOOLEAN
        elif fact.kind == "category":
            kinds[fact_id] = unitcheck.CATEGORY
    return kinds


def value_kind(indicator: Indicator, kinds: dict[str, unitcheck.Kind]) -> unitcheck.Kind:
    """What an indicator's formula yields (its declared unit where the formula's own kind cannot be told)."""
    try:
        return unitcheck.infer(indicator.formula.tree, kinds)
    except unitcheck.UnitMismatch:  # reported against the formula itself by lint
        return unitcheck.quantity(indicator.unit)
