"""`parkrules plan` as a user runs it: a plan in JSON, the planned park file confirmed by `parkrules assess`,
bad options refused with exit code 2 and no traceback."""

from __future__ import annotations

import json
import subprocess
import sys

from parkrules.io import schema
from tests.conftest import PARKS, ROOT

LIBRARY = ROOT / "tests" / "data" / "measures" / "test-costs.yaml"


def _parkrules(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "parkrules", *args], capture_output=True, text=True, cwd=cwd)


def test_plan_json_and_written_park_pass_when_assessed(tmp_path):
    planned = tmp_path / "planned.yaml"
    result = _parkrules(
        "plan", str(PARKS / "coal-town.yaml"), "-s", "cn-national-zero-carbon-park", "--target-year", "2030",
        "--milestone", "2027", "--growth", "output=3%", "--discount-rate", "6%", "--measures", str(LIBRARY),
        "--format", "json", "--write-park", str(planned),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    schema.validator("plan-1").validate(plan)  # the shipped schema describes what is written
    assert plan["verified"] and plan["steps"] and plan["discounted_cost"] > 0
    assert {(v["year"], v["planned"]) for v in plan["verdicts"]} == {(2027, "pass"), (2030, "pass")}
    for year in ("2027", "2030"):
        assessed = _parkrules("assess", str(planned), "-s", "cn-national-zero-carbon-park", "--period", year,
                              "--format", "json")  # fmt: skip
        assert [a["verdict"]["status"] for a in json.loads(assessed.stdout)["assessments"]] == ["pass"]


def test_impossible_plan_exits_1_and_says_why():
    result = _parkrules("plan", str(PARKS / "coal-town.yaml"), "-s", "cn-national-zero-carbon-park",
                        "--target-year", "2030")  # fmt: skip
    assert result.returncode == 1
    assert "carbon_per_energy" in result.stdout and "reaches" in result.stdout and "Traceback" not in result.stderr


def test_bad_options_are_refused(tmp_path):
    park = str(PARKS / "coal-town.yaml")
    cases = [
        (["--target-year", "2020"], "after 2024"),
        (["--target-year", "2030", "--growth", "output"], "KEY=RATE"),
        (["--target-year", "2030", "--budget", "lots"], "amount"),
        (["--target-year", "2030", "--write-park", park], "one of this run's inputs"),
    ]
    for extra, words in cases:
        result = _parkrules("plan", park, "-s", "cn-national-zero-carbon-park", *extra)
        assert result.returncode == 2, (extra, result.stdout, result.stderr)
        assert words in result.stderr and "Traceback" not in result.stderr


def test_plan_workbook_holds_numbers_and_keeps_formulas_as_text(tmp_path):
    import openpyxl

    library = tmp_path / "lib.yaml"
    text = LIBRARY.read_text(encoding="utf-8").replace("en: buy green certificates", 'en: "=HYPERLINK(1)"')
    library.write_text(text, encoding="utf-8")
    book_path = tmp_path / "plan.xlsx"
    common = ["plan", str(PARKS / "coal-town.yaml"), "-s", "cn-national-zero-carbon-park", "--target-year", "2030",
              "--measures", str(library)]  # fmt: skip
    assert _parkrules(*common, "--format", "xlsx").returncode == 2  # a workbook needs a file
    result = _parkrules(*common, "--format", "xlsx", "-o", str(book_path))
    assert result.returncode == 0, result.stderr
    plan = json.loads(_parkrules(*common, "--format", "json").stdout)
    steps = openpyxl.load_workbook(book_path)["steps"]
    rows = list(steps.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(plan["steps"])
    assert all(isinstance(row[3], int | float) and isinstance(row[5], int | float) for row in rows)  # numbers
    named = [cell for cell in steps["B"] if cell.value == "=HYPERLINK(1)"]
    assert named and all(cell.data_type == "s" for cell in named)  # shown as text, never run
