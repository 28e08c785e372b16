"""Choosing the benchmark park by the study's rule, on park files made from a real example park."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

from parkrules.io.park import FactValue, load_park
from parkrules.io.parkwrite import write_park
from tests.conftest import PARKS

OUTPUTS = ("park_gdp", "industrial_value_added", "gross_industrial_output")


def _variant(catalog, folder, park_id: str, population: float, scale: float) -> None:
    """green-valley (strongly decoupled in 2024) with its population set and every amount but output scaled."""
    park = load_park(PARKS / "green-valley.yaml", catalog.vocabulary, catalog.factor_table)[0]
    years = {}
    for year, data in park.years.items():
        facts = dict(data.facts)
        for fact_id, given in data.facts.items():
            kind = catalog.vocabulary.facts[fact_id].kind
            if kind == "quantity" and fact_id not in OUTPUTS and isinstance(given.value, float):
                facts[fact_id] = FactValue(given.value * scale, "scaled", None)
        facts["park_population"] = FactValue(population, "test", None)
        years[year] = replace(data, facts=facts)
    write_park(replace(park, id=park_id, years=years), catalog.vocabulary, folder / f"{park_id}.yaml", "test")


def test_least_rank_sum_among_strongly_decoupled_parks(catalog, tmp_path):
    # output per capita ranks: a 1, b 2, c 3; CO2 intensity ranks: a 2, b 3, c 1 → sums 3, 5, 4: a
    for park_id, population, scale in (("park-a", 10_000, 1.2), ("park-b", 20_000, 1.5), ("park-c", 40_000, 1.0)):
        _variant(catalog, tmp_path, park_id, population, scale)
    (tmp_path / "coal-town.yaml").write_text((PARKS / "coal-town.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "parkrules", "benchmark", str(tmp_path), "--format", "json"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    choice = json.loads(result.stdout)
    ranks = {c["park"]: (c["output_rank"], c["intensity_rank"], c["rank_sum"]) for c in choice["candidates"]}
    assert ranks == {"park-a": (1, 2, 3), "park-b": (2, 3, 5), "park-c": (3, 1, 4)}
    assert choice["benchmark"]["park"] == "park-a" and choice["tied"] == []
    assert [entry["park"] for entry in choice["left_out"]] == ["coal-town"]  # one year only: no decoupling state
