"""CI checks as JUnit XML (the Jenkins/Surefire dialect most CI systems read; see tests for the XSD)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from parkrules.authoring.checks import Check

_CHILD = {"failed": "failure", "error": "error", "skipped": "skipped"}


def render(checks: list[Check], name: str) -> str:
    suites: dict[str, list[Check]] = {}
    for check in checks:
        suites.setdefault(check.suite, []).append(check)
    counts = _counts(checks)
    del counts["skipped"]  # the JUnit schema has no `skipped` on <testsuites>
    root = ET.Element("testsuites", {"name": name, **counts})
    for suite_name, members in suites.items():
        suite = ET.SubElement(root, "testsuite", {"name": suite_name, **_counts(members)})
        for check in members:
            case = ET.SubElement(suite, "testcase", name=check.name, classname=suite_name)
            if check.outcome in _CHILD:
                child = ET.SubElement(case, _CHILD[check.outcome], message=check.message, type=check.rule)
                child.text = _where(check)
            elif check.level is not None:  # a warning that does not fail the run
                ET.SubElement(case, "system-out").text = check.message
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


def _counts(checks: list[Check]) -> dict[str, str]:
    return {
        "tests": str(len(checks)),
        "failures": str(sum(1 for c in checks if c.outcome == "failed")),
        "errors": str(sum(1 for c in checks if c.outcome == "error")),
        "skipped": str(sum(1 for c in checks if c.outcome == "skipped")),
    }


def _where(check: Check) -> str:
    if check.file is None:
        return check.message
    place = check.file + (f":{check.line}" if check.line else "")
    return f"{place}: {check.message}"
