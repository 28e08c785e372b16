"""Rule packs: the validated, immutable model, every formula parsed once.

The model only; loading a pack file is `pack_load.py`, how a pack is evaluated lives in `plan.py` and the engines of
`run/`, how a verdict is reached in `rules/verdict.py`, and how a pack extending another is merged in `extend.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from parkrules.base import operators
from parkrules.base.errors import Location
from parkrules.base.i18n import t
from parkrules.base.names import Names
from parkrules.formula import formula


@dataclass(frozen=True)
class Verification:
    provisional: bool
    source: str | None
    rests_on: str | None

    @classmethod
    def of(cls, raw: dict | None) -> Verification:
        if raw is None:
            return cls(provisional=False, source=None, rests_on=None)
        return cls(raw["status"] == "provisional", raw.get("source"), raw.get("rests_on"))


@dataclass(frozen=True)
class Threshold:
    when: formula.Formula | None
    operator: str
    value: float | bool | str
    tier: Names | None
    clause: str
    location: Location | None = field(default=None, compare=False)

    @property
    def better(self) -> operators.Better | None:
        """Which way of the limit is better (tiers of one indicator may differ: an elasticity while output grows or
        falls); None for equality."""
        return operators.of(self.operator).better


@dataclass(frozen=True)
class Class:
    """One state a classification indicator can take; `when` may read the indicator's own `value`."""

    id: str
    name: Names
    when: formula.Formula
    meaning: Names | None
    clause: str
    location: Location | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Score:
    """How an indicator earns points: all or nothing on pass, or in proportion to its value.

    `linear`: 0 points at `baseline`, full points at `leading`, capped at both ends (either
    direction). `ratio`: value ÷ leading value (leading ÷ value when lower is better), capped at 1.
    """

    points: float
    method: str  # pass_fail | linear | ratio
    baseline: float | None = None
    leading: float | None = None


@dataclass(frozen=True)
class Derived:
    id: str
    name: Names
    unit: str
    formula: formula.Formula
    zero_if_absent: frozenset[str]
    zero_when_all_absent: bool
    headline: bool
    clause: str
    verification: Verification
    location: Location


@dataclass(frozen=True)
class Indicator:
    id: str
    name: Names
    role: str
    unit: str
    formula: formula.Formula
    thresholds: tuple[Threshold, ...]
    decimals: int | None  # None: full-value comparison
    otherwise: Names | None
    excludable: bool
    clause: str
    verification: Verification
    location: Location
    group: str | None = None
    score: Score | None = None
    classes: tuple[Class, ...] = ()  # a classification indicator (no thresholds): its result is a state


@dataclass(frozen=True)
class Selector:
    """Which indicators a verdict rule counts: by role, by group, or by id (any of them)."""

    roles: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()
    ids: frozenset[str] = frozenset()

    def matches(self, indicator_id: str, role: str, group: str | None) -> bool:
        return indicator_id in self.ids or role in self.roles or (group is not None and group in self.groups)

    def describe(self) -> Names:
        ids = sorted(self.ids)
        zh = [
            *(f"{t(f'role.{r}', 'zh')}指标" for r in sorted(self.roles)),
            *(f"{g} 组" for g in sorted(self.groups)),
            *ids,
        ]
        en = [*(f"role {r}" for r in sorted(self.roles)), *(f"group {g}" for g in sorted(self.groups)), *ids]
        return Names(zh="、".join(zh), en=", ".join(en))


@dataclass(frozen=True)
class Rule:
    """One condition of the verdict: `all_pass`, `at_least` k, `at_least_share` p %, or `score_at_least` s."""

    kind: str
    selector: Selector | None
    amount: float | None
    clause: str
    verification: Verification
    location: Location


@dataclass(frozen=True)
class Grade:
    minimum: float
    name: Names


@dataclass(frozen=True)
class ScoreScheme:
    """Total = scale × Σ weight·(earned ÷ possible) over groups ÷ Σ weight, plus bonus points.

    A group's weight defaults to its possible points, which makes the total a plain sum.
    """

    scale: float
    weights: dict[str, float]
    grades: tuple[Grade, ...]  # highest minimum first
    years: int = 1  # the standard scores this many most recent years: the earlier ones are shown beside the verdict


@dataclass(frozen=True)
class VerdictRules:
    rules: tuple[Rule, ...]
    score: ScoreScheme | None
    note: Names | None
    unencoded_rule: Names | None = None  # a rule that decides a pass but could not be encoded: every pass says so


@dataclass(frozen=True)
class NotEncoded:
    """An indicator of the standard that the pack cannot encode yet, and why (coverage is visible)."""

    id: str
    name: Names
    reason: str
    clause: str
    role: str | None = None  # the role and group it has in the standard: verdict rules that select it (by these
    group: str | None = None  # or by its id) are not whole

    def selected_by(self, selector: Selector | None) -> bool:
        return selector is not None and selector.matches(self.id, self.role or "", self.group)


@dataclass(frozen=True)
class Extension:
    """What a pack extending another changes: per-indicator field overrides and dropped indicators."""

    base: str
    overrides: dict[str, dict[str, Any]]
    drop: frozenset[str]
    location: Location


@dataclass(frozen=True)
class Pack:
    id: str
    version: str
    kind: str
    title: Names
    issuer: Names
    document: str
    status: str
    requires: tuple[str, ...]
    factor_table: str | None
    factor_units: dict[str, str]
    factor_lines: dict[str, int | None]
    headline_factors: frozenset[str]
    derived: tuple[Derived, ...]
    indicators: tuple[Indicator, ...]
    verdict: VerdictRules | None
    file: str
    groups: dict[str, Names] = field(default_factory=dict)
    # factor id → (table ref, factor id there, line): factors taken from another table in this pack's assessments
    factor_sources: dict[str, tuple[str, str, int | None]] = field(default_factory=dict)
    not_encoded: tuple[NotEncoded, ...] = ()
    extension: Extension | None = None
    effective: str | None = None  # ISO day or year the edition comes into force (`dates.effective`)
    superseded: str | None = None  # ISO day or year a later edition replaced it

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"

    def not_encoded_in(self, rule: Rule) -> tuple[str, ...]:
        """The indicators listed as not encoded that `rule` selects: counted by both engines as ones the pack cannot
        decide."""
        return tuple(item.id for item in self.not_encoded if item.selected_by(rule.selector))

    @property
    def draft(self) -> bool:
        """An edition published for consultation: never in force, used only when named with its version."""
        return self.status == "draft"

    def in_force(self, year: int) -> bool:
        """Whether the edition is in force at some time in `year` (no dates: always; a draft: never)."""
        if self.draft:
            return False
        starts = int(self.effective[:4]) if self.effective else None
        ends = self.superseded
        # superseded on 1 January: not in force that year; on any later day: in force for part of it
        ended = ends is not None and (int(ends[:4]) < year or (int(ends[:4]) == year and ends[4:] in ("", "-01-01")))
        return (starts is None or starts <= year) and not ended
