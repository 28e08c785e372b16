"""A pack's verdict from its indicator results, by the rules of the pack's `verdict` block.

Rules (all must hold): `all_pass` of a selection; `at_least` k of a selection; `at_least_share`
p % of the selection's applicable indicators; `score_at_least` s on the weighted score. A
`veto` indicator that fails fails the verdict whatever the rules say. A rule is decided only
when the unknown indicators (missing data or errors) could not change its outcome; otherwise
the verdict is `incomplete`, never a guess. A rule over no encoded indicator cannot decide. An
indicator the pack lists as not encoded, with the role (and group) it has in the standard, counts
in the rules that select it as one the pack cannot decide: a count it could change is undecided
for the pack's want, and a pass of an `all_pass` rule says the pass is not whole (the caveat).
"""

from __future__ import annotations

from parkrules.base.names import Names
from parkrules.base.status import UNKNOWN, Status
from parkrules.model.pack import Indicator, Pack, Rule
from parkrules.model.result import IndicatorResult, RuleOutcome, ScoreResult, Verdict
from parkrules.rules import score

# Combining rule outcomes: the first status present wins.
PRECEDENCE = (Status.FAIL, Status.INCOMPLETE, Status.NOT_APPLICABLE, Status.PASS)
EPSILON = 1e-9


def decide(pack: Pack, indicators: tuple[Indicator, ...], results: list[IndicatorResult]) -> Verdict:
    rules = pack.verdict
    if pack.kind == "analysis":
        reason = Names("分析规则包给出分类，不作判定", "an analysis classifies; it gives no verdict")
        return Verdict(Status.NOT_APPLICABLE, reason)
    if rules is None:
        return Verdict(Status.INCOMPLETE, Names("规则包未规定判定规则", "the pack states no verdict rule"))
    scored = score.total(indicators, results, rules.score, pack.groups) if rules.score else None
    outcomes = [_veto(results)] if any(r.role == "veto" for r in results) else []
    outcomes += [_apply(rule, indicators, results, scored, pack.not_encoded_in(rule)) for rule in rules.rules]
    deciding = tuple(
        r.id
        for r in results
        if r.role == "veto"
        or any(rule.selector and rule.selector.matches(r.id, r.role, r.group) for rule in rules.rules)
        or (scored is not None and r.points_possible is not None)
    )
    statuses = {outcome.status for outcome in outcomes}
    status = next((s for s in PRECEDENCE if s in statuses), Status.INCOMPLETE)
    caveat = _caveat(pack) if status == Status.PASS else None
    return Verdict(status, _reason(status, outcomes), deciding, tuple(outcomes), scored, caveat)


def _caveat(pack: Pack) -> Names | None:
    """What every pass from this pack must say: that it is a draft, a rule of the standard not encoded, and the
    not-encoded indicators an `all_pass` rule selects (a pass without them is not whole)."""
    rules = pack.verdict.rules if pack.verdict else ()
    missing = sorted({item for rule in rules if rule.kind == "all_pass" for item in pack.not_encoded_in(rule)})
    parts = [Names("征求意见稿，未施行", "a draft, not in force")] if pack.draft else []
    parts += [pack.verdict.unencoded_rule] if pack.verdict and pack.verdict.unencoded_rule else []
    if missing:
        parts.append(Names(f"未编码：{'、'.join(missing)}", f"not encoded: {', '.join(missing)}"))
    if not parts:
        return None
    return Names("；".join(part.zh for part in parts), "; ".join(part.en for part in parts))


def rule_outcomes(pack: Pack, verdict: Verdict) -> list[tuple[Rule, RuleOutcome]]:
    """Each of the pack's verdict rules with its outcome (the veto outcome, which comes first, left out)."""
    rules = pack.verdict.rules if pack.verdict else ()
    return list(zip(rules, verdict.rules[len(verdict.rules) - len(rules) :], strict=True))


def _veto(results: list[IndicatorResult]) -> RuleOutcome:
    vetoes = [r for r in results if r.role == "veto"]
    failed = sum(r.status == Status.FAIL for r in vetoes)
    unknown = sum(r.status in UNKNOWN for r in vetoes)
    status = Status.FAIL if failed else Status.INCOMPLETE if unknown else Status.PASS
    passed = sum(r.status == Status.PASS for r in vetoes)
    ids = _ids(vetoes, status)
    label = Names("一票否决项均未触发", "veto: no veto item fails")
    return RuleOutcome(label, status, passed, len(vetoes), unknown, None, "", False, ids)


def _apply(
    rule: Rule, indicators, results: list[IndicatorResult], scored: ScoreResult | None, unencoded: tuple[str, ...]
) -> RuleOutcome:
    provisional = rule.verification.provisional
    if rule.kind == "score_at_least":
        assert scored is not None and rule.amount is not None
        status = Status.PASS if scored.total >= rule.amount - EPSILON else Status.FAIL
        if status == Status.FAIL and scored.upper >= rule.amount - EPSILON:
            status = Status.INCOMPLETE
        if not any(indicator.score for indicator in indicators):
            status = Status.INCOMPLETE
        label = Names(
            f"得分 ≥ {rule.amount:g}（得分 {scored.total:.1f}，最高 {scored.upper:.1f}）",
            f"score ≥ {rule.amount:g} (scored {scored.total:.1f}, at most {scored.upper:.1f})",
        )
        return RuleOutcome(label, status, 0, 0, 0, rule.amount, rule.clause, provisional, ())
    assert rule.selector is not None
    chosen = [r for r in results if rule.selector.matches(r.id, r.role, r.group)]
    applicable = [r for r in chosen if r.status != Status.NOT_APPLICABLE]
    passed = sum(r.status == Status.PASS for r in applicable)
    unknown = sum(r.status in UNKNOWN for r in applicable)
    failed = len(applicable) - passed - unknown
    what = rule.selector.describe()
    if rule.kind == "all_pass":
        label, needed = Names(f"{what.zh} 全部达标", f"all of {what.en} pass"), float(len(chosen))
        status = Status.FAIL if failed else Status.INCOMPLETE if unknown else Status.PASS
        if status == Status.PASS and len(applicable) < len(chosen):
            status = Status.NOT_APPLICABLE
    elif rule.kind == "at_least":
        assert rule.amount is not None  # every rule but all_pass has an amount (pack schema)
        needed = rule.amount
        label = Names(f"{what.zh} 至少 {needed:g} 项达标", f"at least {needed:g} of {what.en} pass")
        could = passed + unknown + len(unencoded)
        status = Status.PASS if passed >= needed else Status.INCOMPLETE if could >= needed else Status.FAIL
    else:
        assert rule.amount is not None
        share = rule.amount / 100
        needed = share * (len(applicable) + len(unencoded))
        label = Names(f"{what.zh} 至少 {rule.amount:g}% 达标", f"at least {rule.amount:g} % of {what.en} pass")
        if not applicable and not unencoded:
            status = Status.NOT_APPLICABLE
        else:
            status = (
                Status.PASS
                if passed >= needed - EPSILON
                else Status.INCOMPLETE
                if passed + unknown + len(unencoded) >= needed - EPSILON
                else Status.FAIL
            )
    if not chosen:
        status = Status.INCOMPLETE
        label = Names(f"{label.zh}——所选指标均未编码", f"{label.en} — no indicator of the selection is encoded")
    # undecided for the pack's want alone: nothing encoded, or only the not-encoded indicators could change it
    packs_gap = not chosen or (status == Status.INCOMPLETE and not unknown and bool(unencoded))
    ids = _ids(chosen, status) + (unencoded if status == Status.INCOMPLETE else ())
    return RuleOutcome(
        label, status, passed, len(applicable), unknown, needed, rule.clause, provisional, ids, packs_gap
    )


def _ids(chosen: list[IndicatorResult], status: str) -> tuple[str, ...]:
    """The indicators behind an outcome that is not a pass."""
    wanted = _BEHIND.get(status, ())
    return tuple(r.id for r in chosen if r.status in wanted)


def _reason(status: str, outcomes: list[RuleOutcome]) -> Names:
    if not outcomes:
        return Names("规则包没有可判定的规则", "the pack has no rule to decide by")
    relevant = [o for o in outcomes if o.status == status]

    def listed(lang: str) -> str:
        return "; ".join(o.rule.get(lang) + (f" ({', '.join(o.ids)})" if o.ids else "") for o in relevant)

    prefix = _PREFIX[status]
    if status == Status.INCOMPLETE:  # the pack's gap, the park's, or both: said apart
        causes = {outcome.not_encoded for outcome in relevant}
        prefix = _UNDECIDED[True] if causes == {True} else _UNDECIDED[False] if causes == {False} else prefix
    return Names(zh=prefix[0] + listed("zh"), en=prefix[1] + listed("en"))


# per outcome that is not a pass: the statuses of the indicators behind it
_BEHIND: dict[str, tuple[str, ...]] = {
    Status.FAIL: (Status.FAIL,),
    Status.INCOMPLETE: UNKNOWN,
    Status.NOT_APPLICABLE: (Status.NOT_APPLICABLE,),
}
# undecided because the pack encodes none of a rule's indicators (True), or because the park's data are missing or
# in error (False)
_UNDECIDED: dict[bool, tuple[str, str]] = {
    True: (
        "无法判定（标准的指标未编码，非园区缺数据）：",
        "cannot decide (the standard's indicators are not encoded, not the park's data): ",
    ),
    False: ("无法判定（园区缺数据或计算错误）：", "cannot decide (the park's data are missing or in error): "),
}
_PREFIX: dict[str, tuple[str, str]] = {
    Status.FAIL: ("未满足：", "not met: "),
    Status.INCOMPLETE: (
        "无法判定（缺数据、计算错误或指标未编码）：",
        "cannot decide (missing, error or not encoded): ",
    ),
    Status.NOT_APPLICABLE: ("标准未规定适用档位：", "the standard defines no applicable tier: "),
    Status.PASS: ("全部满足：", "all met: "),
}
