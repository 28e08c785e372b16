"""CI checks as SARIF 2.1.0, so code hosts annotate the pack line a finding or failing indicator comes from."""

from __future__ import annotations

import json
from pathlib import Path

from parkrules import __version__
from parkrules.authoring.checks import Check

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


def render(checks: list[Check]) -> str:
    reported = [check for check in checks if check.level is not None]
    rules: dict[str, int] = {}
    descriptors: list[dict] = []
    for check in reported:
        if check.rule not in rules:
            rules[check.rule] = len(descriptors)
            descriptors.append({"id": check.rule, "shortDescription": {"text": check.rule_text}})
    results = [_result(check, rules[check.rule]) for check in reported]
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "parkrules",
                        "version": __version__,
                        "rules": descriptors,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=2)


def _result(check: Check, rule_index: int) -> dict:
    result: dict = {
        "ruleId": check.rule,
        "ruleIndex": rule_index,
        "level": check.level,
        "message": {"text": check.message},
    }
    if check.file is not None:
        region = {"startLine": check.line} if check.line else {}
        if check.line and check.column:
            region["startColumn"] = check.column
        location: dict = {"artifactLocation": {"uri": _uri(check.file)}}
        if region:
            location["region"] = region
        result["locations"] = [{"physicalLocation": location}]
    return result


def _uri(file: str) -> str:
    """A path relative to the working folder where possible (how code hosts match files), else a file URI."""
    path = Path(file)
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.resolve().as_uri()
