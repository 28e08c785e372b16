"""`parkrules test --update`: rewrite the expected values of failing cases to what the pack now gives.

Edits the expected scalars in place, line by line, instead of re-dumping the YAML: comments, key
order and flow style survive, so the change reviewers see in the pull request is just the numbers
and statuses that moved. Only keys a case already expects are rewritten; nothing is added.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from parkrules.authoring.packcases import CaseOutcome
from parkrules.base.errors import Location, ParkrulesError
from parkrules.io import outfile
from parkrules.io.yamlsafe import LocatedDict, load_file

_YAML_WORDS = {"true", "false", "null", "yes", "no", "on", "off", "y", "n"}
_VALUE = r"(\[[^\]]*\]|\"(?:[^\"\\]|\\.)*\"|'[^']*'|[^,}\n#]+?)(?=\s*(?:[,}]|#|$))"


def update_file(path: Path, outcomes: list[CaseOutcome]) -> int:
    """Rewrite the failing cases of one test file; returns how many values changed."""
    failing = {outcome.line: outcome for outcome in outcomes if not outcome.passed}
    if not failing:
        return 0
    document = load_file(path)
    lines = path.read_text(encoding="utf-8").split("\n")
    edits = []
    for i, case in enumerate(document["cases"]):
        outcome = failing.get(document["cases"].line_of(i))
        if outcome is not None:
            edits += _edits(case["expect"], outcome)
    changed = sum(_replace(lines, line, key, _yaml(value)) for line, key, value in edits)
    try:
        outfile.write_text(path, "\n".join(lines))
    except OSError as exc:
        raise ParkrulesError(f"cannot rewrite the test file: {exc.strerror}", Location(str(path))) from exc
    return changed


def _edits(expect: LocatedDict, outcome: CaseOutcome) -> list[tuple[int | None, str, object]]:
    edits: list[tuple[int | None, str, object]] = []
    if "verdict" in expect and outcome.verdict is not None and expect["verdict"] != outcome.verdict.status:
        edits.append((expect.line_of("verdict"), "verdict", outcome.verdict.status))
    actual = {r.id: r for r in outcome.indicators} | {r.id: r for r in outcome.derived}
    for section in ("indicators", "derived"):
        for item_id, wanted in expect.get(section, {}).items():
            result = actual.get(item_id)
            if result is None:
                continue
            threshold = getattr(result, "threshold", None)
            now = {
                "status": result.status,
                "value": result.value,
                "missing": list(result.missing),
                "threshold": threshold.value if threshold else None,
            }
            for key, value in now.items():
                if key in wanted and not _same(wanted[key], value):
                    edits.append((wanted.line_of(key), key, value))
    points = {r.id: r.points for r in outcome.indicators}
    for indicator_id, wanted in expect.get("points", {}).items():
        if not _same(wanted, points.get(indicator_id)):
            edits.append((expect["points"].line_of(indicator_id), indicator_id, points.get(indicator_id)))
    score = outcome.verdict.score if outcome.verdict is not None else None
    if "score" in expect and score is not None:
        now = {"total": score.total, "upper": score.upper, "grade": score.grade.en if score.grade else None}
        for key, value in now.items():
            if key in expect["score"] and not _same(expect["score"][key], value):
                edits.append((expect["score"].line_of(key), key, value))
    return edits


def _same(wanted: object, got: object) -> bool:
    numbers = (int, float)
    if isinstance(wanted, numbers) and isinstance(got, numbers) and not isinstance(wanted, bool):
        return abs(got - wanted) <= 1e-9 * max(1.0, abs(wanted))
    if isinstance(wanted, list) and isinstance(got, list):
        return sorted(wanted) == sorted(got)
    return wanted == got


def _replace(lines: list[str], line: int | None, key: str, text: str) -> bool:
    if line is None:
        return False
    pattern = re.compile(rf"(?<![\w.-]){re.escape(key)}:\s*{_VALUE}")
    match = pattern.search(lines[line - 1])
    if match is None:
        return False
    current = lines[line - 1]
    lines[line - 1] = current[: match.start(1)] + text + current[match.end(1) :]
    return True


def _yaml(value: object) -> str:
    """A flow-style YAML scalar; numbers to 12 significant digits so float noise does not churn files."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(float(f"{value:.12g}"))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_yaml(item) for item in value) + "]"
    text = str(value)
    plain = re.fullmatch(r"[A-Za-z_][A-Za-z0-9_ -]*", text) and text.lower() not in _YAML_WORDS
    return text if plain else json.dumps(text, ensure_ascii=False)
