"""Lint diagnostics: stable codes, their severity, and one located finding.

Codes never change meaning once published: CI configurations and SARIF consumers key on them.
`docs/lint-codes.md` is generated from `CODES` (a test keeps the two in step).
"""

from __future__ import annotations

from dataclasses import dataclass

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Code:
    code: str
    severity: str
    name: str  # a short kebab-case rule name (SARIF `rule.name`)
    summary: str  # one line: what it means and how to fix it


CODES: dict[str, Code] = {
    code.code: code
    for code in (
        Code("PR001", ERROR, "unreadable-file", "The file cannot be read or is not well-formed YAML."),
        Code("PR002", ERROR, "schema", "The file does not match the pack (or pack-tests) JSON Schema."),
        Code("PR003", ERROR, "misplaced-pack", "The pack's id@version does not match its place `<id>/<version>.yaml`."),
        Code("PR009", ERROR, "pack-error", "Any other problem that keeps the pack from loading (message says which)."),
        Code("PR101", ERROR, "unknown-name", "A formula reads a name that is no fact, factor or derived quantity."),
        Code("PR102", ERROR, "unknown-function", "A formula calls a function outside the allow-list."),
        Code("PR103", ERROR, "bad-formula", "A formula cannot be parsed or uses syntax outside the allow-list."),
        Code("PR104", ERROR, "unknown-unit", "A unit that pint (with the parkrules units) cannot parse."),
        Code("PR110", ERROR, "dependency-cycle", "Derived quantities depend on each other in a cycle."),
        Code("PR120", ERROR, "unit-mismatch", "A formula's unit dimension differs from the declared unit."),
        Code(
            "PR121",
            WARNING,
            "unread-fuel",
            "An accounting method reads fuel facts but not this one: a park burning it would have it counted as zero.",
        ),
        Code("PR130", WARNING, "tier-overlap", "Two tiers' conditions overlap; the first listed wins there."),
        Code("PR131", WARNING, "tier-gap", "Tier conditions leave values uncovered and no `otherwise` says why."),
        Code(
            "PR132", ERROR, "unreachable-tier", "A tier whose condition can never hold or is covered by earlier ones."
        ),
        Code("PR140", ERROR, "duplicate-id", "Two indicators, derived quantities or not-encoded entries share an id."),
        Code("PR150", ERROR, "missing-clause", "A threshold, indicator or rule without the clause it comes from."),
        Code(
            "PR151", ERROR, "provisional-without-basis", "A `provisional` value without `rests_on` (what it rests on)."
        ),
        Code(
            "PR152",
            WARNING,
            "placeholder",
            "A `TODO` placeholder is left in the pack (e.g. from `parkrules new-pack`).",
        ),
        Code("PR160", ERROR, "missing-name", "A name without its zh or en text."),
        Code("PR170", ERROR, "unknown-pack", "`requires` or `extends` names a pack or version that does not exist."),
        Code("PR171", ERROR, "pack-cycle", "Packs require or extend each other in a cycle."),
        Code(
            "PR180",
            ERROR,
            "unknown-reference",
            "A group, source, rule selection or override names an id the pack lacks.",
        ),
        Code(
            "PR190",
            ERROR,
            "factor-error",
            "A factor table or factor that is missing, in an unconvertible unit, or with the id of a fact.",
        ),
    )
}


def codes_markdown() -> str:
    """The code table of docs/lint-codes.md (also `parkrules lint --codes`)."""
    rows = [f"| {c.code} | {c.severity} | {c.name} | {c.summary} |" for c in CODES.values()]
    return "\n".join(["| Code | Severity | Rule | Meaning |", "| --- | --- | --- | --- |", *rows]) + "\n"


@dataclass(frozen=True)
class Diagnostic:
    code: str
    message: str
    file: str
    line: int | None = None
    column: int | None = None
    field: str = ""

    @property
    def severity(self) -> str:
        return CODES[self.code].severity

    def __str__(self) -> str:
        place = self.file
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        where = f" {self.field}:" if self.field else ""
        return f"{place}: {self.severity} {self.code}{where} {self.message}"

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "severity": self.severity,
            "rule": CODES[self.code].name,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "field": self.field,
        }
