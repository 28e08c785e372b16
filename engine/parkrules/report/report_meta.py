"""What a report says about itself, so a committee can tell which run it holds: the date, the parkrules version,
each pack's id, version and file hash, the factor tables used, and who assessed."""

from __future__ import annotations

import datetime
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from parkrules import __version__
from parkrules.model.catalog import Catalog
from parkrules.model.result import RunResult


@dataclass(frozen=True)
class PackStamp:
    ref: str
    sha256: str  # of the pack file, first 16 hex digits
    factor_table: str | None


@dataclass(frozen=True)
class ReportMeta:
    date: str  # ISO date; SOURCE_DATE_EPOCH (reproducible builds) when set, else today
    version: str
    packs: tuple[PackStamp, ...]
    assessor: str | None = None


def report_meta(run: RunResult, catalog: Catalog, assessor: str | None = None) -> ReportMeta:
    stamps = []
    for ref in dict.fromkeys(f"{a.standard.id}@{a.standard.version}" for a in run.assessments):
        pack = catalog.resolve(ref)
        digest = hashlib.sha256(Path(pack.file).read_bytes()).hexdigest()[:16]
        stamps.append(PackStamp(ref, digest, pack.factor_table))
    return ReportMeta(_today(), __version__, tuple(stamps), assessor or None)


def _today() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date().isoformat()
    return datetime.date.today().isoformat()
