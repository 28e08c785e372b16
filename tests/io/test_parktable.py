"""Park tables (CSV and Excel) read into the same park as the equivalent YAML file."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parkrules.base.errors import describe_place
from parkrules.io import parkio, units
from parkrules.io.park import load_park
from parkrules.io.parktable import Row, rows_to_document
from parkrules.model.catalog import Catalog
from tests.conftest import STANDARDS

_VOCABULARY = Catalog(STANDARDS).vocabulary
QUANTITIES = sorted(f for f, fact in _VOCABULARY.facts.items() if fact.kind == "quantity" and fact.maximum is None)
BOOLEANS = sorted(f for f, fact in _VOCABULARY.facts.items() if fact.kind == "boolean")
_PARTS = {f: fact.parts for f, fact in _VOCABULARY.facts.items() if fact.parts}  # raw coal: its four kinds
_SPLIT = {part: total for total, parts in _PARTS.items() for part in parts}


@st.composite
def parks(draw):
    """A valid park document with random facts, units and sources over one to three years.

    Each year has at least one fact (a table has no row for an empty year), and sources have no
    surrounding spaces (table cells are trimmed)."""
    years = draw(st.lists(st.integers(2015, 2030), min_size=1, max_size=3, unique=True))
    document = {
        "park": {"id": "p-1", "name": {"zh": "园区", "en": "Park"}, "province": "山东省", "type": "省级"},
        "years": {},
    }
    for year in years:
        facts = {}
        for fact_id in draw(st.lists(st.sampled_from(QUANTITIES), min_size=1, max_size=6, unique=True)):
            if _SPLIT.get(fact_id, fact_id) in facts or any(part in facts for part in _PARTS.get(fact_id, ())):
                continue  # a total beside its split is refused in both forms (it would count twice)
            unit = draw(st.sampled_from(units.choices(_VOCABULARY.facts[fact_id].unit)))
            value = draw(
                st.one_of(st.integers(0, 10**9), st.floats(0, 1e9, allow_nan=False).map(lambda x: round(x, 3)))
            )
            text = st.text("统计年鉴 abc,|\"'\n", min_size=3, max_size=12).map(str.strip).filter(bool)
            source = draw(st.one_of(st.none(), text))
            facts[fact_id] = {"value": value, "unit": unit, **({"source": source} if source else {})}
        for fact_id in draw(st.lists(st.sampled_from(BOOLEANS), max_size=3, unique=True)):
            facts[fact_id] = draw(st.booleans())
        document["years"][year] = {"facts": facts}
    return document


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parks(), st.sampled_from([".csv", ".xlsx"]))
def test_a_table_reads_as_the_same_park_as_yaml(document, suffix):
    with tempfile.TemporaryDirectory() as folder:
        yaml_path, table_path = Path(folder, "park.yaml"), Path(folder, f"park{suffix}")
        yaml_path.write_text(parkio.to_yaml(document), encoding="utf-8")
        parkio.write(document, table_path, _VOCABULARY)
        from_yaml, errors = load_park(yaml_path, _VOCABULARY)
        assert errors == []
        from_table, errors = load_park(table_path, _VOCABULARY)
        assert errors == []
    assert from_table.years.keys() == from_yaml.years.keys()
    for year, data in from_yaml.years.items():
        assert from_table.years[year].facts == data.facts


def _row(number: int, **values) -> Row:
    columns = {"year": 1, "fact": 2, "value": 3, "unit": 4, "source": 5}
    return Row(values, number, "数据 Data", columns)


def test_rows_build_the_park_document_and_remember_their_cells():
    rows = [
        _row(2, fact="park.id", value="p-1"),
        _row(3, fact="park.name.zh", value="园区"),
        _row(4, year=2024, fact="elec_grid_received", value=12.5, unit="万kWh", source="电力公司账单"),
        _row(5, year="2024", fact="bc_clear_boundary", value="是"),
        _row(6, year=2024, fact="exclusion.waste_energy_utilisation", value="无余热资源，园区以装配为主"),
        _row(7, fact="factor.ef_grid", value="0.5703", unit="tCO2/MWh", source="生态环境部 2022 年电网排放因子"),
        _row(8, year=2024, fact="fuel_diesel", value=None),
    ]
    document, places, errors = rows_to_document(rows, "park.xlsx")
    assert errors == []
    assert document["park"] == {"id": "p-1", "name": {"zh": "园区"}}
    facts = document["years"]["2024"]["facts"]
    assert facts["elec_grid_received"] == {"value": 12.5, "unit": "万kWh", "source": "电力公司账单"}
    assert facts["bc_clear_boundary"] == {"value": True}
    assert "fuel_diesel" not in facts  # a blank value is a missing fact, not zero
    assert document["years"]["2024"]["exclusions"] == {"waste_energy_utilisation": "无余热资源，园区以装配为主"}
    assert document["factors"]["ef_grid"]["value"] == 0.5703
    cell = places["years.2024.facts.elec_grid_received.unit"]
    assert (
        describe_place("park.xlsx", cell.row, cell.sheet, cell.column) == "park.xlsx, sheet 数据 Data, row 4, column D"
    )


def test_row_problems_are_all_reported_with_their_cells():
    rows = [
        _row(2, year="24", fact="fuel_diesel", value=1, unit="t"),
        _row(3, year=2024, fact="fuel_diesel", value=1, unit="t"),
        _row(4, year=2024, fact="fuel_diesel", value=2, unit="t"),
        _row(5, fact="exclusion.waste_energy_utilisation", value="no year given for this one"),
    ]
    _, _, errors = rows_to_document(rows, "park.xlsx")
    found = [(e.location.line, e.location.column, e.message) for e in errors]
    assert found[0][:2] == (2, 1) and "four-digit year" in found[0][2]
    assert found[1][:2] == (4, 2) and "given twice" in found[1][2] and "row 3" in found[1][2]
    assert found[2][:2] == (5, 1) and "give the year" in found[2][2]
