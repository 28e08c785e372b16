"""The Status enum: its groups match the result schema's enums, batch storage codes come from it, and a member
reads, prints and serialises as its text."""

from __future__ import annotations

import json

from parkrules.base.i18n import LABELS
from parkrules.base.status import DERIVED, INDICATOR, STORED, VERDICT, Status
from parkrules.rules.results_block import STATUS, STATUSES
from tests.conftest import ROOT

_SCHEMA = json.loads((ROOT / "engine" / "parkrules" / "schemas" / "result-1.json").read_text(encoding="utf-8"))


def test_the_result_schema_allows_exactly_each_group():
    definitions = _SCHEMA["$defs"]
    assert definitions["indicator"]["properties"]["status"]["enum"] == [s.value for s in INDICATOR]
    assert definitions["derived"]["properties"]["status"]["enum"] == [s.value for s in DERIVED]
    verdict = definitions["assessment"]["properties"]["verdict"]["properties"]
    assert verdict["status"]["enum"] == [s.value for s in VERDICT]
    assert verdict["rules"]["items"]["properties"]["status"]["enum"] == [s.value for s in VERDICT]


def test_batch_storage_codes_come_from_the_enum_in_a_fixed_order():
    """Stored files hold int8 codes: the order may only grow at its end."""
    assert STATUSES == ("pass", "fail", "missing", "error", "not_applicable", "classified", "incomplete")
    assert all(type(text) is str for text in STATUSES)  # plain text for Arrow and the writers
    assert [STATUS[status] for status in STORED] == list(range(len(STORED)))
    assert STATUS["fail"] == STATUS[Status.FAIL]  # a member and its text find the same code


def test_a_member_is_its_text_everywhere():
    assert Status.NOT_APPLICABLE == "not_applicable" and hash(Status.PASS) == hash("pass")
    assert f"{Status.PASS}|{Status.FAIL:>6}" == "pass|  fail" and str(Status.ERROR) == "error"
    assert json.dumps({"status": Status.MISSING}) == '{"status": "missing"}'
    assert {"pass": 1}[Status.PASS] == 1


def test_every_result_status_has_its_label_in_both_languages():
    for group, prefix in ((INDICATOR, "status."), (VERDICT, "verdict.")):
        for status in group:
            assert {"zh", "en"} <= LABELS[f"{prefix}{status}"].keys(), status
