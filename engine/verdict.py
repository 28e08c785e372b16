"""A pack's verdict from its indicator results, by the pack's `verdict` block.

Only indicators whose role the pack names as deciding count (for the national pack: the
basic-condition gates and the core indicator). Missing or erroneous deciding indicators make
the verdict `incomplete`, never `pass` or `fail`.
"""

from __future__ import annotations

from parkrules.names import Names
from parkrules.result import IndicatorResult, Verdict


def decide(results: list[IndicatorResult], deciding_roles: tuple[str, ...]) -> Verdict:
    deciding = [r for r in results if r.role in deciding_roles]
    ids = tuple(r.id for r in deciding)
    failed = [r.id for r in deciding if r.status == "fail"]
    if failed:
        return Verdict("fail", _names("不达标：", "fails: ", failed), ids)
    unknown = [r.id for r in deciding if r.status in ("missing", "error")]
    if unknown:
        return Verdict(
            "incomplete",
            _names("无法判定（缺数据或计算错误）：", "cannot decide (missing data or error): ", unknown),
            ids,
        )
    undefined = [r for r in deciding if r.status == "not_applicable"]
    if undefined:
        return Verdict(
            "not_applicable",
            _names("标准未规定适用档位：", "the standard defines no applicable tier: ", [r.id for r in undefined]),
            ids,
        )
    roles = ", ".join(deciding_roles)
    return Verdict("pass", Names(zh=f"全部判定指标（{roles}）达标", en=f"all deciding indicators ({roles}) pass"), ids)


def _names(zh: str, en: str, ids: list[str]) -> Names:
    listed = ", ".join(ids)
    return Names(zh=zh + listed, en=en + listed)
