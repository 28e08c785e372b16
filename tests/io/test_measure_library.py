"""Measure libraries: the bundled one loads and every number says what it rests on; a bad library gets a located
error naming the file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from parkrules.base.errors import ParkrulesError
from parkrules.io.measure_library import CATEGORIES, load_library
from tests.conftest import STANDARDS

BUNDLED = STANDARDS / "measures" / "cn-park-measures" / "2026.12.yaml"


def test_bundled_library_moves_vocabulary_facts_in_their_units(catalog):
    library = load_library(BUNDLED, catalog.vocabulary)
    by_id = {measure.id: measure for measure in library.measures}
    assert {m.category for m in library.measures} <= set(CATEGORIES)
    # a MWh of certificates moves 1000 kWh (the facts' canonical unit) off grid power and onto certificates
    moved = {effect.fact: effect.per_unit for effect in by_id["green_certificates"].effects}
    assert moved == {"elec_grid_received": -1000.0, "elec_green_certificate_received": 1000.0}
    for measure in library.measures:
        for number in (measure.capex, measure.opex, *measure.effects):
            assert number.basis.status in ("verified", "provisional", "definition") and len(number.basis.text) >= 10
        if not measure.costed:  # an unknown cost is null with its reason, never a made-up zero
            assert None in (measure.capex.value, measure.opex.value)


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = BUNDLED.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "lib.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("fact: fuel_raw_coal", "fact: fuel_raw_coals", "fuel_raw_coals is not a fact of the vocabulary"),
        ("        unit: Nm3", "        unit: kWh", "does not convert to fuel_natural_gas's unit"),
        ("  - id: water_reuse", "  - id: solid_waste_utilisation", "listed twice"),
        ("source: seed-004", "source: seed-999", "not listed under `sources`"),
        ("value: 5.22", "value: -5.22", "less than the minimum"),
        # a provisional basis without what it rests on: the error of the form it chose, not of another form
        (
            "        status: provisional\n        source: nea-gec-2025-10\n        rests_on: >-",
            "        status: provisional\n        source: nea-gec-2025-10\n        note: >-",
            "'rests_on' is a required property",
        ),
    ],
)
def test_bad_library_is_a_located_error(catalog, tmp_path, old, new, words):
    path = _broken(tmp_path, old, new)
    with pytest.raises(ParkrulesError) as caught:
        load_library(path, catalog.vocabulary)
    assert words in caught.value.message
    assert caught.value.location.file.endswith("lib.yaml") and caught.value.location.line
