"""A pack that extends another (a provincial spec on top of a national one), merged without copying.

The extending pack inherits the base's derived quantities, indicators, factors, requirements,
groups and verdict; it may override any field of an inherited indicator (typically its
thresholds, clause and verification), drop inherited indicators, add its own, and replace the
verdict. Everything it states itself is located in its own file.
"""

from __future__ import annotations

from dataclasses import replace

from parkrules.base.errors import ParkrulesError
from parkrules.io.vocabulary import suggest
from parkrules.model.pack import Pack


def merge(base: Pack, child: Pack) -> Pack:
    extension = child.extension
    assert extension is not None
    base_ids = {indicator.id for indicator in base.indicators}
    for indicator_id in sorted((extension.overrides.keys() | extension.drop) - base_ids):
        raise ParkrulesError(
            f"{base.ref} has no indicator {indicator_id!r} to override or drop{suggest(indicator_id, base_ids)}",
            extension.location,
            "PR180",
        )
    inherited = [
        replace(indicator, **extension.overrides.get(indicator.id, {}))
        for indicator in base.indicators
        if indicator.id not in extension.drop
    ]
    for indicator in child.indicators:
        if indicator.id in base_ids and indicator.id not in extension.drop:
            raise ParkrulesError(
                f"indicator {indicator.id!r} is inherited from {base.ref}: change it under `overrides`",
                indicator.location,
                "PR140",
            )
    not_encoded = {item.id: item for item in (*base.not_encoded, *child.not_encoded)}
    return replace(
        child,
        requires=tuple(dict.fromkeys((*base.requires, *child.requires))),
        factor_table=child.factor_table or base.factor_table,
        factor_units={**base.factor_units, **child.factor_units},
        factor_lines={**base.factor_lines, **child.factor_lines},
        headline_factors=base.headline_factors | child.headline_factors,
        derived=(*base.derived, *child.derived),
        indicators=(*inherited, *child.indicators),
        verdict=child.verdict or base.verdict,
        groups={**base.groups, **child.groups},
        not_encoded=tuple(not_encoded.values()),
    )
