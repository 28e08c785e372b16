"""The result model every report renders from (documented in `schemas/result-1.json`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from parkrules.base import operators
from parkrules.base.names import Names


@dataclass(frozen=True)
class Remedy:
    """One lever for one failing indicator; amounts in `unit`, the unit the park file gave the input in.

    `target` is None when the lever alone cannot make the indicator pass within the input's allowed range.
    For a shift, `current` is what is available to move and `change` the amount moved.
    """

    lever: str
    kind: str  # input | shift
    name: Names
    unit: str
    current: float
    target: float | None
    change: float | None
    source: str | None = None  # a shift's from-fact and to-fact
    destination: str | None = None


@dataclass(frozen=True)
class TrendPoint:
    year: int
    value: float | bool | str | None
    status: str
    state: str | None = None  # a classification indicator's class id
    state_name: Names | None = None


@dataclass(frozen=True)
class Trend:
    """`direction` is improving, worsening or steady (first to last numeric value, judged by which way of the
    assessed year's threshold is better), or None where there is none or there are fewer than two values."""

    points: tuple[TrendPoint, ...]
    direction: str | None
    first_passed: int | None


@dataclass(frozen=True)
class ThresholdApplied:
    operator: str
    value: float | bool | str
    tier: Names | None
    why: str
    clause: str

    @property
    def better(self) -> operators.Better | None:
        """Which way of the applied limit is better (the operator table's row); None for equality."""
        return operators.of(self.operator).better


@dataclass(frozen=True)
class ClassApplied:
    """The state a classification indicator took, and the values that decided it."""

    id: str
    name: Names
    why: str
    clause: str
    meaning: Names | None = None


@dataclass(frozen=True)
class Gap:
    """Signed so that positive always means shortfall, in the indicator's unit."""

    absolute: float
    relative: float | None


@dataclass(frozen=True)
class IndicatorResult:
    id: str
    name: Names
    role: str
    value: float | bool | str | None
    unit: str
    status: str
    threshold: ThresholdApplied | None
    gap: Gap | None
    missing: tuple[str, ...]
    assumed_zero: tuple[str, ...]
    message: str | None
    clause: str
    provisional: bool
    rests_on: str | None
    group: str | None = None
    points: float | None = None  # earned, where the pack scores this indicator
    points_possible: float | None = None
    evidence: tuple[str, ...] = ()  # "fact: source or evidence" for the facts the formula read
    state: ClassApplied | None = None  # a classification indicator's state (status `classified`)
    trend: Trend | None = None  # over the park's earlier years, where it has any
    remedies: tuple[Remedy, ...] = ()  # what it takes to pass, one lever at a time (failing indicators)


@dataclass(frozen=True)
class DerivedResult:
    id: str
    name: Names
    pack: str
    value: float | None
    unit: str
    status: str
    missing: tuple[str, ...]
    assumed_zero: tuple[str, ...]
    message: str | None
    clause: str
    headline: bool


@dataclass(frozen=True)
class FactorUsed:
    id: str
    value: float | None
    unit: str
    table: str
    source: str
    overridden: bool
    provisional: bool
    headline: bool


@dataclass(frozen=True)
class RuleOutcome:
    """One verdict rule as applied: how many selected indicators passed, and what was needed."""

    rule: Names
    status: str
    passed: int
    counted: int  # selected indicators that apply (not `not_applicable`)
    unknown: int  # missing or error
    needed: float | None
    clause: str
    provisional: bool
    ids: tuple[str, ...] = ()  # the indicators that failed, are unknown or do not apply
    not_encoded: bool = False  # undecided because the pack encodes none of the indicators it selects


@dataclass(frozen=True)
class GroupScore:
    id: str
    name: Names | None
    weight: float
    earned: float
    possible: float
    unknown: float  # points of missing or erroneous indicators


@dataclass(frozen=True)
class ScoreResult:
    """The weighted total; `upper` is the total if every unknown indicator earned full points."""

    total: float
    upper: float
    scale: float
    bonus: float
    grade: Names | None  # only when total and upper fall in the same band
    groups: tuple[GroupScore, ...]
    earlier: tuple[YearScore, ...] = ()  # the years before, where the standard scores several (`score.years`)


@dataclass(frozen=True)
class YearScore:
    """The score of an earlier year of the park, assessed exactly as the assessed year is."""

    year: int
    total: float
    upper: float


@dataclass(frozen=True)
class Verdict:
    status: str
    reason: Names
    deciding: tuple[str, ...] = ()
    rules: tuple[RuleOutcome, ...] = ()
    score: ScoreResult | None = None
    caveat: Names | None = None  # on a pass: a rule of the standard the pack could not encode (the pass is not whole)


@dataclass(frozen=True)
class ParkRef:
    id: str
    name: Names
    file: str


@dataclass(frozen=True)
class StandardRef:
    id: str
    version: str
    title: Names
    document: str
    kind: str = "standard"  # or `analysis`: classifications, no verdict


@dataclass(frozen=True)
class Assessment:
    park: ParkRef
    period: int
    standard: StandardRef
    verdict: Verdict
    indicators: tuple[IndicatorResult, ...]
    derived: tuple[DerivedResult, ...]
    factors: tuple[FactorUsed, ...]


@dataclass(frozen=True)
class CrosswalkEntry:
    standard: str
    indicator: str
    name: Names
    value: float | bool | str | None
    unit: str
    operator: str | None
    threshold: float | bool | str | None
    status: str
    provisional: bool


@dataclass(frozen=True)
class CrosswalkRow:
    """One measure for one park-year across the packs that have it."""

    park: str
    period: int
    measure: str
    name: Names
    note: str | None
    entries: tuple[CrosswalkEntry, ...]
    disagree: bool  # passes in one standard and fails in another


@dataclass(frozen=True)
class FactGiven:
    """One fact as the park file gave it, and as the engine read it (canonical unit): the provenance trail."""

    year: int
    id: str
    name: Names
    given: str
    value: float | bool | str
    unit: str
    source: str | None


@dataclass(frozen=True)
class ParkData:
    """Every fact of one assessed park, year by year, with its source."""

    id: str
    name: Names
    file: str
    facts: tuple[FactGiven, ...]


@dataclass
class RunResult:
    """One run: every assessment, the crosswalk, and every error that kept a park or pack from being assessed."""

    assessments: list[Assessment] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    crosswalk: list[CrosswalkRow] = field(default_factory=list)
    parks: list[ParkData] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)  # located, as errors, but nothing was held back
    names: dict[str, Names] = field(default_factory=dict)  # the inputs results name (missing facts, factors): zh/en
    editions: dict[str, str] = field(default_factory=dict)  # pack ref → why that edition (chosen by --period)

    def to_dict(self, version: str) -> dict[str, Any]:
        return {
            "schema": "parkrules-result-1",
            "tool": {"name": "parkrules", "version": version},
            "assessments": [asdict(a) for a in self.assessments],
            "crosswalk": [asdict(row) for row in self.crosswalk],
            "parks": [asdict(park) for park in self.parks],
            "errors": list(self.errors),
            "warnings": list(self.warnings),
            "names": {key: asdict(name) for key, name in sorted(self.names.items())},
            "editions": dict(sorted(self.editions.items())),
        }
