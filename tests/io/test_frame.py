"""Frames back into parks: what the per-park path of a batch run reads."""

from __future__ import annotations

import numpy as np

from parkrules.io.frame import FactColumn, Frame, from_parks
from parkrules.io.park import FactValue, load_park
from parkrules.model.catalog import bundled_root


def test_parks_from_a_frame_hold_the_parks_values_and_exclusions(catalog):
    parks = [load_park(path, catalog.vocabulary)[0] for path in sorted((bundled_root() / "parks").glob("*.yaml"))]
    frame = from_parks(parks, catalog.vocabulary.facts)
    rebuilt = frame.parks(catalog.vocabulary.facts)
    assert list(rebuilt) == [park.id for park in parks]
    for park in parks:
        again = rebuilt[park.id]
        assert sorted(again.years) == sorted(park.years)
        for year, data in park.years.items():
            assert again.years[year].values == {fact_id: fact.value for fact_id, fact in data.facts.items()}
            assert again.years[year].exclusions == data.exclusions
            facts = again.years[year].facts
            assert set(facts) == set(data.facts) and len(facts) == len(data.facts)
            assert all(facts[f] == FactValue(data.facts[f].value, "", None) for f in data.facts)


def test_parks_are_made_once_per_frame_and_shared_by_every_pack(catalog):
    parks = [load_park(bundled_root() / "parks" / name, catalog.vocabulary)[0] for name in ("coal-town.yaml",)]
    frame = from_parks(parks, catalog.vocabulary.facts)
    first = frame.parks(catalog.vocabulary.facts, {"coal-town"})
    assert frame.parks(catalog.vocabulary.facts)["coal-town"] is first["coal-town"]
    assert frame.row_index() == {("coal-town", year): row for row, year in enumerate(sorted(parks[0].years))}


def test_a_frame_without_fact_columns_still_gives_every_park_year():
    frame = Frame(park=np.array(["a", "a", "b"], object), year=np.array([2020, 2021, 2020]), facts={})
    parks = frame.parks({})
    assert {park_id: sorted(park.years) for park_id, park in parks.items()} == {"a": [2020, 2021], "b": [2020]}
    assert all(year.values == {} and len(year.facts) == 0 for park in parks.values() for year in park.years.values())


def test_absent_cells_hold_the_kinds_zero_however_a_column_is_made():
    """What the columnar path reads for an absent zero-if-absent input, without filling it per pack."""
    present = np.array([True, False, True, False])
    numbers = FactColumn(np.array([1.5, 7.0, 2.0, np.nan]), present)
    flags = FactColumn(np.array([True, True, False, True]), present)
    texts = FactColumn(np.array(["coal", "gas", "oil", None], object), present)
    assert numbers.values.tolist() == [1.5, 0.0, 2.0, 0.0] and numbers.values.dtype == np.float64
    assert flags.values.tolist() == [True, False, False, False] and flags.values.dtype == bool
    assert texts.values.tolist() == ["coal", "", "oil", ""]
    kept = np.array([3.0, 0.0])
    assert FactColumn(kept, np.array([True, False])).values is kept  # already so: not copied
