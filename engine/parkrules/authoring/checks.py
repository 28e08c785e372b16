"""Assessments, lint findings and pack test cases as one list of CI checks, for JUnit and SARIF output.

One shape for three commands keeps the two CI formats consistent: a check is a JUnit test case,
and a check that did not pass (or a warning) is a SARIF result located where it must be fixed.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from parkrules.authoring.diagnostics import CODES, ERROR, Diagnostic
from parkrules.authoring.packcases import CaseOutcome
from parkrules.base.errors import Location
from parkrules.model.plan import Plan
from parkrules.model.result import Assessment, IndicatorResult, RunResult

# missing data is not a failure of the rule: skipped, with the inputs that were missing as the reason
_INDICATOR_OUTCOME = {"pass": "passed", "fail": "failed", "missing": "skipped", "error": "error"}
_VERDICT_OUTCOME = {"pass": "passed", "fail": "failed", "incomplete": "skipped"}
_LEVEL = {"failed": "error", "error": "warning", "skipped": "note"}  # SARIF levels


@dataclass(frozen=True)
class Check:
    suite: str  # JUnit test suite
    name: str  # JUnit test case
    outcome: str  # passed | failed | error | skipped
    message: str
    rule: str  # SARIF rule id: a lint code, `pack@version/indicator`, ...
    rule_text: str  # SARIF rule description
    file: str | None = None
    line: int | None = None
    column: int | None = None
    level: str | None = None  # SARIF level (error | warning | note); None: no SARIF result


def from_assessments(run: RunResult, plans: Iterable[Plan]) -> list[Check]:
    """Every indicator × park a check, plus each verdict, located at the indicator in the pack file."""
    places: dict[tuple[str, str], Location] = {}
    for plan in plans:
        places |= {(plan.pack.ref, indicator.id): indicator.location for indicator in plan.indicators}
        places[(plan.pack.ref, "verdict")] = Location(plan.pack.file, None, "verdict")
    checks = []
    for assessment in run.assessments:
        ref = f"{assessment.standard.id}@{assessment.standard.version}"
        suite = f"{assessment.park.id} · {ref}"
        for result in assessment.indicators:
            outcome = _INDICATOR_OUTCOME.get(result.status, "skipped")
            place = places.get((ref, result.id), Location())
            checks.append(
                Check(
                    suite,
                    result.id,
                    outcome,
                    _indicator_message(assessment, result),
                    f"{ref}/{result.id}",
                    result.name.en,
                    relative(place.file),
                    place.line,
                    None,
                    _LEVEL.get(outcome),
                )
            )
        checks.append(_verdict_check(assessment, ref, suite, places.get((ref, "verdict"), Location())))
    checks += [_error_check("parkrules assess", error) for error in run.errors]
    return checks


def from_lint(diagnostics: list[Diagnostic], files: Iterable[str], strict: bool) -> list[Check]:
    """Each finding a check (a warning fails only with --strict); a clean file one passing check."""
    checks = []
    for diagnostic in diagnostics:
        failing = diagnostic.severity == ERROR or strict
        checks.append(
            Check(
                diagnostic.file,
                f"{diagnostic.code} line {diagnostic.line}",
                "failed" if failing else "passed",
                str(diagnostic),
                diagnostic.code,
                CODES[diagnostic.code].summary,
                relative(diagnostic.file),
                diagnostic.line,
                diagnostic.column,
                diagnostic.severity,
            )
        )
    flagged = {diagnostic.file for diagnostic in diagnostics}
    checks += [
        Check(file, "lint", "passed", "no findings", "lint", "pack lints clean", relative(file))
        for file in files
        if file not in flagged
    ]
    return checks


def from_cases(outcomes: list[CaseOutcome], errors: list[dict]) -> list[Check]:
    checks = [
        Check(
            outcome.file,
            outcome.name,
            "passed" if outcome.passed else "failed",
            "; ".join(outcome.differences) or "as expected",
            "pack-test-case",
            "a pack test case gives what it expects",
            relative(outcome.file),
            outcome.line,
            None,
            None if outcome.passed else "error",
        )
        for outcome in outcomes
    ]
    return checks + [_error_check("parkrules test", error) for error in errors]


def _indicator_message(assessment: Assessment, result: IndicatorResult) -> str:
    text = f"{assessment.park.id} ({assessment.period}): {result.id} {result.status}"
    if result.value is not None:
        text += f", value {result.value} {result.unit}".rstrip()
    if result.threshold is not None:
        text += f", threshold {result.threshold.operator} {result.threshold.value} ({result.threshold.clause})"
    if result.missing:
        text += f", missing {', '.join(result.missing)}"
    if result.message:
        text += f": {result.message}"
    return text


def relative(file: str | None) -> str | None:
    """A path as CI shows it: relative to the working folder where it lies inside it (a CI system links it to the
    repository), as given otherwise."""
    if not file:
        return None
    try:
        return os.path.relpath(file) if Path(file).resolve().is_relative_to(Path.cwd().resolve()) else file
    except (OSError, ValueError):
        return file


def _verdict_check(assessment: Assessment, ref: str, suite: str, place: Location) -> Check:
    outcome = _VERDICT_OUTCOME.get(assessment.verdict.status, "skipped")
    return Check(
        suite,
        "verdict",
        outcome,
        f"{assessment.park.id} ({assessment.period}): {assessment.verdict.status}"
        + (f" ({assessment.verdict.caveat.en})" if assessment.verdict.caveat else "")
        + f": {assessment.verdict.reason.en}",
        f"{ref}/verdict",
        f"verdict of {ref}",
        relative(place.file),
        None,
        None,
        _LEVEL.get(outcome),
    )


def _error_check(suite: str, error: dict) -> Check:
    return Check(
        suite,
        f"{error.get('file') or '<input>'}",
        "error",
        error["message"],
        "input-error",
        "a park, pack or test file that could not be read",
        relative(error.get("file")),
        error.get("line"),
        None,
        "error",
    )
