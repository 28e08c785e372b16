"""`parkrules decompose` as a user runs it: effects that add up, and years that are not the park's refused."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import PARKS


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "parkrules", "decompose", *args], capture_output=True, text=True)


def test_effects_add_up_to_the_change_between_the_years_asked():
    result = _run(str(PARKS / "west-hitech.yaml"), "--from", "2016", "--to", "2020", "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert (document["from"], document["to"]) == (2016, 2020)
    assert sum(e["tco2"] for e in document["effects"]) == pytest.approx(document["end"] - document["start"])
    assert {e["id"] for e in document["effects"]} >= {"energy", "mix", "factor"}  # no value added: no output split
    assert document["stirpat"] is None  # five years: too few to fit


def test_a_year_the_park_does_not_have_is_refused():
    result = _run(str(PARKS / "green-valley.yaml"), "--from", "2030")
    assert result.returncode == 2 and "two of the park's years" in result.stderr and "Traceback" not in result.stderr
