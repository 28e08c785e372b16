"""What changed between two versions of a pack: indicators, tiers, formulas, verdict rules, factors.

Compares the merged models (after `extends`), so a revision written as an extension and one
written out in full compare alike. Each change is one row with the old and the new value,
ready for a terminal, a pull-request comment or JSON.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from parkrules.base.errors import ParkrulesError
from parkrules.base.names import Names
from parkrules.model.catalog import Catalog
from parkrules.model.pack import Derived, Indicator, Pack, Rule, Threshold


@dataclass(frozen=True)
class Change:
    kind: str  # added | removed | renamed | changed
    part: str  # pack | indicator | derived | rule | score | factor | not_encoded
    target: str  # the id (or rule number) changed
    field: str = ""  # which field, e.g. thresholds[0].value
    old: Any = None
    new: Any = None

    def to_dict(self) -> dict:
        return asdict(self)


def diff_packs(old: Pack, new: Pack, catalog: Catalog) -> list[Change]:
    changes = _pack_fields(old, new)
    changes += _indicators(old, new)
    changes += _keyed("derived", {d.id: d for d in old.derived}, {d.id: d for d in new.derived}, _derived_fields)
    changes += _rules(old, new)
    changes += _factors(old, new, catalog)
    before, after = ({n.id: n for n in pack.not_encoded} for pack in (old, new))
    changes += _keyed("not_encoded", before, after, lambda n: {"role": n.role, "group": n.group})
    return changes


def _pack_fields(old: Pack, new: Pack) -> list[Change]:
    fields = {
        "title": lambda p: _names(p.title),
        "status": lambda p: p.status,
        "document": lambda p: p.document,
        "requires": lambda p: ", ".join(p.requires),
    }
    return _compare("pack", old.ref if old.id == new.id else f"{old.id} → {new.id}", old, new, fields)


def _indicators(old: Pack, new: Pack) -> list[Change]:
    before = {i.id: i for i in old.indicators}
    after = {i.id: i for i in new.indicators}
    changes: list[Change] = []
    removed = [i for i in before if i not in after]
    added = [i for i in after if i not in before]
    for old_id in list(removed):
        same = [a for a in added if _signature(after[a]) == _signature(before[old_id])]
        if len(same) == 1:  # one unambiguous match: a rename, compared field by field
            new_id = same[0]
            changes.append(Change("renamed", "indicator", new_id, "id", old_id, new_id))
            changes += _compare("indicator", new_id, before[old_id], after[new_id], _INDICATOR_FIELDS)
            changes += _tiers(new_id, before[old_id].thresholds, after[new_id].thresholds)
            removed.remove(old_id)
            added.remove(new_id)
    changes += [Change("removed", "indicator", i, old=_names(before[i].name)) for i in removed]
    changes += [Change("added", "indicator", i, new=_names(after[i].name)) for i in added]
    for indicator_id in before.keys() & after.keys():
        changes += _compare("indicator", indicator_id, before[indicator_id], after[indicator_id], _INDICATOR_FIELDS)
        changes += _tiers(indicator_id, before[indicator_id].thresholds, after[indicator_id].thresholds)
    return sorted(changes, key=lambda c: (c.part, c.target, c.field))


def _signature(indicator: Indicator) -> tuple:
    return indicator.formula.text, indicator.unit, indicator.thresholds


_INDICATOR_FIELDS = {
    "name": lambda i: _names(i.name),
    "role": lambda i: i.role,
    "group": lambda i: i.group,
    "unit": lambda i: i.unit,
    "formula": lambda i: i.formula.text,
    "clause": lambda i: i.clause,
    "verification": lambda i: "provisional" if i.verification.provisional else "verified",
    "rests_on": lambda i: i.verification.rests_on,
    "excludable": lambda i: i.excludable,
    "comparison": lambda i: "full value" if i.decimals is None else f"{i.decimals} decimals",
    "otherwise": lambda i: _names(i.otherwise),
    "score": lambda i: None if i.score is None else _score_text(i),
}


def _score_text(indicator: Indicator) -> str:
    score = indicator.score
    assert score is not None  # shown for scored indicators
    text = f"{score.points:g} points, {score.method}"
    if score.baseline is not None or score.leading is not None:
        text += f" (baseline {score.baseline}, leading {score.leading})"
    return text


def _tiers(indicator_id: str, old: tuple[Threshold, ...], new: tuple[Threshold, ...]) -> list[Change]:
    changes = []
    fields = {
        "when": lambda t: t.when.text if t.when is not None else None,
        "operator": lambda t: t.operator,
        "value": lambda t: t.value,
        "tier": lambda t: _names(t.tier),
        "clause": lambda t: t.clause,
    }
    for i in range(max(len(old), len(new))):
        if i >= len(old):
            changes.append(Change("added", "indicator", indicator_id, f"thresholds[{i}]", new=_tier_text(new[i])))
        elif i >= len(new):
            changes.append(Change("removed", "indicator", indicator_id, f"thresholds[{i}]", old=_tier_text(old[i])))
        else:
            changes += _compare("indicator", indicator_id, old[i], new[i], fields, prefix=f"thresholds[{i}].")
    return changes


def _tier_text(threshold: Threshold) -> str:
    condition = f"when {threshold.when.text}: " if threshold.when is not None else ""
    return f"{condition}{threshold.operator} {threshold.value} ({threshold.clause})"


def _derived_fields(item: Derived) -> dict[str, Any]:
    return {
        "name": _names(item.name),
        "unit": item.unit,
        "formula": item.formula.text,
        "clause": item.clause,
        "verification": "provisional" if item.verification.provisional else "verified",
    }


def _keyed(part: str, before: dict, after: dict, fields_of) -> list[Change]:
    changes = [Change("removed", part, key) for key in sorted(before.keys() - after.keys())]
    changes += [Change("added", part, key) for key in sorted(after.keys() - before.keys())]
    for key in sorted(before.keys() & after.keys()):
        old, new = fields_of(before[key]), fields_of(after[key])
        changes += [Change("changed", part, key, name, old[name], new[name]) for name in old if old[name] != new[name]]
    return changes


def _rules(old: Pack, new: Pack) -> list[Change]:
    before = [_rule_text(rule) for rule in (old.verdict.rules if old.verdict else ())]
    after = [_rule_text(rule) for rule in (new.verdict.rules if new.verdict else ())]
    changes = []
    for i in range(max(len(before), len(after))):
        target = f"rule {i + 1}"
        if i >= len(before):
            changes.append(Change("added", "rule", target, new=after[i]))
        elif i >= len(after):
            changes.append(Change("removed", "rule", target, old=before[i]))
        elif before[i] != after[i]:
            changes.append(Change("changed", "rule", target, "", before[i], after[i]))
    old_score, new_score = _score_scheme(old), _score_scheme(new)
    changes += [
        Change("changed", "score", "verdict.score", name, old_score.get(name), new_score.get(name))
        for name in sorted(old_score.keys() | new_score.keys())
        if old_score.get(name) != new_score.get(name)
    ]
    unencoded = [_names(pack.verdict.unencoded_rule if pack.verdict else None) for pack in (old, new)]
    if unencoded[0] != unencoded[1]:
        changes.append(Change("changed", "rule", "verdict.unencoded_rule", "", unencoded[0], unencoded[1]))
    return changes


def _rule_text(rule: Rule) -> str:
    amount = "" if rule.amount is None else f" {rule.amount:g}"
    selection = f" of {rule.selector.describe().en}" if rule.selector is not None else ""
    return f"{rule.kind}{amount}{selection} ({rule.clause})"


def _score_scheme(pack: Pack) -> dict[str, Any]:
    score = pack.verdict.score if pack.verdict else None
    if score is None:
        return {}
    fields: dict[str, Any] = {"scale": score.scale}
    fields |= {f"weights.{group}": weight for group, weight in score.weights.items()}
    fields |= {f"grades.{_names(grade.name)}": grade.minimum for grade in score.grades}
    return fields


def _factors(old: Pack, new: Pack, catalog: Catalog) -> list[Change]:
    changes = []
    if old.factor_table != new.factor_table:
        changes.append(Change("changed", "factor", "table", "", old.factor_table, new.factor_table))
    before, after = _factor_values(old, catalog), _factor_values(new, catalog)
    changes += [Change("removed", "factor", key, old=before[key]) for key in sorted(before.keys() - after.keys())]
    changes += [Change("added", "factor", key, new=after[key]) for key in sorted(after.keys() - before.keys())]
    changes += [
        Change("changed", "factor", key, "value", before[key], after[key])
        for key in sorted(before.keys() & after.keys())
        if before[key] != after[key]
    ]
    return changes


def _factor_values(pack: Pack, catalog: Catalog) -> dict[str, str]:
    if pack.factor_table is None:
        return _taken_from_tables(pack)
    try:
        table = catalog.factor_table(pack.factor_table)
    except ParkrulesError:
        return {factor_id: f"? {unit}" for factor_id, unit in pack.factor_units.items()}
    values = {}
    for factor_id, unit in pack.factor_units.items():
        factor = table.factors.get(factor_id)
        values[factor_id] = "absent" if factor is None else f"{factor.value} {factor.unit} (used in {unit})"
    return values | _taken_from_tables(pack)


def _taken_from_tables(pack: Pack) -> dict[str, str]:
    """Factors the pack takes from another table (`factors.from_tables`): a change of table or factor is a change."""
    return {factor_id: f"{ref}: {source}" for factor_id, (ref, source, _) in pack.factor_sources.items()}


def _compare(part: str, target: str, old: Any, new: Any, fields: dict, prefix: str = "") -> list[Change]:
    changes = []
    for name, read in fields.items():
        before, after = read(old), read(new)
        if before != after:
            changes.append(Change("changed", part, target, f"{prefix}{name}", before, after))
    return changes


def _names(names: Names | None) -> str | None:
    return None if names is None else f"{names.zh} / {names.en}"
