"""Targets a user names for a plan, beyond the packs' verdicts: a quantity against a limit, or a cut from the
latest reported year, in every checked year or in one.

    e_park_net<=0           net zero (with a pack that counts e_park_net, such as park-net-zero-view)
    carbon_per_energy<=0.2  an indicator's value against a stricter limit
    e_park-50%@2035         half the latest year's park CO2, in 2035
    clean_energy_share>=60  a share to reach
    peak(e_park)@2030       no higher in any year after 2030 than in the year before (a peak by 2030)

The quantity is a derived quantity or an indicator of one of the plan's packs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LIMIT = re.compile(r"^\s*([a-z][a-z0-9_]*)\s*(<=|>=)\s*([+-]?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*(?:@\s*(\d{4}))?\s*$")
_PEAK = re.compile(r"^\s*peak\(\s*([a-z][a-z0-9_]*)\s*\)\s*@\s*(\d{4})\s*$")
_CUT = re.compile(r"^\s*([a-z][a-z0-9_]*)\s*-\s*(\d+(?:\.\d+)?)\s*%\s*(?:@\s*(\d{4}))?\s*$")


@dataclass(frozen=True)
class Target:
    text: str  # as given
    quantity: str
    operator: str  # `<=` or `>=`
    limit: float | None  # an absolute limit in the quantity's unit
    cut: float | None  # or a fraction below the latest reported year's value (0.5: −50 %)
    year: int | None  # only this year; None: every checked year (a peak: the year it peaks by)
    peak: bool = False  # from `year` on, never higher than the year before


def parse_target(text: str) -> Target:
    """A target from its text; ValueError with the forms accepted when it is none of them."""
    peak = _PEAK.match(text)
    if peak is not None:
        return Target(text, peak.group(1), "<=", 0.0, None, int(peak.group(2)), peak=True)
    limit = _LIMIT.match(text)
    if limit is not None:
        quantity, operator, value, year = limit.groups()
        return Target(text, quantity, operator, float(value), None, int(year) if year else None)
    cut = _CUT.match(text)
    if cut is not None:
        quantity, percent, year = cut.groups()
        if not 0 < float(percent) <= 100:
            raise ValueError(f"{text!r}: a cut is more than 0 % and at most 100 %")
        return Target(text, quantity, "<=", None, float(percent) / 100, int(year) if year else None)
    raise ValueError(
        f"{text!r} is not a target: give QUANTITY<=VALUE, QUANTITY>=VALUE or QUANTITY-PERCENT% (a cut from the latest "
        "year), optionally @YEAR, or peak(QUANTITY)@YEAR, such as e_park_net<=0, e_park-50%@2035 or peak(e_park)@2030"
    )
