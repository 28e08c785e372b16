"""A pack diff and its impact as plain text (terminal), Markdown (pull-request comment) or JSON."""

from __future__ import annotations

import json

from parkrules.analysis.impact import Impact, IndicatorShift, ParkImpact
from parkrules.authoring.packdiff import Change
from parkrules.report.present import number


def to_json(old: str, new: str, changes: list[Change], impact: Impact | None) -> str:
    document = {
        "old": old,
        "new": new,
        "changes": [change.to_dict() for change in changes],
        "impact": impact.to_dict() if impact is not None else None,
    }
    return json.dumps(document, ensure_ascii=False, indent=2, default=str)


def to_text(old: str, new: str, changes: list[Change], impact: Impact | None) -> str:
    lines = [f"{old} → {new}: {len(changes)} change(s)"]
    lines += [f"  {_change_line(change)}" for change in changes]
    if impact is not None:
        flips = sum(1 for park in impact.parks if park.flipped)
        lines.append(f"Impact on {len(impact.parks)} park(s): {flips} verdict(s) flip")
        for park in impact.parks:
            mark = "  ⚠ verdict flips" if park.flipped else ""
            lines.append(f"  {park.park} ({park.year}): {park.old_verdict} → {park.new_verdict}{mark}{_caveat(park)}")
            lines += [f"    {_shift_text(shift)}" for shift in park.indicators + park.quantities]
        lines += [f"  error: {_error_text(error)}" for error in impact.errors]
    return "\n".join(lines)


def to_markdown(old: str, new: str, changes: list[Change], impact: Impact | None) -> str:
    lines = [f"### Rule-pack diff: `{old}` → `{new}`", ""]
    if changes:
        lines += ["| Change | Part | Id | Field | Old | New |", "| --- | --- | --- | --- | --- | --- |"]
        lines += [
            f"| {c.kind} | {c.part} | `{c.target}` | {c.field} | {_cell(c.old)} | {_cell(c.new)} |" for c in changes
        ]
    else:
        lines.append("No differences.")
    if impact is not None:
        flips = sum(1 for park in impact.parks if park.flipped)
        lines += ["", f"#### Impact on {len(impact.parks)} park(s): {flips} verdict(s) flip", ""]
        lines += ["| Park | Year | Verdict | Indicators and quantities that move |", "| --- | --- | --- | --- |"]
        for park in impact.parks:
            verdict = f"{park.old_verdict} → **{park.new_verdict}** ⚠" if park.flipped else park.new_verdict
            verdict += _cell(_caveat(park))
            moved = "<br>".join(_cell(_shift_text(s)) for s in park.indicators + park.quantities) or "none"
            lines.append(f"| {park.park} | {park.year} | {verdict} | {moved} |")
        lines += [f"- error: {_cell(_error_text(error))}" for error in impact.errors]
    return "\n".join(lines) + "\n"


def _caveat(park: ParkImpact) -> str:
    """The caveat a pass carries, where the revision changes it (`; caveat: — → not encoded: …`)."""
    if park.old_caveat == park.new_caveat:
        return ""
    before, after = (caveat.en if caveat else "—" for caveat in (park.old_caveat, park.new_caveat))
    return f"; caveat: {before} → {after}"


def _change_line(change: Change) -> str:
    where = f"{change.part} {change.target}" + (f" {change.field}" if change.field else "")
    if change.kind == "changed" or change.kind == "renamed":
        return f"{change.kind} {where}: {_value(change.old)} → {_value(change.new)}"
    shown = change.new if change.kind == "added" else change.old
    return f"{change.kind} {where}" + (f": {_value(shown)}" if shown is not None else "")


def _shift_text(shift: IndicatorShift) -> str:
    text = f"{shift.id}: {shift.old_status or 'absent'} → {shift.new_status or 'absent'}"
    if shift.old_value != shift.new_value:
        text += f"; value {_value(shift.old_value)} → {_value(shift.new_value)}"
    if shift.old_gap != shift.new_gap:
        text += f"; shortfall {_value(shift.old_gap)} → {_value(shift.new_gap)}"
    return text


def _value(value: object) -> str:
    if isinstance(value, float):
        return number(value)
    return "—" if value is None else str(value)


def _cell(value: object) -> str:
    return _value(value).replace("|", "\\|").replace("\n", " ")


def _error_text(error: dict) -> str:
    place = error.get("file") or "<input>"
    if error.get("line"):
        place += f":{error['line']}"
    return f"{place}: {error['message']}"
