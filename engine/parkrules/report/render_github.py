"""CI checks as GitHub Actions workflow commands (annotations on the files and lines to fix), as conftest and
other policy tools print them: `::error file=…,line=…,title=…::message`. Failed checks are errors, checks in error
(an evaluation error) warnings, skipped ones (missing data) notices; passed checks print nothing."""

from __future__ import annotations

from parkrules.authoring.checks import Check

_COMMAND = {"failed": "error", "error": "warning", "skipped": "notice"}


def render(checks: list[Check]) -> str:
    lines = []
    for check in checks:
        command = _COMMAND.get(check.outcome)
        if command is None:
            continue
        properties = {"title": f"{check.suite}: {check.name}"}
        if check.file:
            properties["file"] = check.file
            if check.line:
                properties["line"] = str(check.line)
            if check.column:
                properties["col"] = str(check.column)
        shown = ",".join(f"{key}={_property(value)}" for key, value in properties.items())
        lines.append(f"::{command} {shown}::{_data(check.message)}")
    return "\n".join(lines)


def _data(text: str) -> str:
    """A message, escaped as workflow commands require (a newline would end the command)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
