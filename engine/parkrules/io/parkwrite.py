"""A park as a park file (YAML), every fact in its canonical unit with its source, so `parkrules assess` reads
back exactly what was written (a planned park: the projected years with the measures' effects)."""

from __future__ import annotations

from pathlib import Path

import yaml

from parkrules.io import outfile
from parkrules.io.park import Park
from parkrules.io.vocabulary import Vocabulary


def park_document(park: Park, vocabulary: Vocabulary, note: str) -> dict:
    years = {}
    for year, data in sorted(park.years.items()):
        facts: dict = {}
        for fact_id, given in sorted(data.facts.items()):
            value = given.value
            if isinstance(value, int | float) and not isinstance(value, bool):
                entry = {"value": float(value), "unit": vocabulary.facts[fact_id].unit}
                facts[fact_id] = entry | ({"source": given.source} if given.source else {})
            else:
                facts[fact_id] = {"value": value} | ({"source": given.source} if given.source else {})
        years[year] = {"facts": facts} | ({"exclusions": dict(data.exclusions)} if data.exclusions else {})
    document: dict = {
        "park": {
            "id": park.id,
            "name": {"zh": park.name.zh, "en": park.name.en},
            "province": park.province,
            "type": park.type,
            "note": note,
        },
        "years": years,
    }
    if park.factor_overrides:
        document["factors"] = {
            factor_id: {"value": override.value, "unit": override.unit, "source": override.source}
            for factor_id, override in park.factor_overrides.items()
        }
    return document


def write_park(park: Park, vocabulary: Vocabulary, path: Path, note: str) -> None:
    text = yaml.safe_dump(park_document(park, vocabulary, note), allow_unicode=True, sort_keys=False, width=120)
    with outfile.replacing(path) as temporary:
        temporary.write_text(text, encoding="utf-8")
