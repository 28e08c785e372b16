"""One indicator of one year, as the evaluator decides it: the tier that applies, pass or fail, the gap and the
points; a class for a classification indicator; missing inputs and errors worded."""

from __future__ import annotations

from parkrules.base.status import Status
from parkrules.formula import periods
from parkrules.io.park import Year
from parkrules.model.pack import Indicator
from parkrules.model.plan import CLASS_VALUE
from parkrules.model.result import ClassApplied, IndicatorResult, ThresholdApplied
from parkrules.rules import compare
from parkrules.rules.score import points_for
from parkrules.run.lookup import Outcome, YearView, run


def indicator_result(indicator: Indicator, year: Year, state: YearView) -> IndicatorResult:
    def result(status: str, outcome: Outcome | None = None, **fields) -> IndicatorResult:
        """Fields every status shares, with the defaults of a result that has no value."""
        assumed = tuple(sorted(outcome.assumed)) if outcome else ()
        read = sorted(outcome.read) if outcome else []
        evidence = tuple(f"{name}: {year.facts[name].source}" for name in read if _sourced(year, name))
        fields = {"value": None, "threshold": None, "gap": None, "missing": (), "assumed_zero": assumed, **fields}
        applied = fields["threshold"]
        return IndicatorResult(
            **fields,
            id=indicator.id,
            name=indicator.name,
            role=indicator.role,
            unit=indicator.unit,
            status=status,
            clause=indicator.clause,
            provisional=indicator.verification.provisional,
            rests_on=indicator.verification.rests_on,
            group=indicator.group,
            points=points_for(indicator, status, fields["value"], applied.better if applied else None),
            points_possible=indicator.score.points if indicator.score else None,
            evidence=evidence,
        )

    note = None
    justification = year.exclusions.get(indicator.id)
    if justification is not None:
        if indicator.excludable:
            return result(Status.NOT_APPLICABLE, message=excluded(justification))
        note = exclusion_ignored(indicator)
    outcome = run(indicator.formula, state)
    if indicator.classes and outcome.status == Status.COMPUTED:
        return _classify(indicator, outcome, state, result, note)
    applied = None
    if outcome.status == Status.COMPUTED:
        outcome, applied = _choose_tier(indicator, outcome, state)
    if outcome.status != Status.COMPUTED:
        missing = tuple(sorted(outcome.missing))
        return result(outcome.status, outcome, missing=missing, message=join_note(note, outcome.message))
    value = outcome.value
    if isinstance(value, float):
        value = compare.rounded(value, indicator.decimals)
    if applied is None:
        reason = none_applies(indicator)
        return result(Status.NOT_APPLICABLE, outcome, value=value, message=join_note(note, reason))
    try:
        passed = compare.meets(value, applied.operator, applied.value)
    except (TypeError, ValueError) as exc:  # e.g. a true/false formula result against a numeric limit
        message = incomparable(value, applied.operator, applied.value, exc)
        return result(Status.ERROR, outcome, value=value, threshold=applied, message=join_note(note, message))
    gap = compare.gap(value, applied.operator, applied.value)
    return result(
        Status.PASS if passed else Status.FAIL, outcome, value=value, threshold=applied, gap=gap, message=note
    )


def _classify(indicator: Indicator, outcome: Outcome, state: YearView, result, note: str | None) -> IndicatorResult:
    """The first class whose condition holds, with the values that decided it; `not_applicable` if none does."""
    value = outcome.value
    if isinstance(value, float):
        value = compare.rounded(value, indicator.decimals)
    for entry in indicator.classes:
        condition = run(entry.when, state, own={CLASS_VALUE: value})
        if condition.status != Status.COMPUTED:
            missing = tuple(sorted(condition.missing))
            return result(condition.status, condition, missing=missing, message=join_note(note, condition.message))
        if condition.value:
            shown = ", ".join(_shown(name, read, state) for name, read in sorted(condition.read.items()))
            why = f"{entry.when.text} (with {shown})"
            applied = ClassApplied(entry.id, entry.name, why, entry.clause, entry.meaning)
            return result(Status.CLASSIFIED, outcome, value=value, state=applied, message=note)
    reason = none_applies(indicator)
    return result(Status.NOT_APPLICABLE, outcome, value=value, message=join_note(note, reason))


def _sourced(year: Year, name: str) -> bool:
    fact = year.facts.get(name)
    return fact is not None and fact.source is not None


def _choose_tier(indicator: Indicator, outcome: Outcome, state: YearView) -> tuple[Outcome, ThresholdApplied | None]:
    """The first tier whose condition holds; conditions can themselves be missing."""
    assumed = set(outcome.assumed)
    for threshold in indicator.thresholds:
        if threshold.when is None:
            return outcome, ThresholdApplied(
                threshold.operator, threshold.value, threshold.tier, "applies to every park", threshold.clause
            )
        condition = run(threshold.when, state)
        if condition.status != Status.COMPUTED:
            return condition, None
        assumed |= condition.assumed
        if condition.value:
            shown = ", ".join(_shown(name, value, state) for name, value in sorted(condition.read.items()))
            why = f"{threshold.when.text} (with {shown})"
            applied = ThresholdApplied(threshold.operator, threshold.value, threshold.tier, why, threshold.clause)
            return Outcome(value=outcome.value, assumed=frozenset(assumed), read=outcome.read), applied
    return Outcome(value=outcome.value, assumed=frozenset(assumed), read=outcome.read), None


def _shown(name: str, value: object, state: YearView) -> str:
    """`name = value unit` for the reason a tier applies; category and yes/no values as they are."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"{name} = {value}"
    unit = state.timeline.plan.units.get(periods.split_period(name)[0], "")
    return f"{name} = {value:,.6g} {unit}".rstrip()


def excluded(justification: str) -> str:
    return f"excluded by the park: {justification}"


def exclusion_ignored(indicator: Indicator) -> str:
    return f"exclusion ignored: a {indicator.role} indicator cannot be excluded"


def none_applies(indicator: Indicator) -> str:
    """Why no tier or class applies: the pack's own words, else ours."""
    if indicator.otherwise:
        return indicator.otherwise.en
    return "no class applies" if indicator.classes else "no threshold tier applies"


def incomparable(value: object, operator: str, limit: object, exc: Exception) -> str:
    """Why a value could not be judged against its tier (true/false against a number, say): both engines' words."""
    return f"{value!r} cannot be compared with {operator} {limit!r}: {exc}"


def join_note(first: str | None, second: str | None) -> str | None:
    """A note (an exclusion the indicator ignores) and a message, as a result's message (both engines)."""
    return "; ".join(part for part in (first, second) if part) or None
