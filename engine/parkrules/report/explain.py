"""How one indicator's number came about, as a tree: formula, each input with its value, unit
conversion and source, each factor with its table, down to the facts the park gave; then the status
and the threshold that applied.

Values are read from the same evaluation the assessment uses (`values_by_year`), never recomputed here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from parkrules.base.errors import ParkrulesError
from parkrules.base.i18n import t
from parkrules.formula import periods
from parkrules.io.park import Park
from parkrules.io.vocabulary import Vocabulary, suggest
from parkrules.model.plan import Plan
from parkrules.model.result import Assessment, FactorUsed
from parkrules.report import present
from parkrules.run.evaluate import Context, YearValues, values_by_year


@dataclass
class Node:
    label: str
    children: list[Node] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"label": self.label, "children": [child.to_dict() for child in self.children]}


class _Explainer:
    def __init__(self, plan: Plan, park: Park, assessment: Assessment, context: Context, vocabulary: Vocabulary):
        self.plan, self.park, self.vocabulary = plan, park, vocabulary
        self.factors = {f.id: f for f in assessment.factors}
        self.derived = {item.id: (item, ref) for item, ref in plan.derived}
        values = {f.id: f.value for f in assessment.factors}
        self.years = values_by_year(plan, park.years, values, context)
        bench = context.benchmark
        self.benchmark = values_by_year(plan, bench.years, bench.factors, Context(context.base)) if bench else {}
        self.base = context.base

    def name(self, name: str, year: int, seen: frozenset[str], lang: str) -> Node:
        base, relative, absolute = periods.split_period(name)
        special = periods.special_reference(name)
        if special == "has":
            present_now = base in self.years[year].values
            return Node(f"has({base}) = {t('yes' if present_now else 'no', lang)}")
        if special == "bench":
            node = self._plain(base, year, self.benchmark, seen, lang)
            node.label = f"benchmark({base}) · {node.label}"
            return node
        if special == "base" or relative is not None or absolute is not None:
            if special == "base":
                other = self.base if self.base is not None else year - 1
            else:
                other = absolute if absolute is not None else year + (relative or 0)
            node = self._plain(base, other, self.years, seen, lang)
            node.label = f"{name} → {other} · {node.label}"
            return node
        return self._plain(base, year, self.years, seen, lang)

    def _plain(self, name: str, year: int, years: dict[int, YearValues], seen: frozenset[str], lang: str) -> Node:
        state = years.get(year)
        if state is None:
            return Node(f"{name}: {t('status.missing', lang)} ({t('period', lang)} {year})")
        shown = self._value(name, state)
        if name in self.derived:
            item, ref = self.derived[name]
            node = Node(f"{item.name.get(lang)} ({name}) = {shown} · {ref} {item.clause}")
            if name not in seen:
                node.children = self.formula(item.formula, year, seen | {name}, lang, item.zero_if_absent, state)
            return node
        if name in self.factors:
            return Node(f"{name} = {shown} · {self._factor(self.factors[name], lang)}")
        fact = self.vocabulary.facts.get(name)
        label = fact.name.get(lang) if fact else name
        given = self.park.years[year].facts.get(name) if year in self.park.years and years is self.years else None
        if given is None:
            return Node(f"{label} ({name}) = {shown}")
        unit = fact.unit if fact else ""
        converted = f" ← {given.given}" if given.given.replace(" ", "") != f"{present.plain(given.value)}{unit}" else ""
        source = given.source or t("not_stated", lang)
        return Node(f"{label} ({name}) = {shown}{converted} · {t('source', lang)}: {source}")

    def formula(self, parsed, year: int, seen, lang: str, zero_if_absent=frozenset(), state=None) -> list[Node]:
        order = sorted(parsed.names, key=lambda n: (_position(parsed.text, n), n))
        nodes = [Node(f"= {parsed.text}")]
        assumed = [n for n in order if n in zero_if_absent and state is not None and n not in state.values]
        # A factor with no value in a formula that still computed sat on a branch not taken (a product not made).
        unread = {n for n in order if state is not None and n in self.factors and n not in state.values}
        nodes += [self.name(n, year, seen, lang) for n in order if n not in assumed and n not in unread]
        if assumed:
            nodes.append(Node(f"{t('assumed_zero', lang)}: {', '.join(assumed)}"))
        return nodes

    def _value(self, name: str, state: YearValues) -> str:
        unit = self.plan.units.get(name, "")
        if name in state.values:
            value = state.values[name]
            return f"{present.plain(value)} {unit}".strip() if unit != "1" else present.plain(value)
        if name in state.errors:
            return f"error: {state.errors[name]}"
        return f"missing ({', '.join(sorted(state.missing.get(name, frozenset({name}))))})"

    def _factor(self, used: FactorUsed, lang: str) -> str:
        if used.overridden:
            return f"{t('override', lang)}: {used.source}"
        mark = f" ({t('provisional', lang)})" if used.provisional else ""
        return f"{used.table}{mark} — {used.source}"


def _position(text: str, name: str) -> int:
    """Where a name first appears in a formula (names written with prev()/base() appear by their base name)."""
    found = text.find(periods.split_period(name)[0])
    return found if found >= 0 else len(text)


def explain(
    plan: Plan,
    park: Park,
    assessment: Assessment,
    context: Context,
    vocabulary: Vocabulary,
    indicator_id: str,
    lang: str,
) -> Node:
    """The tree for one indicator of one assessed park-year."""
    indicators = {i.id: i for i in plan.indicators}
    if indicator_id not in indicators:
        known = indicators.keys()
        raise ParkrulesError(f"{plan.pack.ref} has no indicator {indicator_id!r}{suggest(indicator_id, known)}")
    indicator = indicators[indicator_id]
    result = next(r for r in assessment.indicators if r.id == indicator_id)
    explainer = _Explainer(plan, park, assessment, context, vocabulary)
    root = Node(f"{result.name.get(lang)} ({indicator_id}) = {present.value_text(result, lang)} · {result.clause}")
    root.children = explainer.formula(indicator.formula, assessment.period, frozenset(), lang)
    outcome = f"{t('status', lang)}: {present.status_text(result, lang)}"
    if result.threshold is not None:
        tier = present.tier_text(result, lang)
        outcome += f" · {t('threshold', lang)}: {present.threshold_text(result, lang)}"
        outcome += f" ({tier})" if tier else ""
        outcome += f" · {result.threshold.clause}"
    gap = present.gap_text(result, lang)
    root.children.append(Node(outcome + (f" · {t('gap', lang)}: {gap}" if gap else "")))
    if result.provisional and result.rests_on:
        root.children.append(Node(f"† {t('rests_on', lang)}: {result.rests_on}"))
    return root
