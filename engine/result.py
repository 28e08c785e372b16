"""The result model every report renders from (documented in `schemas/result-1.json`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from parkrules.names import Names


@dataclass(frozen=True)
class ThresholdApplied:
    operator: str
    value: float | bool | str
    tier: Names | None
    why: str
    clause: str


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
class Verdict:
    status: str
    reason: Names
    deciding: tuple[str, ...] = ()


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


@dataclass(frozen=True)
class Assessment:
    park: ParkRef
    period: int
    standard: StandardRef
    verdict: Verdict
    indicators: tuple[IndicatorResult, ...]
    derived: tuple[DerivedResult, ...]
    factors: tuple[FactorUsed, ...]


@dataclass
class RunResult:
    """One run: every assessment, and every error that kept a park or pack from being assessed."""

    assessments: list[Assessment] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self, version: str) -> dict[str, Any]:
        return {
            "schema": "parkrules-result-1",
            "tool": {"name": "parkrules", "version": version},
            "assessments": [asdict(a) for a in self.assessments],
            "errors": list(self.errors),
        }
